import "server-only";
import { inspectLogo, type LogoType } from "@/lib/branding/logo-format";
import {
  clearLogo,
  type DisplayBrand,
  logoUrl,
  readAccent,
  readDisplayBrand,
  readLogo,
  readLogoInfo,
  type StoredLogo,
  writeAccent,
  writeLogo,
} from "@/lib/settings/branding-settings";
import type { SettingsRepository } from "@/lib/store/repositories";

/** A store's own look as the API shows it; null where it shows the shop's. */
export interface StoreBrandingView {
  accentColor: string | null;
  logo: { url: string; contentType: LogoType; size: number } | null;
}

/**
 * A store's own accent colour and logo on its terminals' displays, over the shop's: a franchise or
 * a shop-in-shop of the chain looks like itself, while stores that set none look like the chain.
 * Kept beside the shop's branding in the settings, under the store's id, and judged by the same
 * rules (the accent's contrast, the logo's format and the SVG check).
 */
export class StoreBranding {
  constructor(
    private readonly deps: {
      settings: SettingsRepository;
      /** Every display re-reads the look: a store's displays change, the others are unaffected. */
      brandingChanged: () => Promise<void>;
    },
  ) {}

  async view(storeId: string): Promise<StoreBrandingView> {
    const [accent, logo] = await Promise.all([
      readAccent(this.deps.settings, storeId),
      readLogoInfo(this.deps.settings, storeId),
    ]);
    return {
      accentColor: accent ?? null,
      logo: logo ? { url: logoUrl(logo, storeId), contentType: logo.contentType, size: logo.size } : null,
    };
  }

  /** The accent and logo the store set, for its displays to lay over the shop's. */
  displayBrand(storeId: string): Promise<DisplayBrand | undefined> {
    return readDisplayBrand(this.deps.settings, storeId);
  }

  /** Saves a colour acceptedAccent passed; null: the shop's colour again. */
  async setAccent(storeId: string, accent: string | null): Promise<void> {
    await writeAccent(this.deps.settings, accent, storeId);
    await this.deps.brandingChanged();
  }

  async logo(storeId: string): Promise<StoredLogo | undefined> {
    return readLogo(this.deps.settings, storeId);
  }

  async setLogo(storeId: string, bytes: Uint8Array, declared?: LogoType): Promise<void> {
    const { contentType } = inspectLogo(bytes, declared);
    await writeLogo(this.deps.settings, contentType, bytes, storeId);
    await this.deps.brandingChanged();
  }

  async removeLogo(storeId: string): Promise<void> {
    await clearLogo(this.deps.settings, storeId);
    await this.deps.brandingChanged();
  }
}
