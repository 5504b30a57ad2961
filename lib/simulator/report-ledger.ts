/**
 * The simulated Report API's bookkeeping: one ledger per MSN and currency, each with a funds and a
 * fees account, written as the simulator captures and refunds and read back by routes-report.ts.
 *
 * Per capture of G with fee F (report-config.ts), all with the capture's pspReference and reference:
 *   funds  capture        +G      the sale
 *   funds  fees-retained  -F      the fee kept back from the payout (net settlement)
 *   fees   capture-fee    -F      the fee charged
 *   fees   fees-retained  +F      ... and paid from the funds account, so the fees account is even again
 * Both accounts count from the merchant's side (money to the merchant is positive); the fees account's
 * sign is the simulator's reading of the guide ("what matters is how the amount affects the balance"),
 * not taken from a published example. A refund of R is funds `refund` -R, with no fee, as at Vipps.
 *
 * A ledger date closes at the cut-off (report-calendar.ts) by the simulator's clock. Closing is done
 * lazily, before any entry is written and before any report is read, and by the background work, so
 * a date's payout always comes before the next date's entries: on closing, a positive funds balance
 * is paid out by a `payout-scheduled` entry on the closed date, timed at the cut-off; a zero or
 * negative balance carries over without one, as the guide describes. A closed date never reopens,
 * not even when a restarted simulator's clock is earlier: later entries go to the first open date.
 */
import { randomInt } from "node:crypto";
import type { Clock } from "../clock";
import { PROBLEM_TYPES, ProblemError, badRequest, notFound } from "./http";
import { addDays, closesAt, cutoffMinutes, isLedgerDate, ledgerDateAt } from "./report-calendar";
import type { ReportConfig, ReportConfigStore, ReportEntryInput, ReportTopic } from "./report-config";
import { type ReportEntryRow, type ReportLedgerRow, ReportStore } from "./report-store";
import {
  type EntryView,
  type LedgerView,
  decodeCursor,
  encodeCursor,
  entryView,
  ledgerView,
  recipientHandleFor,
} from "./report-views";
import type { SimulatorLog } from "./settings";
import type { Db } from "./store";
import type { Currency } from "./validation-fields";

export interface ReportLedgerDeps {
  db: Db;
  clock: Clock;
  config: ReportConfigStore;
  log: SimulatorLog;
  /** The name a ledger's sales unit is shown with. */
  salesUnitName(msn: string): string;
}

/** The part of a payment a settlement entry needs. */
export interface SettledPayment {
  msn: string;
  reference: string;
  currency: Currency;
}

export interface FeedPage {
  items: EntryView[];
  cursor: string;
  tryLater: boolean;
}

export interface DatePage {
  items: EntryView[];
  hasMore: boolean;
  cursor?: string;
}

interface EntryFields {
  entryType: string;
  amount: number;
  pspReference: string;
  reference: string | null;
  recipientHandle: string | null;
  time: number;
  ledgerDate?: string;
}

/** The fee on a capture: basis points of the amount, rounded half up, plus the fixed part. */
export const captureFee = (amount: number, config: Pick<ReportConfig, "feeBps" | "feeFixed">) =>
  Math.floor((amount * config.feeBps + 5_000) / 10_000) + config.feeFixed;

const randomPspReference = () => String(randomInt(1_000_000_000, 9_999_999_999));

export class ReportLedger {
  private readonly store: ReportStore;

  constructor(private readonly deps: ReportLedgerDeps) {
    this.store = new ReportStore(deps.db);
  }

  private cutoff(config: ReportConfig): number {
    return cutoffMinutes(config.cutoff)!;
  }

  // ---- Writing -----------------------------------------------------------------------------------

  /** Runs inside the capture's own transaction, with the pspReference of its CAPTURED event. */
  capture(payment: SettledPayment, amount: number, pspReference: string, at: number): void {
    const config = this.deps.config.current();
    if (this.withheld(payment, config, "capture")) return;
    this.store.transaction(() => {
      const ledger = this.prepareWrite(payment.msn, payment.currency, at, config);
      const base = this.paymentFields(payment, pspReference, at);
      this.write(ledger, "funds", { ...base, entryType: "capture", amount }, at, config);
      const fee = captureFee(amount, config);
      if (fee === 0) return;
      this.write(ledger, "funds", { ...base, entryType: "fees-retained", amount: -fee }, at, config);
      this.write(ledger, "fees", { ...base, entryType: "capture-fee", amount: -fee }, at, config);
      this.write(ledger, "fees", { ...base, entryType: "fees-retained", amount: fee }, at, config);
    });
  }

  /** Runs inside the refund's own transaction, with the pspReference of its REFUNDED event. */
  refund(payment: SettledPayment, amount: number, pspReference: string, at: number): void {
    const config = this.deps.config.current();
    if (this.withheld(payment, config, "refund")) return;
    this.store.transaction(() => {
      const ledger = this.prepareWrite(payment.msn, payment.currency, at, config);
      const base = this.paymentFields(payment, pspReference, at);
      this.write(ledger, "funds", { ...base, entryType: "refund", amount: -amount }, at, config);
    });
  }

  /** POST /_sim/report/entries: any entry, on the first open date of the MSN's ledger in that currency. */
  addEntry(input: ReportEntryInput, defaultMsn: string): { ledgerId: string; topic: ReportTopic; entry: EntryView } {
    const config = this.deps.config.current();
    const now = this.deps.clock.now();
    const msn = input.msn ?? defaultMsn;
    return this.store.transaction(() => {
      const ledger = this.prepareWrite(msn, input.currency, now, config);
      const row = this.write(
        ledger,
        input.topic,
        {
          entryType: input.entryType,
          amount: input.amount,
          pspReference: input.pspReference ?? randomPspReference(),
          reference: input.reference ?? null,
          recipientHandle: input.recipientHandle === undefined ? recipientHandleFor(msn) : input.recipientHandle,
          time: now,
        },
        now,
        config,
      );
      return { ledgerId: ledger.ledger_id, topic: input.topic, entry: entryView(row) };
    });
  }

  /** Closes every ledger date whose cut-off has passed; the background work calls it every second. */
  closeDueDates(): void {
    this.closeDueAt(this.deps.clock.now(), this.deps.config.current());
  }

  /** Most calls find nothing to close; they check that with one read instead of taking the write lock. */
  private closeDueAt(now: number, config: ReportConfig): void {
    const yesterday = addDays(ledgerDateAt(now, this.cutoff(config)), -1);
    if (this.store.hasOpenThrough(yesterday)) this.store.transaction(() => this.closeDue(now, config));
  }

  private withheld(payment: SettledPayment, config: ReportConfig, what: string): boolean {
    if (!config.withholdReferences.includes(payment.reference)) return false;
    this.deps.log("info", `report: ${what} withheld from the Report API`, { reference: payment.reference });
    return true;
  }

  private paymentFields(payment: SettledPayment, pspReference: string, at: number) {
    return {
      pspReference,
      reference: payment.reference,
      recipientHandle: recipientHandleFor(payment.msn),
      time: at,
    };
  }

  /** Closes what is due, then finds or opens the ledger to write to. */
  private prepareWrite(msn: string, currency: Currency, now: number, config: ReportConfig): ReportLedgerRow {
    this.closeDue(now, config);
    return this.ledgerFor(msn, currency, now, config);
  }

  private ledgerFor(msn: string, currency: Currency, now: number, config: ReportConfig): ReportLedgerRow {
    const found = this.store.findLedger(msn, currency);
    if (found) return found;
    // A new ledger has nothing before today, so everything before today counts as closed.
    const today = ledgerDateAt(now, this.cutoff(config));
    return this.store.createLedger(msn, currency, addDays(today, -1), now);
  }

  private write(
    ledger: ReportLedgerRow,
    topic: ReportTopic,
    fields: EntryFields,
    now: number,
    config: ReportConfig,
  ): ReportEntryRow {
    const balanceBefore = this.store.balance(ledger.ledger_id, topic);
    const row = this.store.insert({
      ledger_id: ledger.ledger_id,
      topic,
      entry_type: fields.entryType,
      psp_reference: fields.pspReference,
      reference: fields.reference,
      recipient_handle: fields.recipientHandle,
      currency: ledger.currency,
      amount: fields.amount,
      balance_before: balanceBefore,
      balance_after: balanceBefore + fields.amount,
      time: fields.time,
      ledger_date: fields.ledgerDate ?? this.openDate(ledger, now, config),
      written_at: now,
      visible_at: now + config.lagMs,
    });
    this.deps.log("debug", `report: ${topic} ${row.entry_type}`, {
      ledgerId: row.ledger_id,
      amount: row.amount,
      ledgerDate: row.ledger_date,
    });
    return row;
  }

  /** Today's ledger date, unless that is already closed (a clock set back): then the first open one. */
  private openDate(ledger: ReportLedgerRow, now: number, config: ReportConfig): string {
    const today = ledgerDateAt(now, this.cutoff(config));
    const firstOpen = ledger.closed_through === null ? today : addDays(ledger.closed_through, 1);
    // Dates compare as text; Math.max would turn them into NaN.
    if (firstOpen > today) return firstOpen;
    return today;
  }

  private closeDue(now: number, config: ReportConfig): void {
    const cutoff = this.cutoff(config);
    const today = ledgerDateAt(now, cutoff);
    const yesterday = addDays(today, -1);
    for (const ledger of this.store.allLedgers()) {
      for (const date of this.store.datesWithEntries(ledger.ledger_id, ledger.closed_through, today)) {
        const balance = this.store.balance(ledger.ledger_id, "funds", date);
        if (balance <= 0) continue;
        const payout = String(this.store.nextPayoutNumber());
        this.write(
          ledger,
          "funds",
          {
            entryType: "payout-scheduled",
            amount: -balance,
            pspReference: `${ledger.ledger_id}${payout}`,
            reference: payout,
            recipientHandle: null,
            time: closesAt(date, cutoff),
            ledgerDate: date,
          },
          now,
          config,
        );
      }
      if (ledger.closed_through === null || ledger.closed_through < yesterday)
        this.store.setClosedThrough(ledger.ledger_id, yesterday);
    }
  }

  // ---- Reading -----------------------------------------------------------------------------------

  /** GET /settlement/v1/ledgers: the caller's own ledgers; a sales unit always has its NOK one. */
  ledgersFor(msn: string, recipientHandle?: string): LedgerView[] {
    const config = this.deps.config.current();
    const now = this.deps.clock.now();
    const rows = this.store.transaction(() => {
      this.closeDue(now, config);
      if (this.store.ledgersOf(msn).length === 0) this.ledgerFor(msn, "NOK", now, config);
      return this.store.ledgersOf(msn);
    });
    return rows
      .map((row) => ledgerView(row, this.deps.salesUnitName(row.msn)))
      .filter((view) => recipientHandle === undefined || view.settlesForRecipientHandles.includes(recipientHandle));
  }

  /** GET …/{topic}/feed: the next page after the cursor; at the end no items, the same cursor and tryLater. */
  feed(msn: string, ledgerId: string, topic: ReportTopic, cursor: string | undefined): FeedPage {
    const { now, config } = this.beforeRead();
    this.accessible(msn, ledgerId);
    const after = cursor === undefined ? 0 : decodeCursor(cursor, { ledgerId, topic });
    const rows = this.store.after(ledgerId, topic, after, config.pageSize);
    // Entries arrive in order: one still held back by the lag holds back every entry after it too.
    const hidden = rows.findIndex((row) => row.visible_at > now);
    const visible = hidden === -1 ? rows : rows.slice(0, hidden);
    const last = visible.at(-1)?.id ?? after;
    return {
      items: visible.map(entryView),
      cursor: encodeCursor({ ledgerId, topic, after: last }),
      tryLater: visible.length === 0,
    };
  }

  /** GET …/{topic}/dates/{ledgerDate}: 404 until the date is closed and all its entries are in. */
  date(msn: string, ledgerId: string, topic: ReportTopic, date: string, cursor: string | undefined): DatePage {
    const { now, config } = this.beforeRead();
    const ledger = this.accessible(msn, ledgerId);
    if (!isLedgerDate(date)) {
      throw badRequest("The ledger date is invalid.", [{ name: "ledgerDate", reason: "A date as YYYY-MM-DD." }]);
    }
    const closed = ledger.closed_through !== null && date <= ledger.closed_through;
    if (!closed || this.store.hasUnseenOn(ledgerId, topic, date, now)) {
      throw notFound(`The ${topic} report for ledger date ${date} is not available yet. Try again later.`);
    }
    const after = cursor === undefined ? 0 : decodeCursor(cursor, { ledgerId, topic, date });
    const rows = this.store.onDateAfter(ledgerId, topic, date, after, config.pageSize + 1);
    const page = rows.slice(0, config.pageSize);
    const hasMore = rows.length > config.pageSize;
    return {
      items: page.map(entryView),
      hasMore,
      ...(hasMore ? { cursor: encodeCursor({ ledgerId, topic, date, after: page.at(-1)!.id }) } : {}),
    };
  }

  private beforeRead(): { now: number; config: ReportConfig } {
    const config = this.deps.config.current();
    const now = this.deps.clock.now();
    this.closeDueAt(now, config);
    return { now, config };
  }

  /** Another sales unit's ledger is refused, not hidden: the keys are valid, the access is not. */
  private accessible(msn: string, ledgerId: string): ReportLedgerRow {
    const ledger = this.store.ledger(ledgerId);
    if (!ledger) throw notFound(`Ledger ${ledgerId} not found.`);
    if (ledger.msn !== msn) {
      throw new ProblemError(
        403,
        PROBLEM_TYPES.forbidden,
        "Forbidden",
        `These API keys have no access to ledger ${ledgerId}.`,
      );
    }
    return ledger;
  }
}
