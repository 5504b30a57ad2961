import "server-only";
import { createHash, createHmac, randomBytes, scrypt, type ScryptOptions } from "node:crypto";
import { safeEqual } from "@/lib/safe-equal";

/**
 * The staff session cookie holds a random token; the session itself lives in the store
 * (lib/auth/sessions.ts), so it can be listed and ended on every instance. Cookies of the
 * earlier stateless form open nothing: after an upgrade everyone signs in once more.
 */
export const ADMIN_SESSION_COOKIE = "kassa_admin";
export const ADMIN_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

function mac(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

export interface CookieOptions {
  /** Send only over HTTPS; the route sets it when PUBLIC_URL is https. */
  secure?: boolean;
}

function cookieAttributes(maxAgeSeconds: number, options: CookieOptions): string {
  const parts = [`Path=/`, `Max-Age=${maxAgeSeconds}`, "HttpOnly", "SameSite=Strict"];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

/** A Set-Cookie header value carrying a session's token for 12 hours. */
export function sessionTokenCookie(token: string, options: CookieOptions = {}): string {
  return `${ADMIN_SESSION_COOKIE}=${token}; ${cookieAttributes(ADMIN_SESSION_TTL_MS / 1000, options)}`;
}

export function clearAdminSessionCookie(options: CookieOptions = {}): string {
  return `${ADMIN_SESSION_COOKIE}=; ${cookieAttributes(0, options)}`;
}

/** Reads one cookie from a Cookie header without pulling in a parser. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      const raw = part.slice(index + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

/** The session token a request carries, if any. */
export function readSessionToken(request: Request): string | undefined {
  return readCookie(request.headers.get("cookie"), ADMIN_SESSION_COOKIE);
}

/**
 * Over https the till cookies carry the `__Host-` prefix: the browser then takes them only when set
 * Secure, with Path=/ and no Domain, so a page on a sibling host (or over plain http) cannot plant
 * one in their place. Over http (a shop's LAN) no prefix is possible; there sign-in itself must not
 * depend on the cookie being ours (lib/auth/sign-in-limits.ts).
 */
function tillCookieName(name: string, options: CookieOptions): string {
  return options.secure ? `__Host-${name}` : name;
}

function tillCookie(name: string, value: string, path: string, options: CookieOptions): string {
  const parts = [
    `${tillCookieName(name, options)}=${value}`,
    // __Host- demands Path=/; over http the cookie goes only where it is read.
    `Path=${options.secure ? "/" : path}`,
    `Max-Age=${KNOWN_TILL_MAX_AGE_SECONDS}`,
    "HttpOnly",
    "SameSite=Strict",
  ];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

/** `<id>.<mac>` of a till cookie, when the mac is the one `expected(id)` gives. */
function readSigned(
  request: Request,
  name: string,
  options: CookieOptions,
  expected: (id: string) => string,
): string | undefined {
  const value = readCookie(request.headers.get("cookie"), tillCookieName(name, options));
  const [id, signature, ...rest] = (value ?? "").split(".");
  if (!id || !signature || rest.length > 0) return undefined;
  return safeEqual(signature, expected(id)) ? id : undefined;
}

/**
 * A browser where a staff member has signed in with their password carries this cookie:
 * `<id>.<mac>`. It opens nothing; it only lets sign-in count that browser's wrong passwords for that
 * member on their own, so strangers' guesses, which share a cap for everyone, cannot lock the
 * shop's own till out. The mac covers the member and a value derived from their password hash: it
 * counts only for that member, and only until their password changes.
 */
export const KNOWN_TILL_COOKIE = "kassa_till";
const KNOWN_TILL_MAX_AGE_SECONDS = 400 * 24 * 60 * 60;

/** The member a known-till cookie is bound to: their id and current password hash. */
export interface TillCredential {
  id: string;
  passwordHash: string | null;
}

function knownTillMac(secret: string, id: string, member: TillCredential): string | undefined {
  if (!member.passwordHash) return undefined;
  const generation = createHash("sha256").update(member.passwordHash, "utf8").digest("base64url");
  return mac(secret, `till.${id}.${member.id}.${generation}`);
}

/** A new known-till cookie for the member who just signed in with their password. */
export function createKnownTillCookie(
  secret: string,
  member: TillCredential,
  options: CookieOptions = {},
): string | undefined {
  const id = randomBytes(12).toString("base64url");
  const signature = knownTillMac(secret, id, member);
  return signature && tillCookie(KNOWN_TILL_COOKIE, `${id}.${signature}`, "/api/admin/session", options);
}

/**
 * The till id of a known-till cookie earned by this member with their current password; undefined
 * for any other browser, any other member's cookie, and cookies from before a password change.
 */
export function readKnownTill(
  request: Request,
  secret: string,
  member: TillCredential,
  options: CookieOptions = {},
): string | undefined {
  return readSigned(request, KNOWN_TILL_COOKIE, options, (id) => knownTillMac(secret, id, member) ?? "");
}

/**
 * A till an owner or manager enrolled carries this cookie, `<device id>.<mac>`; the device's row in
 * the store says whether it is still enrolled. Only there may a cashier sign in with a PIN.
 */
export const TILL_DEVICE_COOKIE = "kassa_till_device";

export function createTillDeviceCookie(secret: string, deviceId: string, options: CookieOptions = {}): string {
  return tillCookie(TILL_DEVICE_COOKIE, `${deviceId}.${mac(secret, `till-device.${deviceId}`)}`, "/api/admin", options);
}

/** The enrolled device id the request's cookie names, if its signature is ours. */
export function readTillDevice(request: Request, secret: string, options: CookieOptions = {}): string | undefined {
  return readSigned(request, TILL_DEVICE_COOKIE, options, (id) => mac(secret, `till-device.${id}`));
}

// scrypt cost: N=2^15 takes ~50 ms here, which is fine for a login and slow for a guesser.
const SCRYPT_PARAMS = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$<salt b64url>$<key b64url>`; the parameters travel with the hash so they can change. */
export async function hashAdminPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_LENGTH, SCRYPT_PARAMS);
  const { N, r, p } = SCRYPT_PARAMS;
  return ["scrypt", N, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyAdminPassword(input: string, storedHash: string): Promise<boolean> {
  const parts = storedHash.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (![params.N, params.r, params.p].every((value) => Number.isSafeInteger(value) && value > 0)) return false;
  const expected = Buffer.from(keyText, "base64url");
  if (expected.length === 0) return false;
  let actual: Buffer;
  try {
    actual = await scryptAsync(input, Buffer.from(saltText, "base64url"), expected.length, params);
  } catch {
    // Parameters scrypt refuses (N not a power of two, say) mean a garbled hash, not a crash.
    return false;
  }
  return safeEqual(actual, expected);
}
