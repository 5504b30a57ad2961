/**
 * A terminal's day close (Z report): what one payment terminal took and gave back since its previous
 * close, numbered 1, 2, 3… per terminal and never changed once written. The POS reconciles it
 * against its own Z report. The X report (a preview) has the same figures without closing.
 */

import type { Currency } from "./money";
import type { Sale, SaleState } from "./sale";

export interface CloseVatLine {
  /** Basis points: 2500 = 25 %. */
  rate: number;
  /** Amount without VAT, minor units; base + tax is the gross at this rate exactly. */
  base: number;
  tax: number;
}

export interface CloseCurrencyTotals {
  currency: Currency;
  captured: { count: number; amount: number };
  refunded: { count: number; amount: number };
  /** captured.amount − refunded.amount */
  net: number;
  /** The net by tax rate, rates ascending. */
  vat: CloseVatLine[];
}

export interface TerminalClose {
  id: string;
  terminalId: string;
  number: number;
  /** The previous close's closedAt (the terminal's creation for its first). */
  openedAt: string;
  closedAt: string;
  currencies: CloseCurrencyTotals[];
  /** Sales that ended unpaid (cancelled, expired, declined) in this close. */
  cancelled: { count: number };
  failed: { count: number };
  /** Every sale with a capture, refund or unpaid end in this close, in the order they happened. */
  sales: string[];
  /**
   * Those sales counted per operator (who created each), by name; sales made before staff existed
   * have none and are not listed. Absent from closes made before version 14.
   */
  operators?: { operator: string; count: number }[];
}

/**
 * The events of the log that a close counts: money moving (payment.captured, payment.refunded,
 * whose detail carries the sale's running totals) and a sale ending unpaid (its to_state).
 */
export const CLOSE_MONEY_EVENTS = ["payment.captured", "payment.refunded"] as const;
export const CLOSE_UNPAID_STATES: readonly SaleState[] = ["cancelled", "expired", "aborted"];
export const CLOSE_FAILED_STATES: readonly SaleState[] = ["failed"];

/** One event of the log that a close counts, and whether an earlier close already counted it. */
export interface CloseEvent {
  id: number;
  type: string;
  toState?: SaleState;
  detail?: Record<string, unknown>;
  at: string;
  /** True when an earlier close holds it: it only sets the running totals for the ones after it. */
  closed: boolean;
}

/** A sale with something not yet closed, with all of its counted events (closed ones too), oldest first. */
export interface CloseSaleInput {
  sale: Sale;
  events: CloseEvent[];
}

/** What the store hands the close's arithmetic, read under the terminal's close lock. */
export interface CloseInput {
  terminalId: string;
  /** The terminal's last close, if any. */
  previous?: { number: number; closedAt: string };
  /** When the terminal was created: the first close opens there. */
  terminalCreatedAt: string;
  sales: CloseSaleInput[];
}

/** The close to write, and the ids of the events it takes (each event is in one close at most). */
export interface ComposedClose {
  close: TerminalClose;
  eventIds: number[];
}
