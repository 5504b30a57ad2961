import { type Migration, T } from "./migration-types";

/**
 * Settlement: the Report API's ledger entries as the importer read them, and each feed's cursor.
 * An entry's id is unique, so a page read twice (a crash before its commit, two instances) stores
 * each entry once; the cursor moves in the same transaction as the page's entries.
 */
export const MIGRATION_15_SETTLEMENTS: Migration = {
  version: 15,
  sqlite: [
    `CREATE TABLE settlement_entries (
    id TEXT PRIMARY KEY, msn TEXT NOT NULL, ledger_id TEXT NOT NULL, topic TEXT NOT NULL, entry_type TEXT NOT NULL,
    kind TEXT NOT NULL, psp_reference TEXT NOT NULL, reference TEXT, currency TEXT NOT NULL, amount INTEGER NOT NULL,
    balance_after INTEGER NOT NULL, time TEXT NOT NULL, ledger_date TEXT NOT NULL, sale_id TEXT, imported_at TEXT NOT NULL
  )`,
    "CREATE INDEX settlement_entries_by_date ON settlement_entries (ledger_date)",
    "CREATE INDEX settlement_entries_by_sale ON settlement_entries (sale_id)",
    "CREATE INDEX settlement_entries_by_psp ON settlement_entries (psp_reference)",
    "CREATE INDEX settlement_entries_unmatched ON settlement_entries (reference) WHERE sale_id IS NULL",
    `CREATE TABLE settlement_feeds (
    ledger_id TEXT NOT NULL, topic TEXT NOT NULL, msn TEXT NOT NULL, currency TEXT NOT NULL, cursor TEXT,
    last_import_at TEXT, caught_up_at TEXT, last_error TEXT, error_since TEXT,
    PRIMARY KEY (ledger_id, topic)
  )`,
  ],
  postgresql: [
    `CREATE TABLE settlement_entries (
    id ${T} PRIMARY KEY, msn ${T} NOT NULL, ledger_id ${T} NOT NULL, topic ${T} NOT NULL, entry_type ${T} NOT NULL,
    kind ${T} NOT NULL, psp_reference ${T} NOT NULL, reference ${T}, currency ${T} NOT NULL, amount BIGINT NOT NULL,
    balance_after BIGINT NOT NULL, time ${T} NOT NULL, ledger_date ${T} NOT NULL, sale_id ${T}, imported_at ${T} NOT NULL
  )`,
    "CREATE INDEX settlement_entries_by_date ON settlement_entries (ledger_date)",
    "CREATE INDEX settlement_entries_by_sale ON settlement_entries (sale_id)",
    "CREATE INDEX settlement_entries_by_psp ON settlement_entries (psp_reference)",
    "CREATE INDEX settlement_entries_unmatched ON settlement_entries (reference) WHERE sale_id IS NULL",
    `CREATE TABLE settlement_feeds (
    ledger_id ${T} NOT NULL, topic ${T} NOT NULL, msn ${T} NOT NULL, currency ${T} NOT NULL, cursor ${T},
    last_import_at ${T}, caught_up_at ${T}, last_error ${T}, error_since ${T},
    PRIMARY KEY (ledger_id, topic)
  )`,
  ],
};
