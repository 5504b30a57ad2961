/** A sale with its payment attempts, its event log and its refunds: what the till records of a payment. */

import type { Currency } from "./money";

export const SALE_STATES = [
  "pending",
  "authorized",
  "captured",
  "refunded",
  "cancelled",
  "expired",
  "aborted",
  "failed",
] as const;
export type SaleState = (typeof SALE_STATES)[number];

/** A sale in one of these states occupies its terminal: no second sale may start there. */
export const ACTIVE_SALE_STATES: readonly SaleState[] = ["pending", "authorized"];

export type EventSource = "api" | "cashier" | "webhook" | "poll" | "system";

export interface SaleLine {
  id: string;
  name: string;
  quantity: number;
  unitPrice: number;
  /** Basis points: 2500 = 25 %. */
  taxRate: number;
  totalAmount: number;
  taxAmount: number;
  productId?: string;
}

export interface Sale {
  id: string;
  terminalId: string;
  receiptNumber: string;
  currency: Currency;
  amount: number;
  description: string;
  lines: SaleLine[];
  state: SaleState;
  autoCapture: boolean;
  capturedAmount: number;
  refundedAmount: number;
  /** Attempt whose QR is (or was last) on the display. */
  currentAttemptId: string;
  attemptCount: number;
  failureReason?: string;
  /** Key the POS sent when creating the sale, with a hash of its body, so retries replay. */
  idempotencyKey?: string;
  requestHash?: string;
  createdAt: string;
  updatedAt: string;
  endedAt?: string;
  /** Push sale: the customer's number (MSISDN with country code) the payment request went to. */
  customerPhone?: string;
  /**
   * Push sale to a customer known by something other than their number: the customer token of a
   * check-in at the till's sticker, or the personal QR the cashier scanned (sent whole).
   */
  pushCustomer?: PushCustomer;
  /** The POS's own reference for the sale (its receipt number), 1–64 printable characters. */
  posReference?: string;
  /** The receipt page's unguessable id (≥ 128 random bits): /r/{receiptId}. Not the sale's id. */
  receiptId?: string;
  /** The store whose terminal made the sale (the first store when not given). */
  storeId?: string;
  /** The Vipps sales unit that took the payment: every later call about it (capture, refund) goes through it. */
  msn?: string;
  /** Who created it: a staff member's username or an API key's name (unset for sales made before staff existed). */
  operator?: string;
}

/** ePayment's `customer` besides a phone number: exactly one of the two. */
export type PushCustomer = { customerToken: string } | { personalQr: string };

/**
 * Vipps ePayment states, plus CREATING (create call in flight), CREATE_FAILED (its outcome is
 * unknown, so the reconciler must find out) and REJECTED (Vipps refused it; nothing exists there).
 */
export type AttemptState =
  | "CREATING"
  | "CREATED"
  | "AUTHORIZED"
  | "ABORTED"
  | "EXPIRED"
  | "TERMINATED"
  | "CREATE_FAILED"
  | "REJECTED";

export interface PaymentAttempt {
  id: string;
  saleId: string;
  reference: string;
  state: AttemptState;
  qrUrl?: string;
  createdAt: string;
  expiresAt: string;
  /** Next time the reconciler should ask Vipps about this attempt. */
  nextPollAt: string;
  pollCount: number;
  lastPolledAt?: string;
  /** Why we asked Vipps to cancel, so a TERMINATED reply maps to the right sale state. */
  cancelReason?: "expired" | "cancelled" | "superseded";
  /**
   * Set while the sale's amounts may lag behind Vipps (a refund under way, a money webhook whose
   * follow-up GET has not succeeded): the reconciler keeps polling the attempt, however settled its
   * sale, until a GET has been applied. Since when, so that clearing it cannot wipe a newer mark.
   */
  recheckSince?: string;
}

export interface SaleEvent {
  id: number;
  saleId: string;
  attemptId?: string;
  type: string;
  source: EventSource;
  fromState?: SaleState;
  toState?: SaleState;
  detail?: Record<string, unknown>;
  at: string;
}

export interface Refund {
  id: string;
  saleId: string;
  amount: number;
  state: "pending" | "done" | "failed";
  createdAt: string;
}

/** An event to append: the log gives it its id, and its sale and time when those are left out. */
export type NewSaleEvent = Omit<SaleEvent, "id" | "saleId" | "at"> & { saleId?: string; at?: string };

/** Which sales a listing or a summary covers: `from` inclusive, `to` exclusive. */
export interface SaleFilter {
  terminalId?: string;
  storeId?: string;
  state?: SaleState;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export interface SaleSummary {
  state: SaleState;
  currency: string;
  count: number;
  amount: number;
  /** Refunded of these sales, and captured less refunded: what the shop kept. */
  refunded: number;
  net: number;
}

/** How many events of one type came from one source, and when the newest of them happened. */
export interface SaleEventCount {
  type: string;
  source: EventSource;
  count: number;
  lastAt: string;
}
