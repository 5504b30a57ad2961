/**
 * All time in the server goes through a Clock so that tests can move time forward (a QR lives
 * ten minutes) without sleeping. The simulator and the sales domain share one clock per process,
 * so advancing it expires a payment at "Vipps" and at the till in the same instant.
 */
export interface Clock {
  now(): number;
}

type AdvanceListener = (nowMs: number) => void;

export class AdjustableClock implements Clock {
  private offsetMs = 0;
  private readonly listeners = new Set<AdvanceListener>();

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves time forward and lets timer-driven workers react at once instead of on their next tick. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("Time can only move forward");
    this.offsetMs += ms;
    const now = this.now();
    for (const listener of this.listeners) listener(now);
    return now;
  }

  onAdvance(listener: AdvanceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get offset(): number {
    return this.offsetMs;
  }
}

export const isoAt = (ms: number): string => new Date(ms).toISOString();
