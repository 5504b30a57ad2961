import "server-only";
import { BackgroundWork } from "@/lib/background/background-work";
import { DISPLAY_FORGET_AFTER_MS } from "@/lib/entities/display";
import type { Clock } from "@/lib/clock";
import type { Logger } from "@/lib/log";
import type { CountersRepository, OperationsRepository, SalesRepository } from "@/lib/store/repositories";
import { type GatewayPaymentSnapshot, gatewayErrorStatus, type PaymentGateway } from "./payment-gateway";
import { CREATE_IN_FLIGHT_LIMIT_MS, nextPollDelayMs, WEBHOOKS_HEALTHY_FOR_MS } from "./payment-rules";
import type { SaleTransitions } from "./sale-transitions";
import type { EventSource, PaymentAttempt, Sale } from "./types";

/** Vipps retries a failed delivery for up to seven days; a duplicate cannot come later than that. */
const WEBHOOK_DEDUPE_WINDOW_MS = 8 * 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export interface ReconcilerDeps {
  sales: SalesRepository;
  /** And, as the store's hourly housekeeping, stale pairings, webhook ids and rate-limit hits are pruned. */
  counters: CountersRepository;
  operations: OperationsRepository;
  gateway: PaymentGateway;
  transitions: SaleTransitions;
  clock: Clock;
  log: Logger;
  intervalMs?: number;
  concurrency?: number;
  /**
   * Create calls: whether this process awaits one for an attempt, and how to finish one whose
   * process died waiting (same idempotency key). Without them a stuck create just times out.
   */
  creates?: {
    isCreating(attemptId: string): boolean;
    resumeCreate(attemptId: string, source: EventSource): Promise<void>;
  };
  /** With several instances: poll only while this instance holds the lease. */
  lease?: { readonly held: boolean; onAcquired(listener: () => void): void };
  saleChanged?: (terminalId: string) => Promise<void>;
}

/** A resumed create must leave the customer time to scan. */
const RESUME_MARGIN_MS = 60_000;
/**
 * The timer's ticks read the open attempts only when one of them is due or after this long: new
 * attempts (made here or on another instance) are first polled seconds after they are made, so
 * they are still found in time, and an idle tick costs no query.
 */
export const LIST_OPEN_ATTEMPTS_EVERY_MS = 1_000;

/**
 * Polls Vipps for every attempt whose outcome we do not know yet, expires QRs at their deadline
 * and sweeps every open attempt at start. Webhooks are the fast path; this is the one that makes
 * the outcome certain when a webhook is late, lost or never sent.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private lastPruneMs = 0;
  private readonly inFlight = new Set<string>();
  /** Wall time of this process's start on the app's clock: CREATING attempts from before it are orphans. */
  private readonly startedAtMs: number;
  private ticking = false;
  /** When the open attempts were last read, and the earliest poll or expiry among them. */
  private lastListedMs = Number.NEGATIVE_INFINITY;
  private nextDueMs = Number.NEGATIVE_INFINITY;
  private lastWebhookMs = Number.NEGATIVE_INFINITY;
  /** The ticks start() and the timer begin, which nobody awaits. */
  private readonly background = new BackgroundWork();

  constructor(private readonly deps: ReconcilerDeps) {
    this.startedAtMs = deps.clock.now();
  }

  /** Resolves once the ticks begun in the background (the sweeps, the timer's) have ended. */
  settled(): Promise<void> {
    return this.background.settled();
  }

  /**
   * Sweeps every open attempt at once (after a restart nothing may stay unresolved), then ticks.
   * An instance that takes the lease over from a dead one sweeps too: it inherits its open payments.
   */
  start(): void {
    if (this.timer) return;
    this.deps.lease?.onAcquired(() => this.background.track(this.tick(true)));
    this.background.track(this.tick(true));
    this.timer = setInterval(() => this.background.track(this.timerTick()), this.deps.intervalMs ?? 200);
    // Stryker disable next-line OptionalChaining: equivalent, Node's timers always have unref(); the ?. only spares other runtimes
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * A verified webhook arrived: while they do, polls back off (they only catch one that is lost).
   * Only this instance's webhooks count; an instance that hears none polls at the full rate.
   */
  noteWebhook(): void {
    this.lastWebhookMs = this.deps.clock.now();
  }

  private webhooksHealthy(nowMs: number): boolean {
    return nowMs - this.lastWebhookMs < WEBHOOKS_HEALTHY_FOR_MS;
  }

  /** The timer's tick: skipped without a query while no known attempt is due and the last read is recent. */
  private timerTick(): Promise<void> {
    const nowMs = this.deps.clock.now();
    if (nowMs < this.nextDueMs && nowMs - this.lastListedMs < LIST_OPEN_ATTEMPTS_EVERY_MS) return Promise.resolve();
    return this.tick(false);
  }

  async tick(sweepAll = false): Promise<void> {
    if (this.ticking || (this.deps.lease && !this.deps.lease.held)) return;
    this.ticking = true;
    try {
      const nowMs = this.deps.clock.now();
      if (nowMs - this.lastPruneMs > PRUNE_EVERY_MS) {
        this.lastPruneMs = nowMs;
        await this.deps.operations.pruneProcessedWebhooks(new Date(nowMs - WEBHOOK_DEDUPE_WINDOW_MS).toISOString());
        // Rate-limit windows are a minute of wall-clock time; an hour-old hit counts for nothing.
        await this.deps.operations.pruneRateLimitHits(Date.now() - PRUNE_EVERY_MS);
        // A pairing request lives ten minutes; one never completed is of no use after that.
        await this.deps.counters.pruneExpiredPairings(new Date(nowMs).toISOString());
        // A QR image outlives its payment by far after a day (a QR lives ten minutes).
        await this.deps.sales.pruneQrImages(new Date(nowMs - 24 * 60 * 60 * 1000).toISOString());
        // Displays not seen for a day are forgotten (wall-clock time, as presence is recorded).
        await this.deps.counters.pruneDisplayPresence(Date.now() - DISPLAY_FORGET_AFTER_MS);
      }
      const expiryDue = (attempt: PaymentAttempt) =>
        attempt.state === "CREATED" && Date.parse(attempt.expiresAt) <= nowMs;
      const open = await this.deps.sales.listOpenAttempts();
      this.lastListedMs = nowMs;
      this.nextDueMs = Math.min(
        ...open.map((attempt) =>
          Math.min(
            Date.parse(attempt.nextPollAt),
            attempt.state === "CREATED" ? Date.parse(attempt.expiresAt) : Number.POSITIVE_INFINITY,
          ),
        ),
      );
      const due = open.filter(
        (attempt) =>
          !this.inFlight.has(attempt.id) && (sweepAll || Date.parse(attempt.nextPollAt) <= nowMs || expiryDue(attempt)),
      );
      // `limit` polls at a time, each next one started as soon as one ends: a slow answer holds
      // up no more than its own attempt (batches waited for their slowest and fell behind at 100
      // open QRs).
      const limit = this.deps.concurrency ?? 8;
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(limit, due.length) }, async () => {
          while (next < due.length) {
            const attempt = due[next++]!;
            await this.run(attempt.id, expiryDue(attempt));
          }
        }),
      );
      // Those just polled have new times: the next tick reads them.
      if (due.length > 0) this.nextDueMs = Number.NEGATIVE_INFINITY;
    } catch (error) {
      this.deps.log.error("Reconciler tick failed", { error });
    } finally {
      this.ticking = false;
    }
  }

  private async run(attemptId: string, expiryDue: boolean): Promise<void> {
    this.inFlight.add(attemptId);
    try {
      if (expiryDue) await this.expireIfDue(attemptId);
      await this.reconcileAttempt(attemptId, "poll");
    } catch (error) {
      this.deps.log.warn("Reconciling an attempt failed", { attemptId, error });
    } finally {
      this.inFlight.delete(attemptId);
    }
  }

  /** Asks Vipps about one attempt and applies the answer; also expires and captures when due. */
  async reconcileAttempt(attemptId: string, source: EventSource = "poll"): Promise<void> {
    const { sales, gateway, transitions } = this.deps;
    const attempt = await sales.getAttempt(attemptId);
    if (!attempt) return;
    const sale = await sales.getSale(attempt.saleId);
    if (!sale) return;
    const nowMs = this.deps.clock.now();

    if (attempt.state === "CREATING") {
      // In flight here: its caller finishes it. Begun before this process started: its process
      // died waiting (a crash, kill -9). Otherwise another instance may still be waiting, as long
      // as a create call can take.
      const creates = this.deps.creates;
      if (creates?.isCreating(attempt.id)) return;
      const orphaned =
        Date.parse(attempt.createdAt) < this.startedAtMs ||
        nowMs - Date.parse(attempt.createdAt) > CREATE_IN_FLIGHT_LIMIT_MS;
      if (!orphaned) return;
      if (creates && Date.parse(attempt.expiresAt) - nowMs > RESUME_MARGIN_MS) {
        await creates.resumeCreate(attempt.id, "system");
        return;
      }
      // Too late to show its QR: the sale fails, the terminal is free, and the attempt is
      // reconciled as an unknown create (cancelled at Vipps should it exist).
      await sales.updateAttempt(attempt.id, { state: "CREATE_FAILED", nextPollAt: new Date(nowMs).toISOString() });
      const now = new Date(nowMs).toISOString();
      const failed = await sales.transitionSale(
        sale.id,
        ["pending"],
        { state: "failed", failureReason: "The create call's answer was lost", updatedAt: now, endedAt: now },
        {
          type: "payment.create-lost",
          source: "system",
          attemptId: attempt.id,
        },
      );
      if (failed) await this.deps.saleChanged?.(sale.terminalId);
      return;
    }

    // The poll's own bookkeeping goes out with the attempt's next write below (one write a poll).
    const polled = { lastPolledAt: new Date(nowMs).toISOString(), pollCount: attempt.pollCount + 1 };
    let snapshot: GatewayPaymentSnapshot;
    try {
      snapshot = await gateway.getPayment(attempt.reference);
    } catch (error) {
      if (gatewayErrorStatus(error) === 404 && attempt.state === "CREATE_FAILED") {
        await sales.updateAttempt(attempt.id, { state: "REJECTED", ...polled });
        return;
      }
      await this.schedulePoll({ ...attempt, ...polled }, sale.state, nowMs, true);
      return;
    }

    if (attempt.state === "CREATE_FAILED") {
      // The sale already failed; a payment that exists after all must not stay open.
      await sales.updateAttempt(attempt.id, { state: snapshot.state, ...polled });
      if (
        snapshot.state === "CREATED" ||
        (snapshot.state === "AUTHORIZED" && snapshot.aggregate.capturedAmount.value === 0)
      ) {
        await transitions.cancelAtVipps({ ...attempt, state: snapshot.state }, "superseded", source);
      }
      return;
    }

    let current: Sale | undefined;
    let fresh: PaymentAttempt;
    try {
      const updated = await transitions.withSaleLock(sale.id, () =>
        transitions.applySnapshot(attempt, snapshot, source),
      );
      // Read again only when the snapshot may have changed them: a poll that learns nothing (most
      // of them, a QR waiting to be scanned) reads the sale and the attempt once.
      const unchanged = snapshot.state === attempt.state && updated === undefined;
      fresh = unchanged ? attempt : ((await sales.getAttempt(attempt.id)) ?? attempt);
      current = updated ?? (unchanged ? sale : await sales.getSale(sale.id));
    } catch (error) {
      await sales.updateAttempt(attempt.id, polled);
      throw error;
    }

    // Stryker disable next-line OptionalChaining: equivalent, the store never deletes a sale, so a sale read back here is never undefined
    if (snapshot.state === "CREATED" && current?.state === "pending" && Date.parse(attempt.expiresAt) <= nowMs) {
      await sales.updateAttempt(attempt.id, polled);
      await transitions.withSaleLock(sale.id, () => transitions.cancelAtVipps(fresh, "expired", "system"));
      return;
    }
    // Stryker disable next-line OptionalChaining: equivalent, the store never deletes a sale, so a sale read back here is never undefined
    if (current?.state === "authorized" && current.autoCapture) {
      // A capture that failed earlier is retried here; the sale's capture key keeps it single.
      try {
        current = (await transitions.capture(current.id, source)) ?? current;
      } catch (error) {
        this.deps.log.warn("Retrying the capture of an approved sale failed; the next poll tries again", {
          saleId: current.id,
          attemptId: attempt.id,
          err: error,
        });
      }
    }
    await this.schedulePoll({ ...fresh, ...polled }, current?.state, nowMs, false);
    // A GET has been applied: the amounts no longer lag behind Vipps (unless marked again since).
    if (attempt.recheckSince) await sales.clearAttemptRecheck(attempt.id, attempt.recheckSince);
  }

  /** Expires a QR at its deadline without waiting for the next poll. */
  async expireIfDue(attemptId: string): Promise<void> {
    const { sales, transitions } = this.deps;
    const attempt = await sales.getAttempt(attemptId);
    if (attempt?.state !== "CREATED" || Date.parse(attempt.expiresAt) > this.deps.clock.now()) return;
    const sale = await sales.getSale(attempt.saleId);
    if (sale?.state !== "pending" || sale.currentAttemptId !== attempt.id) return;
    await transitions.withSaleLock(sale.id, () => transitions.cancelAtVipps(attempt, "expired", "system"));
  }

  /** Writes the poll's bookkeeping (in `attempt`) with the time of the next poll, in one write. */
  private async schedulePoll(
    attempt: PaymentAttempt,
    saleState: Sale["state"] | undefined,
    nowMs: number,
    failed: boolean,
  ): Promise<void> {
    const delay = nextPollDelayMs({ attempt, saleState, nowMs, failed, webhooksHealthy: this.webhooksHealthy(nowMs) });
    await this.deps.sales.updateAttempt(attempt.id, {
      lastPolledAt: attempt.lastPolledAt,
      pollCount: attempt.pollCount,
      nextPollAt: new Date(nowMs + delay).toISOString(),
    });
  }
}
