import "server-only";
import { DomainError } from "@/lib/errors";
import type { PaymentAttempts } from "./payment-attempts";
import { getSaleOrThrow, isoAt, type SaleCommandsDeps } from "./sale-command-deps";
import { ACTIVE_SALE_STATES, type EventSource, type Sale } from "./types";

/**
 * Cancelling a sale that is still open: at Vipps when a payment exists there, locally when the
 * create never got that far (and at Vipps after all should its create answer late).
 */
export class SaleCancellation {
  constructor(
    private readonly deps: SaleCommandsDeps,
    private readonly attempts: PaymentAttempts,
  ) {}

  private iso(ms?: number): string {
    return isoAt(this.deps, ms);
  }

  async cancel(saleId: string, source: EventSource): Promise<Sale> {
    return this.deps.transitions.withSaleLock(saleId, async () => {
      const sale = await getSaleOrThrow(this.deps, saleId);
      if (sale.state === "cancelled") return sale;
      if (!ACTIVE_SALE_STATES.includes(sale.state)) {
        const hint = sale.state === "captured" ? " Refund it instead." : "";
        throw new DomainError("invalidState", `A ${sale.state} sale cannot be cancelled.${hint}`);
      }
      const attempt = await this.deps.sales.getAttempt(sale.currentAttemptId);
      if (!attempt) throw new DomainError("notFound", `Sale ${saleId} has no payment attempt`);
      if (attempt.state === "CREATING" || attempt.state === "CREATE_FAILED" || attempt.state === "REJECTED") {
        // Nothing is open at Vipps that we know of; the reconciler cancels a payment that turns up.
        const now = this.iso();
        const cancelled = await this.deps.transitions.transition(
          sale,
          ["pending"],
          { state: "cancelled", updatedAt: now, endedAt: now },
          { type: "sale.cancelled", source, attemptId: attempt.id, detail: { reference: attempt.reference } },
        );
        // A create call that answered meanwhile made the payment after all (see PaymentAttempts.start).
        const after = await this.deps.sales.getAttempt(attempt.id);
        if (cancelled && after?.state === "CREATED") await this.attempts.endCreatedTooLate(after, source);
        return cancelled ?? sale;
      }
      const after =
        (await this.deps.transitions.cancelAtVipps(attempt, "cancelled", source, true)) ??
        (await getSaleOrThrow(this.deps, saleId));
      // A 2xx must mean it happened: if Vipps did not end the payment, say so.
      if (ACTIVE_SALE_STATES.includes(after.state)) {
        throw new DomainError(
          "paymentProvider",
          `Vipps MobilePay did not confirm the cancel; the sale is still ${after.state}. Try again.`,
        );
      }
      // Vipps had captured it already (an answer lost with a restart): nothing was cancelled.
      if (
        after.state !== "cancelled" &&
        after.state !== "expired" &&
        after.state !== "aborted" &&
        after.state !== "failed"
      ) {
        throw new DomainError(
          "invalidState",
          `The payment had already been captured at Vipps MobilePay; the sale is ${after.state}, not cancelled. Refund it instead.`,
        );
      }
      return after;
    });
  }
}
