import "server-only";
/**
 * In-memory sliding-window limiter, one window per key (an IP address, say). It is per process,
 * which matches how the app runs (one `next start`); several instances would need a shared store.
 */
export class SlidingWindowRateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  private recent(key: string, nowMs: number): number[] {
    const since = nowMs - this.windowMs;
    const kept = (this.hits.get(key) ?? []).filter((at) => at > since && at <= nowMs);
    if (kept.length === 0) this.hits.delete(key);
    else this.hits.set(key, kept);
    return kept;
  }

  /** Whether another attempt is allowed now, and if not, how long until one is. */
  check(key: string, nowMs: number): { allowed: boolean; retryAfterMs: number } {
    const recent = this.recent(key, nowMs);
    if (recent.length < this.limit) return { allowed: true, retryAfterMs: 0 };
    const oldest = recent[recent.length - this.limit]!;
    return { allowed: false, retryAfterMs: Math.max(1, oldest + this.windowMs - nowMs) };
  }

  record(key: string, nowMs: number): void {
    const recent = this.recent(key, nowMs);
    recent.push(nowMs);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.prune(nowMs);
  }

  /** `check` then `record` in one step, for limits that count every request. */
  consume(key: string, nowMs: number): { allowed: boolean; retryAfterMs: number } {
    const verdict = this.check(key, nowMs);
    if (verdict.allowed) this.record(key, nowMs);
    return verdict;
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private prune(nowMs: number): void {
    for (const key of [...this.hits.keys()]) this.recent(key, nowMs);
  }
}

/**
 * Limiters live on globalThis so that route bundles which Next loads separately share one
 * window per key instead of each counting on its own.
 */
export function sharedRateLimiter(name: string, limit: number, windowMs: number): SlidingWindowRateLimiter {
  const registry = ((globalThis as { __kassaRateLimiters?: Map<string, SlidingWindowRateLimiter> }).__kassaRateLimiters ??=
    new Map());
  let limiter = registry.get(name);
  if (!limiter) {
    limiter = new SlidingWindowRateLimiter(limit, windowMs);
    registry.set(name, limiter);
  }
  return limiter;
}

/** The client address as the server in front of us (or Next itself) reports it. */
export function clientKey(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for");
  const first = forwarded?.split(",")[0]?.trim();
  return first || request.headers.get("x-real-ip") || "unknown";
}
