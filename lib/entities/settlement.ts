/**
 * What the app keeps of Vipps MobilePay's Report API: each ledger entry as it was read (funds and
 * fees, one ledger per sales unit/MSN), which sale it belongs to, and how far each feed was read.
 */
import type { Currency } from "./money";

export const SETTLEMENT_TOPICS = ["funds", "fees"] as const;
export type SettlementTopic = (typeof SETTLEMENT_TOPICS)[number];

/**
 * The app's reading of an entry type. Vipps adds entry types without notice (SOURCES.md), so a
 * type not named here is kept as "other": stored, counted in the day's net, shown, never dropped.
 */
export type SettlementEntryKind = "capture" | "refund" | "fee" | "fee-settled" | "payout" | "other";

const FUNDS_KINDS: Record<string, SettlementEntryKind> = {
  capture: "capture",
  refund: "refund",
  "fees-retained": "fee",
  "payout-scheduled": "payout",
  "scheduled-for-payout": "payout",
  "payout-aborted": "payout",
};

const FEES_KINDS: Record<string, SettlementEntryKind> = {
  "capture-fee": "fee",
  "fees-retained": "fee-settled",
  "fees-invoiced": "fee-settled",
};

export function entryKindOf(topic: SettlementTopic, entryType: string): SettlementEntryKind {
  const kinds = topic === "funds" ? FUNDS_KINDS : FEES_KINDS;
  return Object.hasOwn(kinds, entryType) ? kinds[entryType]! : "other";
}

/** One entry of a ledger as read from its feed; amounts in minor units, from the merchant's side. */
export interface SettlementEntry {
  /** Ours: the Report API gives entries no id of their own (see entryIdOf in lib/settlements). */
  id: string;
  msn: string;
  ledgerId: string;
  topic: SettlementTopic;
  /** As Vipps wrote it, known or not. */
  entryType: string;
  kind: SettlementEntryKind;
  pspReference: string;
  reference?: string;
  currency: Currency | string;
  amount: number;
  balanceAfter: number;
  /** UTC, as the Report API wrote it. */
  time: string;
  /** YYYY-MM-DD, the ledger's own day. */
  ledgerDate: string;
  /** The sale it was matched to (pspReference first, then reference), if any. */
  saleId?: string;
  importedAt: string;
}

/** An entry read from a feed page, before the store has matched it to a sale. */
export type NewSettlementEntry = Omit<SettlementEntry, "saleId" | "importedAt">;

/** How far one feed (a ledger's funds or fees) has been read, and how the last reads went. */
export interface SettlementFeed {
  msn: string;
  ledgerId: string;
  topic: SettlementTopic;
  currency: string;
  /** The cursor to read next from; undefined before the first page. */
  cursor?: string;
  /** When a page was last stored (or the end of the feed last reached). */
  lastImportAt?: string;
  /** When the feed's end was last reached: everything Vipps had then is stored. */
  caughtUpAt?: string;
  /** The last read's failure, cleared by the next success. */
  lastError?: string;
  errorSince?: string;
}
