import "server-only";
import { accentProblem } from "@/lib/branding/colour";
import { inspectLogo, type LogoType } from "@/lib/branding/logo-format";
import type { SettingsPatch, SettingsView } from "@/lib/contracts/settings";
import { DomainError } from "@/lib/errors";
import type { SettingsRepository } from "@/lib/store/repositories";
import {
  clearLogo,
  logoUrl,
  readAccent,
  readLogo,
  readLogoInfo,
  SETTING_ACCENT,
  type StoredLogo,
  writeLogo,
} from "./branding-settings";

const SETTING_SHOP_NAME = "shop.name";
const SETTING_AUTO_CAPTURE = "sales.autoCapture";

/** The shop's own settings: its name and branding on displays and receipts, and whether approvals are captured at once. */
export class SettingsService {
  constructor(private readonly deps: { settings: SettingsRepository; settingsChanged: () => Promise<void> }) {}

  async shopName(): Promise<string> {
    return (await this.deps.settings.getSetting(SETTING_SHOP_NAME)) ?? "Kassa";
  }

  async autoCapture(): Promise<boolean> {
    return (await this.deps.settings.getSetting(SETTING_AUTO_CAPTURE)) !== "false";
  }

  async get(): Promise<SettingsView> {
    const { settings } = this.deps;
    const [shopName, autoCapture, accent, logo] = await Promise.all([
      this.shopName(),
      this.autoCapture(),
      readAccent(settings),
      readLogoInfo(settings),
    ]);
    return {
      shopName,
      autoCapture,
      accentColor: accent ?? null,
      logo: logo ? { url: logoUrl(logo), contentType: logo.contentType, size: logo.size } : null,
    };
  }

  async update(patch: SettingsPatch): Promise<SettingsView> {
    // Checked before anything is written: a refused colour leaves the other fields unchanged too.
    const accent = patch.accentColor?.toLowerCase();
    const accentReason = accent !== undefined ? accentProblem(accent) : undefined;
    if (accentReason)
      throw new DomainError("validation", `accentColor: ${accentReason}`, {
        errors: [{ field: "accentColor", reason: accentReason }],
      });
    if (patch.shopName !== undefined) await this.deps.settings.setSetting(SETTING_SHOP_NAME, patch.shopName);
    if (patch.autoCapture !== undefined)
      await this.deps.settings.setSetting(SETTING_AUTO_CAPTURE, String(patch.autoCapture));
    if (patch.accentColor !== undefined) await this.deps.settings.setSetting(SETTING_ACCENT, accent ?? "");
    // Every display shows the shop's name and colour.
    await this.deps.settingsChanged();
    return this.get();
  }

  /** The logo's bytes, for serving; undefined when the shop has none. */
  async logo(): Promise<StoredLogo | undefined> {
    return readLogo(this.deps.settings);
  }

  /**
   * Makes these bytes the shop's logo, once they prove to be a PNG, a JPEG or a harmless SVG
   * (lib/branding/logo-format.ts); `declared` is the client's content type, if it named one.
   */
  async setLogo(bytes: Uint8Array, declared?: LogoType): Promise<SettingsView> {
    const { contentType } = inspectLogo(bytes, declared);
    await writeLogo(this.deps.settings, contentType, bytes);
    await this.deps.settingsChanged();
    return this.get();
  }

  async removeLogo(): Promise<void> {
    await clearLogo(this.deps.settings);
    await this.deps.settingsChanged();
  }
}
