/**
 * The simulated Report API's rows in the simulator database (tables in store.ts): one ledger per
 * MSN and currency, and its entries. An entry's id is SQLite's AUTOINCREMENT, never reused, so the
 * order of a ledger's entries is fixed once written and a feed cursor holding an id resumes exactly.
 */
import type { ReportTopic } from "./report-config";
import { type Db, getMeta, setMeta } from "./store";
import type { Currency } from "./validation-fields";

export interface ReportLedgerRow {
  seq: number;
  ledger_id: string;
  msn: string;
  currency: Currency;
  /** The last ledger date that is closed (its payout decided); later dates are still open. */
  closed_through: string | null;
  created_at: number;
}

export interface ReportEntryRow {
  id: number;
  ledger_id: string;
  topic: ReportTopic;
  entry_type: string;
  psp_reference: string;
  reference: string | null;
  recipient_handle: string | null;
  currency: Currency;
  amount: number;
  balance_before: number;
  balance_after: number;
  /** When it happened (ms); a payout's is the instant its date closed. */
  time: number;
  ledger_date: string;
  written_at: number;
  /** From when the API shows it: written_at plus the configured lag. */
  visible_at: number;
}

export type NewReportEntry = Omit<ReportEntryRow, "id">;

/** Ledger IDs are numbers like Vipps' ("302321"), counted from here so they never look like an MSN. */
const FIRST_LEDGER_ID = 300_000;
/** Payout numbers, as in the guide's examples (Utbet. 2000101). */
const FIRST_PAYOUT_NUMBER = 2_000_001;

export class ReportStore {
  constructor(readonly db: Db) {}

  /** better-sqlite3 nests a transaction inside another as a savepoint, so this is safe in a payment's. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  ledger(ledgerId: string): ReportLedgerRow | undefined {
    return this.db.prepare("SELECT * FROM sim_report_ledgers WHERE ledger_id = ?").get(ledgerId) as
      | ReportLedgerRow
      | undefined;
  }

  ledgersOf(msn: string): ReportLedgerRow[] {
    return this.db.prepare("SELECT * FROM sim_report_ledgers WHERE msn = ? ORDER BY seq").all(msn) as ReportLedgerRow[];
  }

  allLedgers(): ReportLedgerRow[] {
    return this.db.prepare("SELECT * FROM sim_report_ledgers ORDER BY seq").all() as ReportLedgerRow[];
  }

  findLedger(msn: string, currency: Currency): ReportLedgerRow | undefined {
    return this.db.prepare("SELECT * FROM sim_report_ledgers WHERE msn = ? AND currency = ?").get(msn, currency) as
      | ReportLedgerRow
      | undefined;
  }

  createLedger(msn: string, currency: Currency, closedThrough: string, now: number): ReportLedgerRow {
    const { next } = this.db.prepare("SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM sim_report_ledgers").get() as {
      next: number;
    };
    this.db
      .prepare(
        "INSERT INTO sim_report_ledgers (seq, ledger_id, msn, currency, closed_through, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(next, String(FIRST_LEDGER_ID + next), msn, currency, closedThrough, now);
    return this.findLedger(msn, currency)!;
  }

  /** Whether some ledger has a date up to `date` still open: only then is there anything to close. */
  hasOpenThrough(date: string): boolean {
    return (
      this.db
        .prepare("SELECT 1 FROM sim_report_ledgers WHERE closed_through IS NULL OR closed_through < ? LIMIT 1")
        .get(date) !== undefined
    );
  }

  setClosedThrough(ledgerId: string, date: string): void {
    this.db.prepare("UPDATE sim_report_ledgers SET closed_through = ? WHERE ledger_id = ?").run(date, ledgerId);
  }

  /** The balance after the newest entry of one topic, optionally only counting dates up to `throughDate`. */
  balance(ledgerId: string, topic: ReportTopic, throughDate?: string): number {
    const row = (
      throughDate === undefined
        ? this.db
            .prepare(
              "SELECT balance_after FROM sim_report_entries WHERE ledger_id = ? AND topic = ? ORDER BY id DESC LIMIT 1",
            )
            .get(ledgerId, topic)
        : this.db
            .prepare(
              "SELECT balance_after FROM sim_report_entries WHERE ledger_id = ? AND topic = ? AND ledger_date <= ? ORDER BY id DESC LIMIT 1",
            )
            .get(ledgerId, topic, throughDate)
    ) as { balance_after: number } | undefined;
    return row?.balance_after ?? 0;
  }

  insert(entry: NewReportEntry): ReportEntryRow {
    const result = this.db
      .prepare(
        `INSERT INTO sim_report_entries (ledger_id, topic, entry_type, psp_reference, reference, recipient_handle, currency,
           amount, balance_before, balance_after, time, ledger_date, written_at, visible_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.ledger_id,
        entry.topic,
        entry.entry_type,
        entry.psp_reference,
        entry.reference,
        entry.recipient_handle,
        entry.currency,
        entry.amount,
        entry.balance_before,
        entry.balance_after,
        entry.time,
        entry.ledger_date,
        entry.written_at,
        entry.visible_at,
      );
    return { id: Number(result.lastInsertRowid), ...entry };
  }

  /** Dates with entries (either topic) after `after` and before `before`, oldest first. */
  datesWithEntries(ledgerId: string, after: string | null, before: string): string[] {
    const rows = this.db
      .prepare(
        "SELECT DISTINCT ledger_date FROM sim_report_entries WHERE ledger_id = ? AND ledger_date > ? AND ledger_date < ? ORDER BY ledger_date",
      )
      .all(ledgerId, after ?? "", before) as { ledger_date: string }[];
    return rows.map((row) => row.ledger_date);
  }

  /** Up to `limit` entries after the one with id `afterId`, in their fixed order. */
  after(ledgerId: string, topic: ReportTopic, afterId: number, limit: number): ReportEntryRow[] {
    return this.db
      .prepare("SELECT * FROM sim_report_entries WHERE ledger_id = ? AND topic = ? AND id > ? ORDER BY id LIMIT ?")
      .all(ledgerId, topic, afterId, limit) as ReportEntryRow[];
  }

  /** Like after(), within one ledger date. */
  onDateAfter(ledgerId: string, topic: ReportTopic, date: string, afterId: number, limit: number): ReportEntryRow[] {
    return this.db
      .prepare(
        "SELECT * FROM sim_report_entries WHERE ledger_id = ? AND topic = ? AND ledger_date = ? AND id > ? ORDER BY id LIMIT ?",
      )
      .all(ledgerId, topic, date, afterId, limit) as ReportEntryRow[];
  }

  /** Whether some entry of that date is still held back by the lag at `now`. */
  hasUnseenOn(ledgerId: string, topic: ReportTopic, date: string, now: number): boolean {
    return (
      this.db
        .prepare(
          "SELECT 1 FROM sim_report_entries WHERE ledger_id = ? AND topic = ? AND ledger_date = ? AND visible_at > ? LIMIT 1",
        )
        .get(ledgerId, topic, date, now) !== undefined
    );
  }

  /** The next payout number; call inside the transaction that writes the payout. */
  nextPayoutNumber(): number {
    const next = Number(getMeta(this.db, "report_payout_number") ?? FIRST_PAYOUT_NUMBER - 1) + 1;
    setMeta(this.db, "report_payout_number", String(next));
    return next;
  }
}
