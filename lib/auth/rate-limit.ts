import "server-only";
import { createHash } from "node:crypto";
import type { OperationsRepository } from "@/lib/store/repositories";

/**
 * In-memory sliding-window limiter, one window per key (an IP address, say). It is per process;
 * the app itself counts in the store (StoreRateLimit below) so that several instances share limits.
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

  /**
   * Whether another attempt is allowed now, and if not, how long until one is. `limit` overrides the
   * limiter's own for this call: callers trusted more may take more of the same window.
   */
  check(key: string, nowMs: number, limit = this.limit): { allowed: boolean; retryAfterMs: number } {
    const recent = this.recent(key, nowMs);
    if (recent.length < limit) return { allowed: true, retryAfterMs: 0 };
    const oldest = recent[recent.length - limit]!;
    return { allowed: false, retryAfterMs: Math.max(1, oldest + this.windowMs - nowMs) };
  }

  record(key: string, nowMs: number): void {
    const recent = this.recent(key, nowMs);
    recent.push(nowMs);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.prune(nowMs);
  }

  /** `check` then `record` in one step, for limits that count every request. */
  consume(key: string, nowMs: number, limit = this.limit): { allowed: boolean; retryAfterMs: number } {
    const verdict = this.check(key, nowMs, limit);
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
  const registry = ((
    globalThis as { __kassaRateLimiters?: Map<string, SlidingWindowRateLimiter> }
  ).__kassaRateLimiters ??= new Map());
  let limiter = registry.get(name);
  if (!limiter) {
    limiter = new SlidingWindowRateLimiter(limit, windowMs);
    registry.set(name, limiter);
  }
  return limiter;
}

export interface Verdict {
  allowed: boolean;
  retryAfterMs: number;
}

/**
 * A sliding-window limit, asynchronous so that its state may live in the shared database. `limit`
 * overrides the configured one for a call, so differently trusted callers can share one window.
 */
export interface SharedRateLimit {
  check(key: string, nowMs: number, limit?: number): Promise<Verdict>;
  record(key: string, nowMs: number): Promise<void>;
  consume(key: string, nowMs: number, limit?: number): Promise<Verdict>;
  reset(key: string): Promise<void>;
}

/** The same limit kept in the store, so every instance counts the same hits. */
export class StoreRateLimit implements SharedRateLimit {
  constructor(
    private readonly store: Pick<
      OperationsRepository,
      "recordRateLimitHit" | "countRateLimitHits" | "takeRateLimitToken" | "clearRateLimitHits"
    >,
    private readonly bucket: string,
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  async check(key: string, nowMs: number, limit = this.limit): Promise<Verdict> {
    const { count, oldestMs } = await this.store.countRateLimitHits(this.bucket, storedKey(key), nowMs - this.windowMs);
    if (count < limit) return { allowed: true, retryAfterMs: 0 };
    return this.refused(oldestMs, nowMs);
  }

  async record(key: string, nowMs: number): Promise<void> {
    await this.store.recordRateLimitHit(this.bucket, storedKey(key), nowMs);
  }

  /** One atomic take-a-token in the store: parallel callers on any instance never pass the limit together. */
  async consume(key: string, nowMs: number, limit = this.limit): Promise<Verdict> {
    const { taken, oldestMs } = await this.store.takeRateLimitToken(
      this.bucket,
      storedKey(key),
      nowMs,
      nowMs - this.windowMs,
      limit,
    );
    return taken ? { allowed: true, retryAfterMs: 0 } : this.refused(oldestMs, nowMs);
  }

  async reset(key: string): Promise<void> {
    await this.store.clearRateLimitHits(this.bucket, storedKey(key));
  }

  private refused(oldestMs: number | undefined, nowMs: number): Verdict {
    return { allowed: false, retryAfterMs: Math.max(1, (oldestMs ?? nowMs) + this.windowMs - nowMs) };
  }
}

/** Longest key stored as it is; a longer one (an 8,000-character X-Forwarded-For, say) is stored as its hash. */
export const MAX_STORED_KEY_LENGTH = 128;

function storedKey(key: string): string {
  if (key.length <= MAX_STORED_KEY_LENGTH) return key;
  return `sha256:${createHash("sha256").update(key).digest("hex")}`;
}

/** The in-process limiter behind the same interface (tests, tools). */
export function inProcessRateLimit(limiter: SlidingWindowRateLimiter): SharedRateLimit {
  return {
    check: async (key, nowMs, limit) => limiter.check(key, nowMs, limit),
    record: async (key, nowMs) => limiter.record(key, nowMs),
    consume: async (key, nowMs, limit) => limiter.consume(key, nowMs, limit),
    reset: async (key) => limiter.reset(key),
  };
}
