import "server-only";
import type { Kysely, Selectable } from "kysely";
import type {
  NewSettlementEntry,
  SettlementEntry,
  SettlementEntryKind,
  SettlementFeed,
  SettlementTopic,
} from "@/lib/entities/settlement";
import type { StoreConnection } from "./connect";
import type { SettlementFeedKey, SettlementsRepository } from "./repositories";
import type { Database, SettlementEntriesTable, SettlementFeedsTable } from "./schema";

type Db = Kysely<Database>;

/** Rows per INSERT and names per IN list: far below SQLite's and PostgreSQL's variable limits. */
const CHUNK = 200;

const chunks = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
};

function toEntry(row: Selectable<SettlementEntriesTable>): SettlementEntry {
  return {
    id: row.id,
    msn: row.msn,
    ledgerId: row.ledger_id,
    topic: row.topic as SettlementTopic,
    entryType: row.entry_type,
    kind: row.kind as SettlementEntryKind,
    pspReference: row.psp_reference,
    ...(row.reference === null ? {} : { reference: row.reference }),
    currency: row.currency,
    amount: Number(row.amount),
    balanceAfter: Number(row.balance_after),
    time: row.time,
    ledgerDate: row.ledger_date,
    ...(row.sale_id === null ? {} : { saleId: row.sale_id }),
    importedAt: row.imported_at,
  };
}

function toFeed(row: Selectable<SettlementFeedsTable>): SettlementFeed {
  return {
    msn: row.msn,
    ledgerId: row.ledger_id,
    topic: row.topic as SettlementTopic,
    currency: row.currency,
    ...(row.cursor === null ? {} : { cursor: row.cursor }),
    ...(row.last_import_at === null ? {} : { lastImportAt: row.last_import_at }),
    ...(row.caught_up_at === null ? {} : { caughtUpAt: row.caught_up_at }),
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    ...(row.error_since === null ? {} : { errorSince: row.error_since }),
  };
}

/**
 * The settlement importer's store on Kysely, SQLite and PostgreSQL alike. A page is one
 * transaction that first moves the feed's cursor by compare-and-set (an UPDATE whose WHERE names
 * the cursor the page was read from; on PostgreSQL a second instance's UPDATE waits for the first
 * one's row lock and then finds the cursor moved, on SQLite BEGIN IMMEDIATE runs them one after
 * the other) and only then writes the entries, each once by its primary key.
 */
export class KyselySettlementsRepository implements SettlementsRepository {
  private readonly db: Db;

  constructor(connection: StoreConnection) {
    this.db = connection.db;
  }

  async listFeeds(msn?: string): Promise<SettlementFeed[]> {
    let query = this.db.selectFrom("settlement_feeds").selectAll().orderBy("ledger_id").orderBy("topic");
    if (msn !== undefined) query = query.where("msn", "=", msn);
    return (await query.execute()).map(toFeed);
  }

  importPage(page: Parameters<SettlementsRepository["importPage"]>[0]) {
    return this.db.transaction().execute(async (trx) => {
      if (!(await moveCursor(trx, page.feed, page.fromCursor, page.toCursor, page.at, page.caughtUp)))
        return { moved: true as const };
      const saleIds = await matchSales(trx, page.entries);
      let stored = 0;
      for (const chunk of chunks(page.entries)) {
        const result = await trx
          .insertInto("settlement_entries")
          .values(
            chunk.map((entry) => ({
              id: entry.id,
              msn: entry.msn,
              ledger_id: entry.ledgerId,
              topic: entry.topic,
              entry_type: entry.entryType,
              kind: entry.kind,
              psp_reference: entry.pspReference,
              reference: entry.reference ?? null,
              currency: entry.currency,
              amount: entry.amount,
              balance_after: entry.balanceAfter,
              time: entry.time,
              ledger_date: entry.ledgerDate,
              sale_id: saleIds.get(entry.id) ?? null,
              imported_at: page.at,
            })),
          )
          .onConflict((oc) => oc.column("id").doNothing())
          .executeTakeFirst();
        stored += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      return { moved: false as const, stored };
    });
  }

  async recordFeedError(feed: SettlementFeedKey, error: string, at: string): Promise<void> {
    await this.db
      .insertInto("settlement_feeds")
      .values({
        ledger_id: feed.ledgerId,
        topic: feed.topic,
        msn: feed.msn,
        currency: feed.currency,
        cursor: null,
        last_error: error,
        error_since: at,
      })
      .onConflict((oc) =>
        oc.columns(["ledger_id", "topic"]).doUpdateSet((eb) => ({
          last_error: error,
          // The first failure of a run of failures says since when the feed is stuck.
          error_since: eb.fn.coalesce("settlement_feeds.error_since", eb.val(at)),
        })),
      )
      .execute();
  }

  async listEntries(filter: {
    fromDate?: string;
    toDate?: string;
    saleIds?: string[];
    msns?: string[];
  }): Promise<SettlementEntry[]> {
    if (filter.msns?.length === 0) return [];
    const base = () => {
      let query = this.db.selectFrom("settlement_entries").selectAll();
      if (filter.msns !== undefined) query = query.where("msn", "in", filter.msns);
      if (filter.fromDate !== undefined) query = query.where("ledger_date", ">=", filter.fromDate);
      if (filter.toDate !== undefined) query = query.where("ledger_date", "<=", filter.toDate);
      return query.orderBy("time").orderBy("id");
    };
    if (filter.saleIds === undefined) return (await base().execute()).map(toEntry);
    const rows: SettlementEntry[] = [];
    for (const chunk of chunks(filter.saleIds)) {
      if (chunk.length === 0) continue;
      rows.push(...(await base().where("sale_id", "in", chunk).execute()).map(toEntry));
    }
    return rows.sort((a, b) => (a.time === b.time ? a.id.localeCompare(b.id) : a.time < b.time ? -1 : 1));
  }

  async matchUnmatched(): Promise<number> {
    const result = await this.db
      .updateTable("settlement_entries")
      .set((eb) => ({
        sale_id: eb
          .selectFrom("attempts")
          .select("attempts.sale_id")
          .whereRef("attempts.reference", "=", "settlement_entries.reference"),
      }))
      .where("sale_id", "is", null)
      .where("reference", "is not", null)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom("attempts")
            .select("attempts.id")
            .whereRef("attempts.reference", "=", "settlement_entries.reference"),
        ),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows ?? 0);
  }
}

/** Compare-and-set of the feed's cursor; false when another writer moved it first. */
async function moveCursor(
  trx: Db,
  feed: SettlementFeedKey,
  fromCursor: string | undefined,
  toCursor: string,
  at: string,
  caughtUp: boolean,
): Promise<boolean> {
  const moved = {
    cursor: toCursor,
    last_import_at: at,
    last_error: null,
    error_since: null,
    ...(caughtUp ? { caught_up_at: at } : {}),
  };
  const updated = await trx
    .updateTable("settlement_feeds")
    .set(moved)
    .where("ledger_id", "=", feed.ledgerId)
    .where("topic", "=", feed.topic)
    .where((eb) => (fromCursor === undefined ? eb("cursor", "is", null) : eb("cursor", "=", fromCursor)))
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows ?? 0) > 0) return true;
  if (fromCursor !== undefined) return false;
  // The feed's first page: no row yet. A row that appeared meanwhile means another writer started.
  const inserted = await trx
    .insertInto("settlement_feeds")
    .values({ ledger_id: feed.ledgerId, topic: feed.topic, msn: feed.msn, currency: feed.currency, ...moved })
    .onConflict((oc) => oc.columns(["ledger_id", "topic"]).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Each entry's sale: the sale of an entry already matched with the same pspReference (a fee shares
 * its capture's), else the sale whose attempt carries the entry's reference (Vipps' reference is
 * the attempt's). Entries of the same page match through each other as well.
 */
async function matchSales(trx: Db, entries: readonly NewSettlementEntry[]): Promise<Map<string, string>> {
  const byPsp = new Map<string, string>();
  const byReference = new Map<string, string>();
  const pspReferences = [...new Set(entries.map((entry) => entry.pspReference))];
  const references = [...new Set(entries.flatMap((entry) => (entry.reference ? [entry.reference] : [])))];
  for (const chunk of chunks(pspReferences)) {
    const rows = await trx
      .selectFrom("settlement_entries")
      .select(["psp_reference", "sale_id"])
      .where("psp_reference", "in", chunk)
      .where("sale_id", "is not", null)
      .execute();
    for (const row of rows) byPsp.set(row.psp_reference, row.sale_id!);
  }
  for (const chunk of chunks(references)) {
    const rows = await trx
      .selectFrom("attempts")
      .select(["reference", "sale_id"])
      .where("reference", "in", chunk)
      .execute();
    for (const row of rows) byReference.set(row.reference, row.sale_id);
  }
  const matched = new Map<string, string>();
  for (const entry of entries) {
    const saleId = byPsp.get(entry.pspReference) ?? (entry.reference ? byReference.get(entry.reference) : undefined);
    if (saleId === undefined) continue;
    matched.set(entry.id, saleId);
    if (!byPsp.has(entry.pspReference)) byPsp.set(entry.pspReference, saleId);
  }
  return matched;
}
