/**
 * The per-payment rate limits of the ePayment API guide (EPAYMENT-API.md §6), counted in a sliding
 * one-minute window of simulator-clock time. In memory only: a restart forgets the counters, like a
 * window simply running out.
 */
export const RATE_LIMITS = {
  create: 5,
  capture: 5,
  cancel: 5,
  refund: 5,
  getPayment: 120,
  getEvents: 120,
} as const;

export type RateLimitedOperation = keyof typeof RATE_LIMITS;
const WINDOW_MS = 60_000;

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  /** Counts one call; returns the seconds to wait when over the limit, otherwise undefined. */
  hit(operation: RateLimitedOperation, scope: string, nowMs: number): number | undefined {
    const key = `${operation}|${scope}`;
    const recent = (this.hits.get(key) ?? []).filter((at) => at > nowMs - WINDOW_MS);
    if (recent.length >= RATE_LIMITS[operation]) {
      this.hits.set(key, recent);
      return Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - nowMs) / 1000));
    }
    recent.push(nowMs);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.prune(nowMs);
    return undefined;
  }

  private prune(nowMs: number): void {
    for (const [key, times] of this.hits) {
      if (times.every((at) => at <= nowMs - WINDOW_MS)) this.hits.delete(key);
    }
  }
}
