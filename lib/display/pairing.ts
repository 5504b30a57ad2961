import "server-only";
import { createHash, randomBytes, randomInt, randomUUID } from "node:crypto";
import type { DisplayPairing } from "@/lib/entities/display";
import type { CountersRepository } from "@/lib/store/repositories";

/**
 * Pairing binds a kiosk display to a terminal without typing a secret on the kiosk: the display
 * shows a short code, the signed-in cashier enters it, and the display (which alone knows the
 * pairing id) then collects a long-lived device token as an httpOnly cookie.
 */
export const DISPLAY_DEVICE_COOKIE = "kassa_display";
export const DEVICE_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;
export const PAIRING_TTL_MS = 10 * 60 * 1000;
export const PAIRING_CODE_LENGTH = 6;
/** No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a code read off a screen across a counter must not be misread. */
export const PAIRING_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679";

export type PairingStatus =
  | { status: "waiting"; expiresAt: string }
  | { status: "paired"; terminalId: string; deviceToken?: string }
  | { status: "expired" };

export function generatePairingCode(): string {
  let code = "";
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++) code += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)];
  return code;
}

/** Accepts what a cashier types: lower case, spaces or a dash in the middle. */
export function normalizePairingCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "");
}

export function hashDeviceToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createPairing(
  counters: CountersRepository,
  nowMs: number,
): Promise<{ id: string; code: string; expiresAt: string }> {
  const expiresAt = new Date(nowMs + PAIRING_TTL_MS).toISOString();
  // 25^6 ≈ 244 M codes; a clash with a live code is unlikely but would pair the wrong display.
  for (let tries = 0; tries < 10; tries++) {
    const code = generatePairingCode();
    const existing = await counters.getPairingByCode(code);
    if (existing && Date.parse(existing.expiresAt) > nowMs) continue;
    const pairing: DisplayPairing = { id: randomUUID(), code, expiresAt };
    await counters.savePairing(pairing);
    return { id: pairing.id, code, expiresAt };
  }
  throw new Error("Could not find a free pairing code");
}

export type PairResult = { ok: true; deviceId: string } | { ok: false; reason: "unknown-code" | "expired" };

/** The cashier's half: binds the display that shows `code` to `terminalId`. */
export async function pairDisplay(
  counters: CountersRepository,
  terminalId: string,
  code: string,
  nowMs: number,
  label = "Customer display",
): Promise<PairResult> {
  const pairing = await counters.getPairingByCode(normalizePairingCode(code));
  if (!pairing || pairing.terminalId) return { ok: false, reason: "unknown-code" };
  if (Date.parse(pairing.expiresAt) <= nowMs) return { ok: false, reason: "expired" };

  const deviceToken = randomBytes(32).toString("base64url");
  const deviceId = randomUUID();
  await counters.saveDevice({
    id: deviceId,
    terminalId,
    tokenHash: hashDeviceToken(deviceToken),
    label,
    createdAt: new Date(nowMs).toISOString(),
  });
  // The raw token waits in the pairing row only until the display collects it (claimPairing).
  await counters.savePairing({ ...pairing, terminalId, deviceToken });
  return { ok: true, deviceId };
}

/**
 * The display's half, polled with the pairing id. Hands out the device token exactly once and
 * then wipes it from the row.
 */
export async function claimPairing(
  counters: CountersRepository,
  id: string,
  nowMs: number,
): Promise<PairingStatus | undefined> {
  const pairing = await counters.getPairing(id);
  if (!pairing) return undefined;
  if (pairing.terminalId) {
    if (pairing.deviceToken && !pairing.claimedAt) {
      await counters.savePairing({
        ...pairing,
        deviceToken: undefined,
        claimedAt: new Date(nowMs).toISOString(),
      });
      return { status: "paired", terminalId: pairing.terminalId, deviceToken: pairing.deviceToken };
    }
    return { status: "paired", terminalId: pairing.terminalId };
  }
  if (Date.parse(pairing.expiresAt) <= nowMs) return { status: "expired" };
  return { status: "waiting", expiresAt: pairing.expiresAt };
}

export function deviceCookie(token: string, secure: boolean): string {
  const parts = [
    `${DISPLAY_DEVICE_COOKIE}=${token}`,
    "Path=/",
    `Max-Age=${DEVICE_COOKIE_MAX_AGE_S}`,
    "HttpOnly",
    // Lax, not Strict: a kiosk opened from a link or a bookmark must still send it.
    "SameSite=Lax",
  ];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}
