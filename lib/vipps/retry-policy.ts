import "server-only";

/** How the client spaces its retries: the backoff between attempts and the server's Retry-After. */

export interface RetryOptions {
  /** Total tries per call, including the first. Default 4. */
  attempts: number;
  /** Backoff base: the n-th retry waits up to baseDelayMs * 2^(n-1). Default 200. */
  baseDelayMs: number;
  /** Upper bound for any wait, including one asked for by Retry-After. Default 3000. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 200, maxDelayMs: 3000 };

/** Full-jitter exponential backoff for the wait after failed attempt number `attempt` (1-based). */
export function backoffDelayMs(attempt: number, retry: RetryOptions, random: () => number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jitter = Math.min(1, Math.max(0, random()));
  return Math.floor(jitter * ceiling);
}

/**
 * The wait after a 423 Locked on attempt number `attempt` (1-based): at least half the exponential
 * ceiling, so a retry never lands at once on the lock it just met, and at most the ceiling.
 */
export function lockedBackoffDelayMs(attempt: number, retry: RetryOptions, random: () => number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jitter = Math.min(1, Math.max(0, random()));
  return Math.floor(ceiling / 2 + (jitter * ceiling) / 2);
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
