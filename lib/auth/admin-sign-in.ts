import { verifyAdminPassword } from "@/lib/auth/admin-session";
import { clientKey, sharedRateLimiter } from "@/lib/auth/rate-limit";
import { getRuntime } from "@/lib/runtime";

/** Five wrong passwords per minute per address; the sixth try is refused before scrypt runs. */
export const SIGN_IN_FAILURE_LIMIT = 5;
export const SIGN_IN_WINDOW_MS = 60_000;

export type SignInResult = { ok: true } | { ok: false; reason: "wrong-password" } | { ok: false; reason: "rate-limited"; retryAfterSeconds: number };

/**
 * Checks the admin password for a sign-in request, counting failures per client address.
 * Wall-clock time, not the adjustable clock: tests that jump the clock must not reset the window.
 */
export async function signIn(request: Request, password: string): Promise<SignInResult> {
  const rt = await getRuntime();
  const limiter = sharedRateLimiter("admin-sign-in", SIGN_IN_FAILURE_LIMIT, SIGN_IN_WINDOW_MS);
  const key = clientKey(request);
  const verdict = limiter.check(key, Date.now());
  if (!verdict.allowed) return { ok: false, reason: "rate-limited", retryAfterSeconds: Math.ceil(verdict.retryAfterMs / 1000) };
  if (!(await verifyAdminPassword(password, rt.secrets.adminPasswordHash))) {
    limiter.record(key, Date.now());
    rt.log.warn("Admin sign-in failed", { client: key });
    return { ok: false, reason: "wrong-password" };
  }
  limiter.reset(key);
  return { ok: true };
}
