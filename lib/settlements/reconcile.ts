import type { SaleSettlement, SettlementDayView, SettlementDifference } from "@/lib/contracts/settlements";
import type { Sale } from "@/lib/entities/sale";
import type { SettlementEntry } from "@/lib/entities/settlement";
import { dateIn } from "./ledger-dates";

/** How long a captured sale may go without its ledger entry before that is a difference. */
export const MISSING_ENTRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** A sale as reconciling needs it: the sale and Vipps' reference of its paid attempt. */
export interface SaleForSettlement {
  sale: Sale;
  reference: string;
}

export interface ReconcileInput {
  from: string;
  to: string;
  /** Every entry on the ledger dates from..to. */
  entries: readonly SettlementEntry[];
  /** The captured sales that belong to these dates (by capture or by entry), with all of their entries. */
  sales: readonly SaleForSettlement[];
  saleEntries: readonly SettlementEntry[];
  now: number;
  timeZone: string;
  /** The last date the import has seen the end of (every funds feed reached its end after the date was over). */
  importedThrough: string | undefined;
}

const sum = (entries: readonly SettlementEntry[]) => entries.reduce((total, entry) => total + entry.amount, 0);
/** Money out of the ledger as a positive amount (0 - x: never the -0 that -x makes of 0). */
const paidOut = (entries: readonly SettlementEntry[]) => 0 - sum(entries);
const funds = (entries: readonly SettlementEntry[]) => entries.filter((entry) => entry.topic === "funds");
const ofKind = (entries: readonly SettlementEntry[], kind: SettlementEntry["kind"]) =>
  entries.filter((entry) => entry.kind === kind);

/** When a sale was captured: its end (a captured sale ends when captured), else its last change. */
export const capturedAt = (sale: Sale) => Date.parse(sale.endedAt ?? sale.updatedAt);

/** The date of a payout entry: the day it was scheduled, in the shop's time zone. */
export const payoutDateOf = (entry: SettlementEntry, timeZone: string) => dateIn(Date.parse(entry.time), timeZone);

/** The sale's ledger figures: the date its capture was booked, its fee and net, and that date's payout. */
export function settlementOfSale(
  entries: readonly SettlementEntry[],
  payoutDates: ReadonlyMap<string, string>,
): SaleSettlement | undefined {
  const own = funds(entries);
  const capture = ofKind(own, "capture")[0];
  if (!capture) return undefined;
  const retained = paidOut(ofKind(own, "fee"));
  // A sales unit whose fees are invoiced has none retained on the funds ledger: its fees ledger has them.
  const fee =
    retained !== 0
      ? retained
      : paidOut(
          ofKind(
            entries.filter((entry) => entry.topic === "fees"),
            "fee",
          ),
        );
  return {
    ledgerDate: capture.ledgerDate,
    fee,
    net: sum(own.filter((entry) => entry.kind !== "payout")) - (retained !== 0 ? 0 : fee),
    payoutDate: payoutDates.get(`${capture.ledgerId}|${capture.ledgerDate}`) ?? null,
  };
}

/** The payout date of each ledger date that has one, keyed "ledgerId|ledgerDate". */
export function payoutDatesOf(entries: readonly SettlementEntry[], timeZone: string): Map<string, string> {
  const dates = new Map<string, string>();
  for (const entry of funds(entries))
    if (entry.kind === "payout" && entry.amount < 0)
      dates.set(`${entry.ledgerId}|${entry.ledgerDate}`, payoutDateOf(entry, timeZone));
  return dates;
}

function entryName(entry: SettlementEntry): string {
  return `${entry.entryType} ${entry.pspReference}${entry.reference ? ` (reference ${entry.reference})` : ""}`;
}

/** Each date's differences: sales without their capture, entries without a sale, amounts that disagree. */
function differencesOf(input: ReconcileInput): Map<string, SettlementDifference[]> {
  const byDay = new Map<string, SettlementDifference[]>();
  const add = (date: string, currency: string, difference: SettlementDifference) => {
    const key = `${date}|${currency}`;
    byDay.set(key, [...(byDay.get(key) ?? []), difference]);
  };
  for (const entry of funds(input.entries)) {
    if (entry.saleId || entry.kind === "payout") continue;
    // A fee or an other-type entry without a reference is the ledger's own; one with a reference should name a sale.
    if (entry.kind !== "capture" && entry.kind !== "refund" && !entry.reference) continue;
    add(entry.ledgerDate, entry.currency, {
      kind: "unmatched-entry",
      ...(entry.reference ? { reference: entry.reference } : {}),
      pspReference: entry.pspReference,
      entryType: entry.entryType,
      amount: entry.amount,
      detail: `The ledger's ${entryName(entry)} belongs to no sale of this till`,
    });
  }
  for (const { sale, reference } of input.sales) {
    const own = funds(input.saleEntries.filter((entry) => entry.saleId === sale.id));
    const captures = ofKind(own, "capture");
    const named = { saleId: sale.id, receiptNumber: sale.receiptNumber, reference };
    if (captures.length === 0) {
      const at = capturedAt(sale);
      const date = dateIn(at, input.timeZone);
      if (input.now - at > MISSING_ENTRY_AFTER_MS && date >= input.from && date <= input.to)
        add(date, sale.currency, {
          kind: "missing-entry",
          ...named,
          amount: sale.capturedAmount,
          detail: `Sale ${sale.receiptNumber} was captured over 24 hours ago, and the ledger has no capture of it`,
        });
      continue;
    }
    const date = captures[0]!.ledgerDate;
    if (date < input.from || date > input.to) continue;
    const ledgerCaptured = sum(captures);
    const ledgerRefunded = paidOut(ofKind(own, "refund"));
    if (ledgerCaptured !== sale.capturedAmount)
      add(date, sale.currency, {
        kind: "amount-mismatch",
        ...named,
        amount: ledgerCaptured,
        expected: sale.capturedAmount,
        detail: `The ledger has ${ledgerCaptured} captured for sale ${sale.receiptNumber}, the sale ${sale.capturedAmount}`,
      });
    // A refund reaches the ledger some time after the till records it: a shortfall counts after a day.
    const refundSettled = input.now - Date.parse(sale.updatedAt) > MISSING_ENTRY_AFTER_MS;
    if (ledgerRefunded > sale.refundedAmount || (ledgerRefunded < sale.refundedAmount && refundSettled))
      add(date, sale.currency, {
        kind: "amount-mismatch",
        ...named,
        amount: ledgerRefunded,
        expected: sale.refundedAmount,
        detail: `The ledger has ${ledgerRefunded} refunded for sale ${sale.receiptNumber}, the sale ${sale.refundedAmount}`,
      });
  }
  return byDay;
}

/** The dates from..to that have entries or differences, per currency, newest first. */
export function reconcileDays(input: ReconcileInput): SettlementDayView[] {
  const differences = differencesOf(input);
  const keys = new Set<string>(differences.keys());
  for (const entry of funds(input.entries)) keys.add(`${entry.ledgerDate}|${entry.currency}`);
  const today = dateIn(input.now, input.timeZone);
  const days = [...keys].map((key): SettlementDayView => {
    const [ledgerDate, currency] = key.split("|") as [string, string];
    const own = funds(input.entries).filter((entry) => entry.ledgerDate === ledgerDate && entry.currency === currency);
    const captured = sum(ofKind(own, "capture"));
    const refunded = paidOut(ofKind(own, "refund"));
    const fees = paidOut(ofKind(own, "fee"));
    const other = sum(ofKind(own, "other"));
    const payouts = ofKind(own, "payout");
    const payoutEntry = payouts.find((entry) => entry.amount < 0);
    const found = differences.get(key) ?? [];
    const over = ledgerDate < today && input.importedThrough !== undefined && ledgerDate <= input.importedThrough;
    return {
      ledgerDate,
      currency,
      captured,
      refunded,
      fees,
      other,
      net: captured - refunded - fees + other,
      payout: payoutEntry ? { amount: paidOut(payouts), date: payoutDateOf(payoutEntry, input.timeZone) } : null,
      status: found.length > 0 ? "differences" : payoutEntry || over ? "settled" : "open",
      differences: found,
    };
  });
  return days.sort((a, b) =>
    a.ledgerDate === b.ledgerDate ? a.currency.localeCompare(b.currency) : a.ledgerDate < b.ledgerDate ? 1 : -1,
  );
}
