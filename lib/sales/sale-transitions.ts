import "server-only";
import { BackgroundWork } from "@/lib/background/background-work";
import type { Clock } from "@/lib/clock";
import type { NewSaleEvent } from "@/lib/entities/sale";
import { DomainError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import type { SalesRepository } from "@/lib/store/repositories";
import {
  type GatewayPaymentSnapshot,
  type PaymentGateway,
  gatewayErrorCode,
  gatewayErrorSummary,
  providerFailure,
} from "./payment-gateway";
import { decideFromSnapshot } from "./sale-state-machine";
import type { EventSource, PaymentAttempt, Sale } from "./types";

export type CancelReason = NonNullable<PaymentAttempt["cancelReason"]>;

export interface SaleTransitionsDeps {
  sales: SalesRepository;
  gateway: PaymentGateway;
  clock: Clock;
  log: Logger;
  /** Told after every change of a terminal's sale, so displays follow. */
  saleChanged: (terminalId: string) => Promise<void>;
  /** Where the capture an approval starts is tracked; its own when not given. */
  background?: BackgroundWork;
}

/**
 * Applies what Vipps says to our sales, and makes the calls that move money. Every change is a
 * compare-and-set in the store (decided by the pure state machine), and every money-moving call
 * carries an idempotency key derived from the sale or attempt, so a webhook, a poll and a cashier
 * acting on one sale at once cannot double anything.
 */
export class SaleTransitions {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly background: BackgroundWork;

  constructor(private readonly deps: SaleTransitionsDeps) {
    this.background = deps.background ?? new BackgroundWork();
  }

  /** Resolves once the captures that approvals started in the background have ended. */
  settled(): Promise<void> {
    return this.background.settled();
  }

  private iso(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  /**
   * Serialises work on one sale inside this process, which keeps the number of Vipps calls down;
   * correctness across processes rests on the compare-and-set and the idempotency keys.
   *
   * With `waitMs`, a caller that cannot start within that time gives up with a 409 and Retry-After
   * instead of queueing: its work then never runs, so a client that has stopped waiting cannot have
   * money moved for it later (20 parallel refunds of one sale used to queue for a minute each).
   */
  async withSaleLock<T>(saleId: string, work: () => Promise<T>, options: { waitMs?: number } = {}): Promise<T> {
    const previous = this.locks.get(saleId) ?? Promise.resolve();
    // Decided once, synchronously: either the work starts or the caller gives up, never both.
    let turn: "waiting" | "started" | "abandoned" = "waiting";
    let giveUp: ReturnType<typeof setTimeout> | undefined;
    const start = () => {
      clearTimeout(giveUp);
      if (turn === "abandoned") return undefined as T;
      turn = "started";
      return work();
    };
    // After the previous work, whether it succeeded or failed: its failure is its own caller's,
    // who awaits it, and must not stop the work queued behind it.
    const next = previous.then(start, start);
    this.locks.set(saleId, next);
    const release = () => {
      if (this.locks.get(saleId) === next) this.locks.delete(saleId);
    };
    if (options.waitMs === undefined) {
      try {
        return await next;
      } finally {
        release();
      }
    }
    const abandoned = new Promise<"abandoned">((resolve) => {
      giveUp = setTimeout(() => {
        if (turn !== "waiting") return;
        turn = "abandoned";
        resolve("abandoned");
      }, options.waitMs);
    });
    const outcome = await Promise.race([
      next.then(
        () => "done" as const,
        () => "done" as const,
      ),
      abandoned,
    ]);
    if (outcome === "abandoned") {
      // The queue still holds `next`, which ends at once without working when its turn comes.
      void next.finally(release);
      throw new DomainError("saleBusy", "Another operation on this sale is in progress; try again in a moment.", {
        retryAfterSeconds: 1,
      });
    }
    try {
      return await next;
    } finally {
      release();
    }
  }

  /** Compare-and-set plus its audit event; tells the displays when it applied. */
  async transition(
    sale: Sale,
    from: readonly Sale["state"][],
    patch: Partial<Omit<Sale, "id">>,
    event: NewSaleEvent,
  ): Promise<Sale | undefined> {
    const updated = await this.record(sale, from, patch, event);
    if (updated) await this.deps.saleChanged(sale.terminalId);
    return updated;
  }

  /** transition without telling the displays: the caller does, once it has started what follows. */
  private async record(
    sale: Sale,
    from: readonly Sale["state"][],
    patch: Partial<Omit<Sale, "id">>,
    event: NewSaleEvent,
  ): Promise<Sale | undefined> {
    const updated = await this.deps.sales.transitionSale(sale.id, from, patch, event);
    if (updated)
      this.deps.log.info("Sale changed", { saleId: sale.id, from: sale.state, to: updated.state, via: event.source });
    return updated;
  }

  /**
   * Applies a payment snapshot from GET payment, a modification answer or a webhook. Idempotent
   * and monotonic. Returns the sale after the change, or undefined when nothing changed.
   */
  async applySnapshot(
    attempt: PaymentAttempt,
    snapshot: GatewayPaymentSnapshot,
    source: EventSource,
  ): Promise<Sale | undefined> {
    const sale = await this.deps.sales.getSale(attempt.saleId);
    if (!sale) return undefined;
    const verdict = decideFromSnapshot({ sale, attempt, snapshot, nowIso: this.iso() });
    if (verdict.attemptState) await this.deps.sales.updateAttempt(attempt.id, { state: verdict.attemptState });

    const decision = verdict.decision;
    let result: Sale | undefined;
    if (decision.kind === "release-superseded") {
      await this.cancelAtVipps({ ...attempt, state: snapshot.state }, "superseded", source);
      return sale;
    }
    if (decision.kind === "transition") {
      result = await this.record(sale, decision.from, decision.patch, {
        type: decision.eventType,
        source,
        attemptId: attempt.id,
        detail: { reference: attempt.reference, ...decision.detail },
      });
    }
    if (verdict.captureIfAuto) {
      const current = result ?? (await this.deps.sales.getSale(sale.id));
      // Not awaited: the capture follows on its own. Started before the approval is shown, so the
      // call to Vipps is on its way while the displays read the approved state, not after.
      // Stryker disable next-line OptionalChaining: equivalent, the store never deletes a sale, so a sale read back here is never undefined
      if (current?.state === "authorized" && current.autoCapture) {
        this.background.track(
          this.capture(current.id, source).catch((error: unknown) =>
            this.deps.log.warn("Capturing an approved sale failed; the reconciler retries", {
              saleId: current.id,
              attemptId: attempt.id,
              err: error,
            }),
          ),
        );
      }
    }
    if (result) await this.deps.saleChanged(sale.terminalId);
    return result;
  }

  /** Captures the whole amount once; a second call finds the sale captured and does nothing. */
  async capture(saleId: string, source: EventSource): Promise<Sale | undefined> {
    return this.withSaleLock(saleId, async () => {
      const sale = await this.deps.sales.getSale(saleId);
      if (sale?.state !== "authorized") return sale;
      const attempt = await this.deps.sales.getAttempt(sale.currentAttemptId);
      if (!attempt) return sale;
      try {
        // One key per sale: however often this is retried, from however many places, Vipps
        // captures the amount once.
        const result = await this.deps.gateway.capturePayment(
          attempt.reference,
          { modificationAmount: { value: sale.amount, currency: sale.currency } },
          { idempotencyKey: `capture-${sale.id}` },
        );
        // Undefined when nothing was recorded here: another instance applied the same capture
        // first (its compare-and-set won). The sale as it is now is the answer, not the stale read.
        return (await this.applySnapshot(attempt, result, source)) ?? (await this.deps.sales.getSale(saleId)) ?? sale;
      } catch (error) {
        // 6260 (funds unavailable) and 6280 (try later) included: the reconciler retries with its
        // back-off while the sale waits approved, and the event says which code Vipps gave.
        const errorCode = gatewayErrorCode(error);
        await this.deps.sales.appendEvent({
          saleId,
          attemptId: attempt.id,
          type: "payment.capture-failed",
          source,
          detail: { error: gatewayErrorSummary(error), ...(errorCode ? { errorCode } : {}) },
        });
        this.deps.log.warn("Capture failed; the reconciler retries", {
          saleId,
          error: gatewayErrorSummary(error),
          errorCode,
        });
        throw providerFailure(error, "Capture failed");
      }
    });
  }

  /**
   * Cancels the attempt at Vipps. For expiry we ask to cancel only an unapproved payment, so an
   * approval that lands in the last second is captured rather than thrown away. With `mustSucceed`
   * a failure that leaves the payment open is thrown (the cashier asked); otherwise the
   * reconciler retries.
   */
  async cancelAtVipps(
    attempt: PaymentAttempt,
    reason: CancelReason,
    source: EventSource,
    mustSucceed = false,
  ): Promise<Sale | undefined> {
    await this.deps.sales.updateAttempt(attempt.id, { cancelReason: reason });
    const marked = { ...attempt, cancelReason: reason };
    try {
      const result = await this.cancelRetryingWhileProcessing(attempt, reason);
      return await this.applySnapshot(marked, result, source);
    } catch (error) {
      // The cancel may have been refused because the payment already ended (expired, aborted);
      // the GET tells which.
      const ids = { saleId: attempt.saleId, attemptId: attempt.id, reference: attempt.reference };
      this.deps.log.warn("Cancel at Vipps failed; checking the payment", { ...ids, error: gatewayErrorSummary(error) });
      try {
        const snapshot = await this.deps.gateway.getPayment(attempt.reference);
        if (snapshot.state !== "CREATED") return await this.applySnapshot(marked, snapshot, source);
      } catch (checking) {
        this.deps.log.warn("Checking the payment after a failed cancel failed too; the reconciler retries", {
          ...ids,
          err: checking,
        });
      }
      if (mustSucceed) throw providerFailure(error, "Cancel failed");
      return undefined;
    }
  }

  /**
   * Vipps answers 6250 while the payment is being processed (an approval on its way): the cancel
   * can succeed a moment later, so it is sent again, with the same key, after short waits.
   */
  private async cancelRetryingWhileProcessing(
    attempt: PaymentAttempt,
    reason: CancelReason,
  ): Promise<GatewayPaymentSnapshot> {
    const send = () =>
      this.deps.gateway.cancelPayment(attempt.reference, {
        idempotencyKey: `cancel-${attempt.id}`,
        ...(reason === "expired" ? { cancelTransactionOnly: true } : {}),
      });
    for (const waitMs of PROCESSING_RETRY_WAITS_MS) {
      try {
        return await send();
      } catch (error) {
        if (gatewayErrorCode(error) !== "6250") throw error;
        this.deps.log.info("Vipps is processing the payment; sending the cancel again shortly", {
          reference: attempt.reference,
          waitMs,
        });
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
    return send();
  }
}

/** Waits between cancels refused with 6250 ("being processed"): about two seconds in all, a cashier's patience. */
const PROCESSING_RETRY_WAITS_MS = [200, 600, 1200];
