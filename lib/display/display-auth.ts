import { createHash, timingSafeEqual } from "node:crypto";
import { readAdminSession, readCookie } from "@/lib/auth/admin-session";
import { DISPLAY_DEVICE_COOKIE, hashDeviceToken } from "@/lib/display/pairing";
import { getRuntime } from "@/lib/runtime";

/** Compares via fixed-length digests so neither the length nor the content leaks through timing. */
function sameSecret(a: string, b: string): boolean {
  const left = createHash("sha256").update(a).digest();
  const right = createHash("sha256").update(b).digest();
  return timingSafeEqual(left, right);
}

/**
 * Who may see a terminal's display state: a kiosk holding the terminal's display link token
 * (`?token=`), a paired display whose device cookie is bound to this terminal, or a signed-in
 * cashier (the admin page follows the same live stream).
 */
export async function authorizeDisplay(request: Request, terminalId: string): Promise<boolean> {
  const rt = await getRuntime();
  const nowMs = rt.clock.now();

  const token = new URL(request.url).searchParams.get("token");
  if (token) {
    const terminal = await rt.store.getTerminal(terminalId);
    if (terminal && sameSecret(token, terminal.displayToken)) return true;
  }

  const deviceToken = readCookie(request.headers.get("cookie"), DISPLAY_DEVICE_COOKIE);
  if (deviceToken) {
    const device = await rt.store.getDeviceByTokenHash(hashDeviceToken(deviceToken));
    if (device && !device.revokedAt && device.terminalId === terminalId) return true;
  }

  return readAdminSession(request, rt.secrets.sessionSecret, nowMs);
}

/** The terminal a paired display belongs to, from its device cookie alone. */
export async function pairedTerminalOf(request: Request): Promise<string | undefined> {
  const deviceToken = readCookie(request.headers.get("cookie"), DISPLAY_DEVICE_COOKIE);
  if (!deviceToken) return undefined;
  const rt = await getRuntime();
  const device = await rt.store.getDeviceByTokenHash(hashDeviceToken(deviceToken));
  return device && !device.revokedAt ? device.terminalId : undefined;
}
