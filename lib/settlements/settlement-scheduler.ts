import "server-only";
import type { Lease } from "@/lib/background/lease";
import type { Logger } from "@/lib/log";
import type { ImportRun, SettlementImporter } from "./settlement-importer";

/** Longest wait between tries while the Report API keeps failing: 15 minutes at the default interval of a minute. */
export const MAX_BACKOFF_MS = 15 * 60_000;

/** The cap for an interval: fifteen intervals (at least a minute), never over MAX_BACKOFF_MS. */
const capFor = (intervalMs: number) => Math.min(MAX_BACKOFF_MS, Math.max(60_000, 15 * intervalMs));

/** The first wait after a failure: short, since the first run at start-up may come before the server listens. */
export const FIRST_BACKOFF_MS = 5_000;

/** How long to wait after `failures` failed runs in a row: doubling from a few seconds, capped. */
export function backoffMs(intervalMs: number, failures: number): number {
  if (failures <= 0) return intervalMs;
  return Math.min(capFor(intervalMs), Math.min(intervalMs, FIRST_BACKOFF_MS) * 2 ** Math.min(failures, 20));
}

/**
 * Runs one MSN's importer where its lease is held (one instance at a time across instances), every
 * `intervalMs`; while runs fail (the Report API answers errors or does not answer, it lags by hours
 * during incidents) the wait doubles up to fifteen intervals (MAX_BACKOFF_MS at most), and the
 * first success restores it.
 */
export class SettlementScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ImportRun | undefined> | undefined;
  private failures = 0;
  private stopped = true;
  private lastError: string | undefined;

  constructor(
    private readonly deps: {
      importer: SettlementImporter;
      lease: Lease;
      log: Logger;
      intervalMs: number;
    },
  ) {}

  get msn(): string {
    return this.deps.importer.msn;
  }

  /** The last run's failure (a listing of the ledgers fails before any feed is read), if it failed. */
  get error(): string | undefined {
    return this.lastError;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.deps.lease.start();
    this.deps.lease.onAcquired(() => this.soon());
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.deps.lease.stop();
  }

  /** Runs as soon as possible (the clock moved, the lease was gained); a run under way is not doubled. */
  soon(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  /** One run now, where the lease is held; undefined elsewhere, or when a run is already under way (which it waits for). */
  async tick(): Promise<ImportRun | undefined> {
    if (this.running) return this.running;
    if (!this.deps.lease.held) return undefined;
    this.running = this.runOnce();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async runOnce(): Promise<ImportRun | undefined> {
    try {
      const run = await this.deps.importer.run();
      if (this.failures > 0) this.deps.log.info("The settlement import works again", { msn: this.msn });
      this.failures = 0;
      this.lastError = undefined;
      if (run.stored > 0) this.deps.log.info("Imported settlement entries", { msn: this.msn, stored: run.stored });
      return run;
    } catch (error) {
      this.failures += 1;
      this.lastError = error instanceof Error ? error.message : String(error);
      this.deps.log.warn("The settlement import failed; it tries again later", {
        msn: this.msn,
        failures: this.failures,
        retryInMs: backoffMs(this.deps.intervalMs, this.failures),
        err: error,
      });
      return undefined;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick().finally(() => this.schedule(backoffMs(this.deps.intervalMs, this.failures)));
    }, delayMs);
    this.timer.unref();
  }
}
