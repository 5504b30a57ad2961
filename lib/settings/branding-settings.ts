import "server-only";
import { createHash } from "node:crypto";
import type { LogoType } from "@/lib/branding/logo-format";
import type { SettingsRepository } from "@/lib/store/repositories";

/**
 * Where the shop's branding lives in the settings table. The logo is kept twice: its bytes (as
 * base64, with their type and tag) under one key, read only when the logo itself is served, and a
 * few bytes about it under another, which every display state reads. Both are written whole, so
 * each read sees one upload; an empty value means none.
 */
export const SETTING_ACCENT = "branding.accentColor";
export const SETTING_LOGO = "branding.logo";
export const SETTING_LOGO_BYTES = "branding.logo.bytes";

/** The public address of the logo; `v` changes with every upload, so a display never shows a stale one. */
export const LOGO_PATH = "/api/display/branding/logo";

export interface LogoInfo {
  contentType: LogoType;
  size: number;
  /** A tag of the bytes (their SHA-256, shortened): the ETag, and the `v` of the address. */
  version: string;
}

export interface StoredLogo extends LogoInfo {
  bytes: Uint8Array;
}

export function logoVersion(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 20);
}

export function logoUrl(info: LogoInfo): string {
  return `${LOGO_PATH}?v=${info.version}`;
}

function parseJson<T>(value: string | undefined): T | undefined {
  if (!value) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}

export async function readAccent(settings: SettingsRepository): Promise<string | undefined> {
  return (await settings.getSetting(SETTING_ACCENT)) || undefined;
}

export async function readLogoInfo(settings: SettingsRepository): Promise<LogoInfo | undefined> {
  return parseJson<LogoInfo>(await settings.getSetting(SETTING_LOGO));
}

export async function readLogo(settings: SettingsRepository): Promise<StoredLogo | undefined> {
  const stored = parseJson<LogoInfo & { base64: string }>(await settings.getSetting(SETTING_LOGO_BYTES));
  if (!stored) return undefined;
  const { base64, ...info } = stored;
  return { ...info, bytes: new Uint8Array(Buffer.from(base64, "base64")) };
}

/** The bytes first, then what the displays read: a display never points at a logo not yet stored. */
export async function writeLogo(
  settings: SettingsRepository,
  contentType: LogoType,
  bytes: Uint8Array,
): Promise<LogoInfo> {
  const info: LogoInfo = { contentType, size: bytes.byteLength, version: logoVersion(bytes) };
  await settings.setSetting(
    SETTING_LOGO_BYTES,
    JSON.stringify({ ...info, base64: Buffer.from(bytes).toString("base64") }),
  );
  await settings.setSetting(SETTING_LOGO, JSON.stringify(info));
  return info;
}

/** The displays' pointer first, then the bytes. */
export async function clearLogo(settings: SettingsRepository): Promise<void> {
  await settings.setSetting(SETTING_LOGO, "");
  await settings.setSetting(SETTING_LOGO_BYTES, "");
}

/** What a display needs of the branding: its accent and the logo's address, when the shop set them. */
export async function readDisplayBrand(
  settings: SettingsRepository,
): Promise<{ accent?: string; logoUrl?: string } | undefined> {
  const [accent, logo] = await Promise.all([readAccent(settings), readLogoInfo(settings)]);
  if (!accent && !logo) return undefined;
  return { ...(accent ? { accent } : {}), ...(logo ? { logoUrl: logoUrl(logo) } : {}) };
}
