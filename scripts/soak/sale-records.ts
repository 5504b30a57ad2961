/** What the soak's counters record of each sale, and what the final check holds the app to. */

export const FINAL_STATES = ["captured", "refunded", "cancelled", "expired", "aborted", "failed"];

export type Scenario =
  | "approve"
  | "approve+refunds"
  | "decline"
  | "decline+new-qr+approve"
  | "expire"
  | "cashier-cancel"
  | "cancel-races-approval"
  | "abandon";

export interface SaleView {
  id: string;
  terminalId: string;
  reference: string;
  state: string;
  amount: { value: number };
  capturedAmount: { value: number };
  refundedAmount: { value: number };
  qr: { url: string; expiresAt: string } | null;
  autoCapture: boolean;
}

/** A refund as the POS saw it: "done" (200), "refused" (a clean 4xx, nothing ambiguous before) or "unknown". */
export interface RefundRecord {
  key: string;
  amount: number;
  outcome: "done" | "refused" | "unknown";
  /** The answers, in order ("lost" for a connection lost to a kill), for the report. */
  answers: string[];
}

export interface SaleRecord {
  id: string;
  terminalId: string;
  idempotencyKey: string;
  scenario: Scenario;
  startedAt: number;
  finishedAt?: number;
  /** The cashier's cancel was answered 200: the sale must never be charged. */
  cancelConfirmed: boolean;
  /** The sale's state in that 200 answer. */
  cancelAnsweredState?: string;
  /** A capture call was answered 200: the sale must end charged. */
  captureConfirmed: boolean;
  refunds: RefundRecord[];
  /** What happened, in order, for the report of a sale that breaks an invariant. */
  steps: string[];
}
