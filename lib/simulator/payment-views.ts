/**
 * The JSON views of a payment row: the ePayment responses and the event log entries. An event is
 * of the client's own type (lib/vipps/schemas.ts), so that the two cannot describe it differently;
 * the contract tests hold both to Vipps' spec.
 */
import type { PaymentEvent } from "../vipps/schemas";
import type { EventRow, PaymentRow } from "./store";

export const money = <C extends string>(value: number, currency: C) => ({ currency, value });

/**
 * How long the simulator guarantees a capture after the approval. Real Vipps decides per payment
 * (ePayment, August 2026: `captureGuaranteedUntil`); a week, shorter than the app's own market
 * deadlines (180 and 14 days), so a test can tell whose deadline a sale shows.
 */
export const CAPTURE_GUARANTEE_MS = 7 * 24 * 60 * 60 * 1000;

export function captureGuaranteedUntil(authorizedAtMs: number): string {
  return new Date(authorizedAtMs + CAPTURE_GUARANTEE_MS).toISOString();
}

export function aggregate(payment: PaymentRow) {
  return {
    authorizedAmount: money(payment.authorized_amount, payment.currency),
    cancelledAmount: money(payment.cancelled_amount, payment.currency),
    capturedAmount: money(payment.captured_amount, payment.currency),
    refundedAmount: money(payment.refunded_amount, payment.currency),
  };
}

/** GetPaymentResponse. */
export function paymentResponse(payment: PaymentRow, authorizedAtMs?: number): Record<string, unknown> {
  const raw = JSON.parse(payment.request_json) as { metadata?: Record<string, string> | null };
  return {
    aggregate: aggregate(payment),
    amount: money(payment.amount, payment.currency),
    state: payment.state,
    paymentMethod: { type: payment.payment_method_type },
    profile: payment.profile_sub ? { sub: payment.profile_sub } : {},
    pspReference: payment.psp_reference,
    reference: payment.reference,
    ...(payment.redirect_url ? { redirectUrl: payment.redirect_url } : {}),
    ...(raw.metadata !== undefined ? { metadata: raw.metadata } : {}),
    ...(payment.state === "AUTHORIZED" && authorizedAtMs !== undefined
      ? { captureGuaranteedUntil: captureGuaranteedUntil(authorizedAtMs) }
      : {}),
  };
}

/** ModificationResponse: the answer to capture, cancel and refund. */
export function modificationResponse(payment: PaymentRow): Record<string, unknown> {
  return {
    amount: money(payment.amount, payment.currency),
    state: payment.state,
    aggregate: aggregate(payment),
    pspReference: payment.psp_reference,
    reference: payment.reference,
  };
}

export function eventView(row: EventRow): PaymentEvent {
  return {
    reference: row.reference,
    pspReference: row.psp_reference,
    name: row.name,
    amount: money(row.amount, row.currency),
    timestamp: new Date(row.timestamp).toISOString(),
    idempotencyKey: row.idempotency_key,
    success: row.success === 1,
  };
}
