/**
 * The merchant's modifications of a payment: capture, cancel and refund, each in the shared frame
 * of one transaction, idempotent replay and the stored answer (the status mapping is in payments.ts).
 * A capture or refund is also booked for the Report API in the same transaction; a replayed one is not
 * booked again.
 */
import { amountLimit, badRequest, invalidState } from "./http";
import { type HttpResult, type Operation, type PaymentLedger, requestHash } from "./payment-ledger";
import { modificationResponse } from "./payment-views";
import type { PaymentRow, PaymentState } from "./store";
import type { Amount } from "./validation-fields";
import { validateCancel, validateModification } from "./validation";

export class Modifications {
  constructor(private readonly ledger: PaymentLedger) {}

  private checkCurrency(payment: PaymentRow, amount: Amount): void {
    if (amount.currency !== payment.currency) {
      throw badRequest(`The currency must be ${payment.currency}, the currency of the payment.`, [
        { name: "modificationAmount.currency", reason: `Expected ${payment.currency}.` },
      ]);
    }
  }

  /**
   * The frame every modification shares: one transaction, replay of a repeated idempotency key,
   * the change itself, and the response stored for later replays.
   */
  private modify(
    operation: Operation,
    msn: string,
    reference: string,
    idempotencyKey: string,
    hash: string,
    apply: (payment: PaymentRow, now: number) => void,
  ): HttpResult {
    return this.ledger.transaction(() => {
      const payment = this.ledger.require(msn, reference);
      const replay = this.ledger.checkIdempotency(msn, operation, idempotencyKey, reference, hash);
      if (replay) return replay;
      apply(payment, this.ledger.now());
      const result: HttpResult = { status: 200, body: modificationResponse(this.ledger.find(msn, reference)!) };
      this.ledger.storeIdempotency(msn, operation, idempotencyKey, reference, hash, result);
      return result;
    });
  }

  capture(msn: string, reference: string, idempotencyKey: string, raw: unknown, bodyPresent: boolean): HttpResult {
    const validation = validateModification(raw, bodyPresent);
    if (!validation.ok) throw badRequest("One or more validation errors occurred.", validation.issues);
    const amount = validation.value;
    const hash = requestHash({ reference, body: raw });
    return this.modify("capture", msn, reference, idempotencyKey, hash, (payment, now) => {
      this.checkCurrency(payment, amount);
      if (payment.state === "CREATED")
        throw invalidState("Cannot capture before reservation: the payment is not authorized yet.");
      if (payment.state !== "AUTHORIZED")
        throw invalidState(`Payment cannot be captured. Invalid state: ${payment.state}.`);
      const capturable = payment.authorized_amount - payment.captured_amount - payment.cancelled_amount;
      if (amount.value > capturable) {
        throw amountLimit(
          capturable === 0
            ? "Capture amount too high: nothing is left to capture."
            : `Capture amount too high: at most ${capturable} can be captured.`,
        );
      }
      const changes = { captured_amount: payment.captured_amount + amount.value };
      this.ledger.updateAmounts(payment, changes);
      const captured = { ...payment, ...changes };
      const pspReference = this.ledger.recordEvent(captured, "CAPTURED", amount.value, idempotencyKey, now);
      this.ledger.settlement?.capture(captured, amount.value, pspReference, now);
    });
  }

  cancel(msn: string, reference: string, idempotencyKey: string, raw: unknown, bodyPresent: boolean): HttpResult {
    const validation = validateCancel(raw, bodyPresent);
    if (!validation.ok) throw badRequest("One or more validation errors occurred.", validation.issues);
    const { cancelTransactionOnly } = validation.value;
    const hash = requestHash({ reference, cancelTransactionOnly });
    return this.modify("cancel", msn, reference, idempotencyKey, hash, (payment, now) => {
      if (payment.state === "CREATED") {
        const changes = { state: "TERMINATED" as PaymentState, cancelled_amount: payment.amount };
        this.ledger.updateAmounts(payment, changes);
        this.ledger.recordEvent({ ...payment, ...changes }, "TERMINATED", payment.amount, idempotencyKey, now);
      } else if (payment.state === "AUTHORIZED") {
        if (cancelTransactionOnly) {
          throw invalidState(
            "Payment is already reserved: cancelTransactionOnly does not release an authorized payment.",
          );
        }
        const remaining = payment.authorized_amount - payment.captured_amount - payment.cancelled_amount;
        if (remaining <= 0) {
          throw invalidState(
            payment.cancelled_amount > 0
              ? "Payment cannot be cancelled: the remaining amount has already been released."
              : "Cannot cancel a captured payment: the full amount has been captured. Refund instead.",
          );
        }
        const changes = { cancelled_amount: payment.cancelled_amount + remaining };
        this.ledger.updateAmounts(payment, changes);
        // As in the documented example, a cancel after a partial capture logs its CANCELLED event
        // without an idempotencyKey.
        const eventKey = payment.captured_amount > 0 ? null : idempotencyKey;
        this.ledger.recordEvent({ ...payment, ...changes }, "CANCELLED", remaining, eventKey, now);
      } else {
        throw invalidState(`Payment cannot be cancelled. Invalid state: ${payment.state}.`);
      }
    });
  }

  refund(msn: string, reference: string, idempotencyKey: string, raw: unknown, bodyPresent: boolean): HttpResult {
    const validation = validateModification(raw, bodyPresent);
    if (!validation.ok) throw badRequest("One or more validation errors occurred.", validation.issues);
    const amount = validation.value;
    const hash = requestHash({ reference, body: raw });
    return this.modify("refund", msn, reference, idempotencyKey, hash, (payment, now) => {
      this.checkCurrency(payment, amount);
      if (payment.state === "CREATED")
        throw invalidState("Attempted refund before reservation: the payment is not authorized.");
      if (payment.state !== "AUTHORIZED")
        throw invalidState(`Payment cannot be refunded. Invalid state: ${payment.state}.`);
      const refundable = payment.captured_amount - payment.refunded_amount;
      if (payment.captured_amount > 0 && refundable === 0)
        throw invalidState("Payment already refunded: the captured amount is fully refunded.");
      if (amount.value > refundable) {
        throw amountLimit(
          refundable === 0
            ? "Not enough refundable: nothing has been captured."
            : `Not enough refundable: at most ${refundable} can be refunded.`,
        );
      }
      const changes = { refunded_amount: payment.refunded_amount + amount.value };
      this.ledger.updateAmounts(payment, changes);
      const refunded = { ...payment, ...changes };
      const pspReference = this.ledger.recordEvent(refunded, "REFUNDED", amount.value, idempotencyKey, now);
      this.ledger.settlement?.refund(refunded, amount.value, pspReference, now);
    });
  }
}
