/**
 * The Report API's JSON: a ledger as GET /settlement/v1/ledgers lists it, an entry as the funds and
 * fees reports show it (report-v2.yaml's Transaction, with today's entry types), and the opaque
 * cursors of the feed and date reports.
 */
import { createHash } from "node:crypto";
import { badRequest } from "./http";
import type { ReportTopic } from "./report-config";
import type { ReportEntryRow, ReportLedgerRow } from "./report-store";
import type { Currency } from "./validation-fields";

export interface LedgerView {
  ledgerId: string;
  currency: Currency;
  payoutBankAccount: { scheme: string; id: string };
  owner: { scheme: string; id: string };
  settlesForRecipientHandles: string[];
  salesUnits: { name: string; recipientHandle: string; businessIdentifier: { scheme: string; id: string } }[];
}

export interface EntryView {
  pspReference: string;
  time: string;
  ledgerDate: string;
  entryType: string;
  reference?: string;
  currency: Currency;
  amount: number;
  balanceBefore: number;
  balanceAfter: number;
  recipientHandle?: string;
}

/** How ePayment sales units are named in the Report API: the MSN with the "api:" prefix. */
export const recipientHandleFor = (msn: string) => `api:${msn}`;

/** Digits derived from a seed: the same made-up number for the same MSN after every restart. */
function seededDigits(seed: string, count: number): number[] {
  const hex = createHash("sha256").update(seed).digest("hex");
  return [...hex].slice(0, count).map((char) => Number.parseInt(char, 16) % 10);
}

/**
 * A Norwegian number whose last digit is its modulus-11 check (organisation numbers, bank accounts),
 * so an importer that checks them accepts it. Seeds whose check would be 10 are skipped.
 */
function norwegianMod11(seed: string, weights: number[], first: number): string {
  for (let attempt = 0; ; attempt++) {
    const digits = [first, ...seededDigits(`${seed}:${attempt}`, weights.length - 1)];
    const sum = digits.reduce((total, digit, index) => total + digit * weights[index]!, 0);
    const check = (11 - (sum % 11)) % 11;
    if (check !== 10) return `${digits.join("")}${check}`;
  }
}

const ORG_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];
const ACCOUNT_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/** Made-up owner and payout account in the ledger currency's country; stable per MSN. */
function merchantIdentity(msn: string, currency: Currency): Pick<LedgerView, "owner" | "payoutBankAccount"> {
  const digits = (label: string, count: number) => seededDigits(`${label}:${msn}`, count).join("");
  switch (currency) {
    case "NOK":
      return {
        owner: { scheme: "business:NO:ORG", id: norwegianMod11(`org:${msn}`, ORG_WEIGHTS, 9) },
        payoutBankAccount: { scheme: "BBAN:NO", id: norwegianMod11(`account:${msn}`, ACCOUNT_WEIGHTS, 1) },
      };
    case "DKK":
      return {
        owner: { scheme: "business:DK:CVR", id: `3${digits("cvr", 7)}` },
        payoutBankAccount: { scheme: "BBAN:DK", id: `3${digits("konto", 13)}` },
      };
    case "EUR":
      return {
        owner: { scheme: "business:FI:Y-tunnus", id: `2${digits("ytunnus", 6)}-${digits("check", 1)}` },
        payoutBankAccount: { scheme: "BBAN:FI", id: `1${digits("tili", 13)}` },
      };
  }
}

export function ledgerView(ledger: ReportLedgerRow, salesUnitName: string): LedgerView {
  const identity = merchantIdentity(ledger.msn, ledger.currency);
  const handle = recipientHandleFor(ledger.msn);
  return {
    ledgerId: ledger.ledger_id,
    currency: ledger.currency,
    payoutBankAccount: identity.payoutBankAccount,
    owner: identity.owner,
    settlesForRecipientHandles: [handle],
    salesUnits: [{ name: salesUnitName, recipientHandle: handle, businessIdentifier: identity.owner }],
  };
}

/** UTC with microseconds, as the Report API writes its times; the simulator's clock has milliseconds. */
export const reportTime = (ms: number) => new Date(ms).toISOString().replace(/Z$/, "000Z");

export function entryView(row: ReportEntryRow): EntryView {
  return {
    pspReference: row.psp_reference,
    time: reportTime(row.time),
    ledgerDate: row.ledger_date,
    entryType: row.entry_type,
    // Absent rather than null: the spec types both as plain strings, and a payout has neither.
    ...(row.reference === null ? {} : { reference: row.reference }),
    currency: row.currency,
    amount: row.amount,
    balanceBefore: row.balance_before,
    balanceAfter: row.balance_after,
    ...(row.recipient_handle === null ? {} : { recipientHandle: row.recipient_handle }),
  };
}

/** Where a feed or a date report continues: after entry `after` of that ledger, topic (and date). */
export interface ReportCursor {
  ledgerId: string;
  topic: ReportTopic;
  date?: string;
  after: number;
}

export const encodeCursor = (cursor: ReportCursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");

const invalidCursor = (reason: string) => badRequest("The cursor is not valid here.", [{ name: "cursor", reason }]);

/** Reads a cursor this API gave out for the same ledger, topic and date; anything else is a 400. */
export function decodeCursor(raw: string, expected: Omit<ReportCursor, "after">): number {
  let parsed: Partial<ReportCursor>;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<ReportCursor>;
  } catch {
    throw invalidCursor("Use a cursor exactly as an earlier response gave it.");
  }
  if (typeof parsed !== "object" || parsed === null || !Number.isSafeInteger(parsed.after) || parsed.after! < 0)
    throw invalidCursor("Use a cursor exactly as an earlier response gave it.");
  if (parsed.ledgerId !== expected.ledgerId || parsed.topic !== expected.topic || parsed.date !== expected.date)
    throw invalidCursor("This cursor belongs to another ledger, topic or date.");
  return parsed.after!;
}
