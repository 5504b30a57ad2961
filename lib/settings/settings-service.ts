import "server-only";
import { inspectLogo, type LogoType } from "@/lib/branding/logo-format";
import type { SettingsPatch, SettingsView } from "@/lib/contracts/settings";
import { DomainError } from "@/lib/errors";
import { isTimeZone } from "@/lib/closes/zoned-time";
import type { SettingsRepository } from "@/lib/store/repositories";
import {
  acceptedAccent,
  clearLogo,
  logoUrl,
  readAccent,
  readLogo,
  readLogoInfo,
  type StoredLogo,
  writeAccent,
  writeLogo,
} from "./branding-settings";

const SETTING_SHOP_NAME = "shop.name";
const SETTING_AUTO_CAPTURE = "sales.autoCapture";
const SETTING_ORGANISATION_NUMBER = "shop.organisationNumber";
const SETTING_ADDRESS = "shop.address";
const SETTING_TIME_ZONE = "shop.timeZone";
const SETTING_RECEIPT_QR = "receipt.qrOnDisplay";
export const DEFAULT_TIME_ZONE = "Europe/Oslo";

/** The shop's own settings: its name and branding on displays and receipts, and whether approvals are captured at once. */
export class SettingsService {
  constructor(private readonly deps: { settings: SettingsRepository; settingsChanged: () => Promise<void> }) {}

  async shopName(): Promise<string> {
    return (await this.deps.settings.getSetting(SETTING_SHOP_NAME)) ?? "Kassa";
  }

  async autoCapture(): Promise<boolean> {
    return (await this.deps.settings.getSetting(SETTING_AUTO_CAPTURE)) !== "false";
  }

  /** The shop's IANA time zone: receipts, closes and automatic closes read times in it. */
  async timeZone(): Promise<string> {
    return (await this.deps.settings.getSetting(SETTING_TIME_ZONE)) || DEFAULT_TIME_ZONE;
  }

  /** Whether the customer display's paid screen shows a QR of the receipt (on unless turned off). */
  async receiptQr(): Promise<boolean> {
    return (await this.deps.settings.getSetting(SETTING_RECEIPT_QR)) !== "false";
  }

  /** Who the receipt says sold it: the shop's name, organisation number and address. */
  async seller(): Promise<{ shopName: string; organisationNumber: string; address: string; timeZone: string }> {
    const { settings } = this.deps;
    const [shopName, organisationNumber, address, timeZone] = await Promise.all([
      this.shopName(),
      settings.getSetting(SETTING_ORGANISATION_NUMBER),
      settings.getSetting(SETTING_ADDRESS),
      this.timeZone(),
    ]);
    return { shopName, organisationNumber: organisationNumber ?? "", address: address ?? "", timeZone };
  }

  async get(): Promise<SettingsView> {
    const { settings } = this.deps;
    const [seller, autoCapture, receiptQr, accent, logo] = await Promise.all([
      this.seller(),
      this.autoCapture(),
      this.receiptQr(),
      readAccent(settings),
      readLogoInfo(settings),
    ]);
    return {
      ...seller,
      autoCapture,
      receiptQr,
      accentColor: accent ?? null,
      logo: logo ? { url: logoUrl(logo), contentType: logo.contentType, size: logo.size } : null,
    };
  }

  async update(patch: SettingsPatch): Promise<SettingsView> {
    // Checked before anything is written: a refused colour leaves the other fields unchanged too.
    const accent = acceptedAccent(patch.accentColor);
    if (patch.timeZone !== undefined && !isTimeZone(patch.timeZone))
      throw new DomainError("validation", `timeZone: ${patch.timeZone} is not a time zone this server knows`, {
        errors: [{ field: "timeZone", reason: "an IANA time zone such as Europe/Oslo" }],
      });
    const { settings } = this.deps;
    if (patch.shopName !== undefined) await settings.setSetting(SETTING_SHOP_NAME, patch.shopName);
    if (patch.organisationNumber !== undefined)
      await settings.setSetting(SETTING_ORGANISATION_NUMBER, patch.organisationNumber);
    if (patch.address !== undefined) await settings.setSetting(SETTING_ADDRESS, patch.address);
    if (patch.timeZone !== undefined) await settings.setSetting(SETTING_TIME_ZONE, patch.timeZone);
    if (patch.receiptQr !== undefined) await settings.setSetting(SETTING_RECEIPT_QR, String(patch.receiptQr));
    if (patch.autoCapture !== undefined)
      await this.deps.settings.setSetting(SETTING_AUTO_CAPTURE, String(patch.autoCapture));
    if (accent !== undefined) await writeAccent(settings, accent);
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
