import "server-only";
import { DomainError, isStoreError } from "@/lib/errors";
import { MAXIMUM_PAYMENT, MINIMUM_PAYMENT, priceLines } from "./money";
import type { PaymentAttempts } from "./payment-attempts";
import { newAttempt, newReceiptId, randomId, requestHash, summarizeLines } from "./payment-request";
import { getSaleOrThrow, isoAt, type SaleCommandsDeps, terminalBusy } from "./sale-command-deps";
import type { CreateSaleInput } from "./sale-input";
import type { EventSource, Sale } from "./types";

/** States from which a sale may get a fresh QR (a new attempt at Vipps). */
const RETRYABLE_STATES: readonly Sale["state"][] = ["expired", "aborted", "failed", "cancelled"];

/**
 * The paths that start a payment attempt: a new sale (replayed under its Idempotency-Key), a new
 * QR for an ended one, and a create whose answer was lost with its process. Each stores the sale
 * and attempt, then hands the call to Vipps to PaymentAttempts.
 */
export class SaleCreation {
  constructor(
    private readonly deps: SaleCommandsDeps,
    private readonly attempts: PaymentAttempts,
  ) {}

  private iso(ms?: number): string {
    return isoAt(this.deps, ms);
  }

  async create(
    input: CreateSaleInput,
    options: { source: EventSource; idempotencyKey?: string; operator?: string },
  ): Promise<{ sale: Sale; replayed: boolean }> {
    const hash = requestHash(input);
    if (options.idempotencyKey) {
      const existing = await this.deps.sales.getSaleByIdempotencyKey(options.idempotencyKey);
      if (existing) return { sale: this.replayable(existing, hash), replayed: true };
    }

    const terminal = await this.deps.counters.getTerminal(input.terminalId);
    if (!terminal) {
      throw new DomainError("validation", `There is no terminal with id ${input.terminalId}`, {
        errors: [{ field: "terminalId", reason: "unknown terminal" }],
      });
    }
    const lines = priceLines(input.lines);
    const amount = lines.reduce((sum, line) => sum + line.totalAmount, 0);
    if (amount < MINIMUM_PAYMENT[input.currency] || amount > MAXIMUM_PAYMENT) {
      throw new DomainError(
        "validation",
        `The total must be between ${MINIMUM_PAYMENT[input.currency]} and ${MAXIMUM_PAYMENT} minor units of ${input.currency}; it is ${amount}`,
        {
          errors: [{ field: "lines", reason: "total out of the range Vipps MobilePay accepts" }],
        },
      );
    }
    const active = await this.deps.sales.getActiveSale(terminal.id);
    // A retry whose first try another instance stored after the look-up above finds that very
    // sale here: it is the answer (or a conflict, for another body), never "busy with itself".
    if (active && options.idempotencyKey && active.idempotencyKey === options.idempotencyKey)
      return { sale: this.replayable(active, hash), replayed: true };
    if (active) throw terminalBusy(terminal.id, active.id);
    const admission = this.deps.availability?.admit();
    if (admission && !admission.admitted) {
      throw new DomainError(
        "vippsUnavailable",
        "Vipps is not answering. Take the payment another way; new sales are tried again shortly.",
        {
          retryAfterSeconds: admission.retryAfterSeconds,
          extra: { vipps: this.deps.availability!.status() },
        },
      );
    }

    const unit = this.deps.salesUnitOf
      ? await this.deps.salesUnitOf(terminal.storeId)
      : terminal.storeId
        ? { storeId: terminal.storeId }
        : {};
    const nowMs = this.deps.clock.now();
    const saleId = randomId("sale");
    const attempt = newAttempt(saleId, nowMs);
    const sale: Sale = {
      id: saleId,
      terminalId: terminal.id,
      receiptNumber: String(await this.deps.settings.nextSequence("receipt")).padStart(6, "0"),
      currency: input.currency,
      amount,
      description: input.description?.trim() || summarizeLines(lines),
      lines,
      state: "pending",
      autoCapture: await this.deps.autoCapture(),
      capturedAmount: 0,
      refundedAmount: 0,
      currentAttemptId: attempt.id,
      attemptCount: 1,
      idempotencyKey: options.idempotencyKey,
      requestHash: hash,
      ...(input.customerPhone ? { customerPhone: input.customerPhone } : {}),
      ...(input.pushCustomer ? { pushCustomer: input.pushCustomer } : {}),
      ...(input.posReference ? { posReference: input.posReference } : {}),
      ...(options.operator ? { operator: options.operator } : {}),
      receiptId: newReceiptId(),
      ...unit,
      createdAt: this.iso(nowMs),
      updatedAt: this.iso(nowMs),
    };
    try {
      await this.deps.sales.insertSale(sale, attempt, {
        type: "sale.created",
        source: options.source,
        toState: "pending",
        detail: { amount, currency: sale.currency, lines: lines.length, reference: attempt.reference },
      });
    } catch (error) {
      // Two retries raced and the other one stored its sale first: answer with that one. While
      // that sale is active the store reports the busy terminal before the taken key.
      if (
        (isStoreError(error, "duplicateKey") || isStoreError(error, "activeSaleConflict")) &&
        options.idempotencyKey
      ) {
        const winner = await this.deps.sales.getSaleByIdempotencyKey(options.idempotencyKey);
        if (winner) return { sale: this.replayable(winner, hash), replayed: true };
      }
      if (isStoreError(error, "activeSaleConflict")) throw terminalBusy(terminal.id, error.details.activeSaleId ?? "");
      throw error;
    }
    // Charging turns the live cart into the sale: the display shows the sale, not the basket.
    await this.deps.counters.clearCart(terminal.id);
    return { sale: await this.attempts.start(sale, terminal, attempt, options.source), replayed: false };
  }

  private replayable(existing: Sale, hash: string): Sale {
    if (existing.requestHash !== hash) {
      throw new DomainError(
        "idempotencyConflict",
        "This Idempotency-Key was already used for a different sale request",
        {
          errors: [{ field: "Idempotency-Key", reason: "reused with a different body" }],
        },
      );
    }
    return existing;
  }

  /**
   * Finishes an attempt whose create call's answer was lost with its process (killed mid-create):
   * the same create, under the same idempotency key, returns what Vipps made then, or makes it now.
   * Either way the sale ends pending with a QR, or failed; the terminal is never left waiting.
   */
  async resumeCreate(attemptId: string, source: EventSource): Promise<void> {
    const attempt = await this.deps.sales.getAttempt(attemptId);
    const sale = attempt ? await this.deps.sales.getSale(attempt.saleId) : undefined;
    if (!attempt || !sale || attempt.state !== "CREATING") return;
    const terminal = await this.deps.counters.getTerminal(sale.terminalId);
    if (!terminal || sale.state !== "pending" || sale.currentAttemptId !== attempt.id) {
      await this.deps.sales.updateAttempt(attempt.id, { state: "CREATE_FAILED" });
      return;
    }
    try {
      await this.attempts.start(sale, terminal, attempt, source);
    } catch (error) {
      // Logged here, where the sale is known, rather than by the reconciler that resumed it: a
      // refusal by Vipps is on the sale already (PaymentAttempts.start records it), anything else is not.
      this.deps.log.warn("Resuming an interrupted create failed", {
        saleId: sale.id,
        attemptId: attempt.id,
        err: error,
      });
    }
  }

  async newQr(saleId: string, source: EventSource): Promise<Sale> {
    return this.deps.transitions.withSaleLock(saleId, async () => {
      const sale = await getSaleOrThrow(this.deps, saleId);
      if (!RETRYABLE_STATES.includes(sale.state)) {
        throw new DomainError(
          "invalidState",
          `A new QR can be made only for an expired, declined, failed or cancelled sale; this one is ${sale.state}`,
        );
      }
      const terminal = await this.deps.counters.getTerminal(sale.terminalId);
      if (!terminal) throw new DomainError("notFound", `No terminal with id ${sale.terminalId}`);
      const attempt = newAttempt(sale.id, this.deps.clock.now());
      let updated: Sale;
      try {
        updated = await this.deps.sales.insertAttempt(sale.id, attempt, {
          type: "sale.new-qr",
          source,
          detail: { reference: attempt.reference },
        });
      } catch (error) {
        if (isStoreError(error, "activeSaleConflict"))
          throw terminalBusy(sale.terminalId, error.details.activeSaleId ?? "");
        throw error;
      }
      return this.attempts.start(updated, terminal, attempt, source);
    });
  }
}
