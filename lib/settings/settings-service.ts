import "server-only";
import type { Store } from "@/lib/store/store";

const SETTING_SHOP_NAME = "shop.name";
const SETTING_AUTO_CAPTURE = "sales.autoCapture";

export interface ShopSettings {
  shopName: string;
  autoCapture: boolean;
}

/** The shop's own settings: its name on displays and receipts, and whether approvals are captured at once. */
export class SettingsService {
  constructor(private readonly deps: { store: Store; settingsChanged: () => Promise<void> }) {}

  async shopName(): Promise<string> {
    return (await this.deps.store.getSetting(SETTING_SHOP_NAME)) ?? "Kassa";
  }

  async autoCapture(): Promise<boolean> {
    return (await this.deps.store.getSetting(SETTING_AUTO_CAPTURE)) !== "false";
  }

  async get(): Promise<ShopSettings> {
    return { shopName: await this.shopName(), autoCapture: await this.autoCapture() };
  }

  async update(patch: Partial<ShopSettings>): Promise<ShopSettings> {
    if (patch.shopName !== undefined) await this.deps.store.setSetting(SETTING_SHOP_NAME, patch.shopName);
    if (patch.autoCapture !== undefined) await this.deps.store.setSetting(SETTING_AUTO_CAPTURE, String(patch.autoCapture));
    // Every display shows the shop's name.
    await this.deps.settingsChanged();
    return this.get();
  }
}
