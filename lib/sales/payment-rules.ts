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
/**
 * The first poll of a new attempt. Webhooks usually bring the outcome long before it, and a
 * customer needs seconds to open the app and approve: polling sooner only costs.
 */
export const FIRST_POLL_DELAY_MS = 5_000;
/** Then every two seconds while the QR is on screen and webhooks are not known to arrive. */
export const POLL_INTERVAL_MS = 2_000;
/**
 * While webhooks are arriving the poll is only the safety net for one that is lost: it backs off
 * (2, 4, 8 s) to this. A lost approval is then seen at most this much later.
 */
export const HEALTHY_WEBHOOKS_POLL_MS = 8_000;
/** Webhooks count as arriving for this long after the last verified one. */
export const WEBHOOKS_HEALTHY_FOR_MS = 60_000;
/** After this long the outcome of a create call that never answered is treated as unknown. */
export const CREATE_IN_FLIGHT_LIMIT_MS = 60_000;

/** The QR may be shown and scanned: the sale waits for it, Vipps has it, and it has not run out. */
export function isQrLive(
  sale: Pick<Sale, "state" | "currentAttemptId">,
  attempt: PaymentAttempt | undefined,
  nowMs: number,
): attempt is PaymentAttempt & { qrUrl: string } {
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
 * When to ask Vipps next about an attempt: every two seconds while its QR may be on screen (Vipps
 * allows 120 GETs a minute per reference), backing off to 8 s while webhooks are arriving, then
 * every 15 s; longer after errors so an outage is not hammered; never later than the QR's deadline
 * while it is on screen.
 */
export function nextPollDelayMs(params: {
  attempt: PaymentAttempt;
  saleState: SaleState | undefined;
  nowMs: number;
  failed: boolean;
  webhooksHealthy?: boolean;
}): number {
  const { attempt, saleState, nowMs, failed } = params;
  const age = nowMs - Date.parse(attempt.createdAt);
  let delay = age < QR_LIFETIME_MS + 60_000 ? POLL_INTERVAL_MS : 15_000;
  if (params.webhooksHealthy && delay === POLL_INTERVAL_MS)
    delay = Math.min(HEALTHY_WEBHOOKS_POLL_MS, POLL_INTERVAL_MS * 2 ** Math.max(0, attempt.pollCount - 1));
  if (attempt.state === "AUTHORIZED") delay = Math.min(30_000, 2000 * 2 ** Math.min(attempt.pollCount, 4));
  if (failed) delay = Math.min(30_000, Math.max(delay, 2000) * 2);
  const expiry = Date.parse(attempt.expiresAt);
  if (saleState === "pending" && expiry > nowMs) delay = Math.min(delay, Math.max(expiry - nowMs, 50));
  return delay;
}

/** Where the app serves Vipps' own QR image of an attempt (KASSA_QR_SOURCE=vipps). */
export function qrImagePath(attemptId: string): string {
  return `/api/display/qr-image/${encodeURIComponent(attemptId)}`;
}

/** The sale's payment request goes to the customer's phone (a number, a check-in or a personal QR), not a QR. */
export function isPushSale(sale: Pick<Sale, "customerPhone" | "pushCustomer">): boolean {
  return sale.customerPhone !== undefined || sale.pushCustomer !== undefined;
}

/** What the display and the API show of a push sale's number: its last two digits. */
export function phoneEnding(phoneNumber: string): string {
  return phoneNumber.slice(-2);
}

/** Where a sale's receipt is, under the app's public origin. */
export const receiptUrlOf = (publicUrl: string, receiptId: string) => `${publicUrl}/r/${receiptId}`;
