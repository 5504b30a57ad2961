import { QR_PAYMENT_LIFETIME_MS } from "@/lib/vipps/facts";
import type { PaymentAttempt, Sale, SaleState } from "./types";

/**
 * Timing facts of a QR payment, in one place: how long a QR lives, when it counts as live, and how
 * often we ask Vipps about an open payment. Pure, so the display, the views and the reconciler
 * cannot disagree.
 */

/** Vipps lets an unapproved QR payment live ten minutes from when it received the create call. */
export const VIPPS_PAYMENT_LIFETIME_MS = QR_PAYMENT_LIFETIME_MS;
/**
 * We take the QR down and cancel a little before Vipps would expire it, so our cancel always
 * reaches a payment that is still open (a clean TERMINATED, not a race with EXPIRED) and a
 * customer never scans a QR in its last second.
 */
export const QR_LIFETIME_MS = VIPPS_PAYMENT_LIFETIME_MS - 3_000;
/** The first poll of a new attempt; webhooks usually win long before it. */
export const FIRST_POLL_DELAY_MS = 1_000;
/** After this long the outcome of a create call that never answered is treated as unknown. */
export const CREATE_IN_FLIGHT_LIMIT_MS = 60_000;

/** The QR may be shown and scanned: the sale waits for it, Vipps has it, and it has not run out. */
export function isQrLive(sale: Pick<Sale, "state" | "currentAttemptId">, attempt: PaymentAttempt | undefined, nowMs: number): attempt is PaymentAttempt & { qrUrl: string } {
  return (
    sale.state === "pending" &&
    attempt?.id === sale.currentAttemptId &&
    attempt.state === "CREATED" &&
    !!attempt.qrUrl &&
    Date.parse(attempt.expiresAt) > nowMs
  );
}

/** A pending sale whose QR has run out is over for the customer, even before Vipps confirms the cancel. */
export function isQrRunOut(sale: Pick<Sale, "state">, attempt: PaymentAttempt | undefined, nowMs: number): boolean {
  return sale.state === "pending" && attempt?.state === "CREATED" && Date.parse(attempt.expiresAt) <= nowMs;
}

/**
 * When to ask Vipps next about an attempt: about once a second while its QR is fresh (Vipps allows
 * 120 GETs a minute per reference), then slower; longer after errors so an outage is not hammered;
 * never later than the QR's deadline while it is on screen.
 */
export function nextPollDelayMs(params: { attempt: PaymentAttempt; saleState: SaleState | undefined; nowMs: number; failed: boolean }): number {
  const { attempt, saleState, nowMs, failed } = params;
  const age = nowMs - Date.parse(attempt.createdAt);
  let delay = age < 3 * 60_000 ? 1000 : age < QR_LIFETIME_MS + 60_000 ? 2000 : 15_000;
  if (attempt.state === "AUTHORIZED") delay = Math.min(30_000, 2000 * 2 ** Math.min(attempt.pollCount, 4));
  if (failed) delay = Math.min(30_000, Math.max(delay, 2000) * 2);
  const expiry = Date.parse(attempt.expiresAt);
  if (saleState === "pending" && expiry > nowMs) delay = Math.min(delay, Math.max(expiry - nowMs, 50));
  return delay;
}
