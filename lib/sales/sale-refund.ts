import "server-only";
import { DomainError } from "@/lib/errors";
import { gatewayErrorStatus, gatewayErrorSummary, providerFailure } from "./payment-gateway";
import { randomId, refundIdFor, refundVippsKey } from "./payment-request";
import { getSaleOrThrow, isoAt, type SaleCommandsDeps } from "./sale-command-deps";
import type { EventSource, Sale } from "./types";

/**
 * How long a refund waits for another operation on the same sale before answering 409 with
 * Retry-After. Short, so that the answer comes while the client still listens.
 */
export const REFUND_QUEUE_WAIT_MS = 2_000;

/** When the reconciler asks Vipps about a refund whose outcome was never recorded (the call has had its time by then). */
export const REFUND_RECHECK_AFTER_MS = 60_000;

/**
 * Refunding a paid sale, in full or in part, once per Idempotency-Key: a retry whose first answer
 * was lost goes to Vipps again under the same key, and the outcome is recorded when it comes.
 */
export class SaleRefunds {
  constructor(private readonly deps: SaleCommandsDeps) {}

  private iso(ms?: number): string {
    return isoAt(this.deps, ms);
  }

  async refund(
    saleId: string,
    amount: number | undefined,
    source: EventSource,
    idempotencyKey?: string,
  ): Promise<Sale> {
    return this.deps.transitions.withSaleLock(
      saleId,
      async () => {
        const sale = await getSaleOrThrow(this.deps, saleId);
        const refundId = idempotencyKey ? refundIdFor(saleId, idempotencyKey) : randomId("rf");
        const previous = (await this.deps.sales.listRefunds(saleId)).find((refund) => refund.id === refundId);
        if (previous?.state === "done") {
          if (amount !== undefined && previous.amount !== amount) {
            throw new DomainError(
              "idempotencyConflict",
              "This Idempotency-Key was already used for a refund of another amount",
            );
          }
          return sale;
        }
        if (sale.state !== "captured" && sale.state !== "refunded")
          throw new DomainError("invalidState", `Only a paid sale can be refunded; this one is ${sale.state}`);
        const refundable = sale.capturedAmount - sale.refundedAmount;
        const value = previous?.amount ?? amount ?? refundable;
        if (previous && amount !== undefined && previous.amount !== amount) {
          throw new DomainError(
            "idempotencyConflict",
            "This Idempotency-Key was already used for a refund of another amount",
          );
        }
        // A refund whose answer was lost may have happened at Vipps, and other refunds may have been
        // counted since: its retry goes to Vipps under the same key, which answers it once, whatever
        // our count says. Vipps refuses it if it was never made and no longer fits.
        const replaying = previous?.state === "pending";
        if (!replaying && (value <= 0 || value > refundable)) {
          throw new DomainError(
            "refundTooLarge",
            `At most ${refundable} minor units of ${sale.currency} can be refunded; asked for ${value}`,
            {
              errors: [{ field: "amount", reason: `must be between 1 and ${refundable}` }],
              extra: { refundable },
            },
          );
        }
        if (!previous)
          await this.deps.sales.insertRefund({
            id: refundId,
            saleId,
            amount: value,
            state: "pending",
            createdAt: this.iso(),
          });
        const attempt = await this.deps.sales.getAttempt(sale.currentAttemptId);
        if (!attempt) throw new DomainError("notFound", `Sale ${saleId} has no payment attempt`);
        // Until the outcome is recorded below, the sale's amounts may lag behind Vipps: should this
        // process die in between, the reconciler finds the mark and asks Vipps (after the call has
        // had its time).
        const recheckSince = this.iso();
        await this.deps.sales.updateAttempt(attempt.id, {
          recheckSince,
          nextPollAt: new Date(this.deps.clock.now() + REFUND_RECHECK_AFTER_MS).toISOString(),
        });
        try {
          const result = await this.deps.gateway.refundPayment(
            attempt.reference,
            { modificationAmount: { value, currency: sale.currency } },
            { idempotencyKey: refundVippsKey(refundId) },
          );
          await this.deps.sales.updateRefund(refundId, "done");
          // Never less than we hold: a replayed key is answered with the totals as they were when
          // Vipps first made that refund, before the ones counted since.
          const refunded = Math.max(result.aggregate.refundedAmount.value, sale.refundedAmount);
          const updated = await this.deps.sales.transitionSale(
            sale.id,
            ["captured", "refunded"],
            {
              refundedAmount: refunded,
              state: refunded >= sale.capturedAmount ? "refunded" : "captured",
              updatedAt: this.iso(),
            },
            {
              type: "payment.refunded",
              source,
              attemptId: attempt.id,
              detail: { amount: value, refundedAmount: refunded },
            },
          );
          await this.deps.sales.clearAttemptRecheck(attempt.id, recheckSince);
          return updated ?? sale;
        } catch (error) {
          const status = gatewayErrorStatus(error);
          // Only Vipps' refusal settles it; without an answer the refund may have happened.
          if (status !== undefined && status < 500) {
            await this.deps.sales.updateRefund(refundId, "failed");
            await this.deps.sales.clearAttemptRecheck(attempt.id, recheckSince);
          }
          await this.deps.sales.appendEvent({
            saleId,
            attemptId: attempt.id,
            type: "payment.refund-failed",
            source,
            detail: { amount: value, error: gatewayErrorSummary(error) },
          });
          throw providerFailure(error, "Refund failed");
        }
      },
      { waitMs: REFUND_QUEUE_WAIT_MS },
    );
  }
}
