import { verifyAdminPassword } from "@/lib/auth/admin-session";
import { clientKey, sharedRateLimiter } from "@/lib/auth/rate-limit";
import { getRuntime } from "@/lib/runtime";

/** Five wrong passwords per minute per address; the sixth try is refused before scrypt runs. */
export const SIGN_IN_FAILURE_LIMIT = 5;
export const SIGN_IN_WINDOW_MS = 60_000;
/**
 * The client address comes from X-Forwarded-For, which a client can forge when no proxy rewrites
 * it; a cap on wrong passwords from everyone together bounds guessing even then.
 */
export const SIGN_IN_GLOBAL_FAILURE_LIMIT = 30;

export type SignInResult = { ok: true } | { ok: false; reason: "wrong-password" } | { ok: false; reason: "rate-limited"; retryAfterSeconds: number };

/**
 * Checks the admin password for a sign-in request, counting failures per client address.
 * Wall-clock time, not the adjustable clock: tests that jump the clock must not reset the window.
 */
export async function signIn(request: Request, password: string): Promise<SignInResult> {
  const rt = await getRuntime();
  const limiter = sharedRateLimiter("admin-sign-in", SIGN_IN_FAILURE_LIMIT, SIGN_IN_WINDOW_MS);
  const everyone = sharedRateLimiter("admin-sign-in-all", SIGN_IN_GLOBAL_FAILURE_LIMIT, SIGN_IN_WINDOW_MS);
  const key = clientKey(request);
  const nowMs = Date.now();
  for (const verdict of [limiter.check(key, nowMs), everyone.check("all", nowMs)]) {
    if (!verdict.allowed) return { ok: false, reason: "rate-limited", retryAfterSeconds: Math.ceil(verdict.retryAfterMs / 1000) };
  }
  // Counted before the (slow) check, so a burst of parallel guesses cannot all slip through.
  limiter.record(key, nowMs);
  everyone.record("all", nowMs);
  if (!(await verifyAdminPassword(password, rt.secrets.adminPasswordHash))) {
    rt.log.warn("Admin sign-in failed", { client: key });
    return { ok: false, reason: "wrong-password" };
  }
  limiter.reset(key);
  return { ok: true };
}
