import type { Clock } from "@/lib/clock";
import type { Store } from "@/lib/store/store";
import type { Logger } from "@/lib/log";
import type { SalesService } from "./sales-service";

/** Vipps retries a failed delivery for up to seven days; a duplicate cannot come later than that. */
const WEBHOOK_DEDUPE_WINDOW_MS = 8 * 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Polls Vipps for every attempt whose outcome we do not know yet. Webhooks are the fast path;
 * this is the one that makes the outcome certain when a webhook is late, lost or never sent.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private lastPruneMs = 0;
  private readonly inFlight = new Set<string>();
  private ticking = false;

  constructor(
    private readonly deps: { store: Store; sales: SalesService; clock: Clock; log: Logger; intervalMs?: number; concurrency?: number },
  ) {}

  /** Sweeps every open attempt at once (after a restart nothing may stay unresolved), then ticks. */
  start(): void {
    if (this.timer) return;
    void this.tick(true);
    this.timer = setInterval(() => void this.tick(false), this.deps.intervalMs ?? 200);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async tick(sweepAll = false): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const nowMs = this.deps.clock.now();
      if (nowMs - this.lastPruneMs > PRUNE_EVERY_MS) {
        this.lastPruneMs = nowMs;
        await this.deps.store.pruneProcessedWebhooks(new Date(nowMs - WEBHOOK_DEDUPE_WINDOW_MS).toISOString());
      }
      const attempts = await this.deps.store.listOpenAttempts();
      const due = attempts.filter(
        (attempt) =>
          !this.inFlight.has(attempt.id) &&
          (sweepAll || Date.parse(attempt.nextPollAt) <= nowMs || (attempt.state === "CREATED" && Date.parse(attempt.expiresAt) <= nowMs)),
      );
      const limit = this.deps.concurrency ?? 8;
      for (let i = 0; i < due.length; i += limit) {
        await Promise.all(due.slice(i, i + limit).map((attempt) => this.run(attempt.id, attempt.state === "CREATED" && Date.parse(attempt.expiresAt) <= nowMs)));
      }
    } catch (error) {
      this.deps.log.error("Reconciler tick failed", { error });
    } finally {
      this.ticking = false;
    }
  }

  private async run(attemptId: string, expiryDue: boolean): Promise<void> {
    this.inFlight.add(attemptId);
    try {
      if (expiryDue) await this.deps.sales.expireIfDue(attemptId);
      await this.deps.sales.reconcileAttempt(attemptId, "poll");
    } catch (error) {
      this.deps.log.warn("Reconciling an attempt failed", { attemptId, error });
    } finally {
      this.inFlight.delete(attemptId);
    }
  }
}
