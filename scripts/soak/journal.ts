/**
 * What one soak run did and found: counters of faults and events, the timeline of fault changes and
 * restarts (to tell what was going on around a sale that broke), and the violations.
 */
export class Journal {
  readonly startedAt = Date.now();
  /** Fault kinds switched on, e.g. "capture:drop", "webhooks:reorder". */
  readonly faults = new Counter();
  /** Everything else that was exercised: scenarios, races, retries, kills. */
  readonly events = new Counter();
  readonly timeline: { at: number; text: string }[] = [];
  readonly violations: string[] = [];
  /** Sale ids (or other subjects) with a violation, for the detail dump. */
  readonly suspects = new Set<string>();
  restarts = 0;

  constructor(readonly store: string) {}

  note(text: string): void {
    this.timeline.push({ at: Date.now(), text });
  }

  /**
   * Forgets the violations found after `count` were recorded (those of an earlier look at the
   * settled state), so that the next look reports only what it finds.
   */
  forgetViolationsAfter(count: number, suspects: ReadonlySet<string>): void {
    this.violations.length = count;
    this.suspects.clear();
    for (const suspect of suspects) this.suspects.add(suspect);
  }

  violation(subject: string, reason: string): void {
    this.violations.push(`violation [${this.store}] ${subject}: ${reason}`);
    const saleId = /\bsale_[A-Za-z0-9_-]+/.exec(subject)?.[0];
    if (saleId) this.suspects.add(saleId);
  }

  /** Timeline entries between two moments, as "+12.3s text" relative to the run's start. */
  between(fromMs: number, toMs: number): string[] {
    return this.timeline
      .filter((entry) => entry.at >= fromMs && entry.at <= toMs)
      .map((entry) => `${this.clock(entry.at)} ${entry.text}`);
  }

  /** The last timeline entry at or before a moment (the fault set then in force, say). */
  lastBefore(atMs: number, prefix: string): string | undefined {
    const entry = this.timeline.filter((e) => e.at <= atMs && e.text.startsWith(prefix)).at(-1);
    return entry ? `${this.clock(entry.at)} ${entry.text}` : undefined;
  }

  clock(atMs: number): string {
    return `+${((atMs - this.startedAt) / 1000).toFixed(1)}s`;
  }
}

export class Counter {
  private readonly counts = new Map<string, number>();

  add(key: string, by = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + by);
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const value of this.counts.values()) sum += value;
    return sum;
  }

  merge(other: Counter): void {
    for (const [key, value] of other.entries()) this.add(key, value);
  }

  entries(): [string, number][] {
    return [...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b));
  }

  format(): string {
    return this.entries()
      .map(([key, value]) => `${key} ${value}`)
      .join(", ");
  }
}
