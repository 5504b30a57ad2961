import "server-only";
import { createHash } from "node:crypto";
import { accentProblem } from "@/lib/branding/colour";
import type { LogoType } from "@/lib/branding/logo-format";
import { DomainError } from "@/lib/errors";
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

/**
 * Branding is the shop's, or a store's own where it set some (`scope` is the store's id): a store's
 * keys carry its id after an @, so a store without them shows the shop's.
 */
function scoped(key: string, scope: string | undefined): string {
  return scope ? `${key}@${scope}` : key;
}

export function logoUrl(info: LogoInfo, scope?: string): string {
  return scope ? `${LOGO_PATH}?store=${encodeURIComponent(scope)}&v=${info.version}` : `${LOGO_PATH}?v=${info.version}`;
}

function parseJson<T>(value: string | undefined): T | undefined {
  if (!value) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}

export async function readAccent(settings: SettingsRepository, scope?: string): Promise<string | undefined> {
  return (await settings.getSetting(scoped(SETTING_ACCENT, scope))) || undefined;
}

/**
 * The accent a request asks for, lower-cased; null clears it, undefined leaves it. A colour the dark
 * display could not show legibly is a field-level 400, thrown before anything is written.
 */
export function acceptedAccent(accentColor: string | null | undefined): string | null | undefined {
  if (accentColor === undefined || accentColor === null) return accentColor;
  const accent = accentColor.toLowerCase();
  const reason = accentProblem(accent);
  if (reason)
    throw new DomainError("validation", `accentColor: ${reason}`, { errors: [{ field: "accentColor", reason }] });
  return accent;
}

export async function writeAccent(settings: SettingsRepository, accent: string | null, scope?: string): Promise<void> {
  await settings.setSetting(scoped(SETTING_ACCENT, scope), accent ?? "");
}

export async function readLogoInfo(settings: SettingsRepository, scope?: string): Promise<LogoInfo | undefined> {
  return parseJson<LogoInfo>(await settings.getSetting(scoped(SETTING_LOGO, scope)));
}

export async function readLogo(settings: SettingsRepository, scope?: string): Promise<StoredLogo | undefined> {
  const stored = parseJson<LogoInfo & { base64: string }>(await settings.getSetting(scoped(SETTING_LOGO_BYTES, scope)));
  if (!stored) return undefined;
  const { base64, ...info } = stored;
  return { ...info, bytes: new Uint8Array(Buffer.from(base64, "base64")) };
}

/** The bytes first, then what the displays read: a display never points at a logo not yet stored. */
export async function writeLogo(
  settings: SettingsRepository,
  contentType: LogoType,
  bytes: Uint8Array,
  scope?: string,
): Promise<LogoInfo> {
  const info: LogoInfo = { contentType, size: bytes.byteLength, version: logoVersion(bytes) };
  await settings.setSetting(
    scoped(SETTING_LOGO_BYTES, scope),
    JSON.stringify({ ...info, base64: Buffer.from(bytes).toString("base64") }),
  );
  await settings.setSetting(scoped(SETTING_LOGO, scope), JSON.stringify(info));
  return info;
}

/** The displays' pointer first, then the bytes. */
export async function clearLogo(settings: SettingsRepository, scope?: string): Promise<void> {
  await settings.setSetting(scoped(SETTING_LOGO, scope), "");
  await settings.setSetting(scoped(SETTING_LOGO_BYTES, scope), "");
}

/** What a display needs of the branding: its accent and the logo's address, when the shop set them. */
export async function readDisplayBrand(
  settings: SettingsRepository,
  scope?: string,
): Promise<DisplayBrand | undefined> {
  const [accent, logo] = await Promise.all([readAccent(settings, scope), readLogoInfo(settings, scope)]);
  if (!accent && !logo) return undefined;
  return { ...(accent ? { accent } : {}), ...(logo ? { logoUrl: logoUrl(logo, scope) } : {}) };
}

export interface DisplayBrand {
  accent?: string;
  logoUrl?: string;
}

/** A store's own accent and logo, each where it set one, over the shop's. */
export function overlayBrand(
  shop: DisplayBrand | undefined,
  store: DisplayBrand | undefined,
): DisplayBrand | undefined {
  if (!store) return shop;
  return { ...shop, ...store };
}
