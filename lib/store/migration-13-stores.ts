import { type Migration, T } from "./migration-types";

/**
 * Stores (Vipps sales units): a chain runs several in one deployment, each with its own MSN and,
 * optionally, its own API keys. Terminals and sales belong to one. A database from before has a
 * single sales unit, the one the environment names (VIPPS_MSN): it becomes the placeholder store
 * `store-1` with every terminal and sale in it, and start-up (lib/stores/store-bootstrap.ts) fills
 * in its name, MSN and currency from the configuration and the shop's settings. A sale's `msn` is
 * the sales unit that took its payment, so a refund goes through it even if its store's MSN changes;
 * NULL on sales made before, which start-up stamps with store 1's MSN.
 */
export const MIGRATION_13_STORES: Migration = {
  version: 13,
  sqlite: [
    `CREATE TABLE stores (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, msn TEXT NOT NULL, currency TEXT NOT NULL, time_zone TEXT NOT NULL,
    language TEXT NOT NULL, address TEXT, organisation_number TEXT, vipps_client_id TEXT, vipps_secrets TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, CONSTRAINT stores_msn_key UNIQUE (msn)
  )`,
    `INSERT INTO stores (id, name, msn, currency, time_zone, language, created_at, updated_at)
    VALUES ('store-1', '', '', 'NOK', 'Europe/Oslo', 'nb', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
    "ALTER TABLE terminals ADD COLUMN store_id TEXT NOT NULL DEFAULT 'store-1'",
    "ALTER TABLE sales ADD COLUMN store_id TEXT NOT NULL DEFAULT 'store-1'",
    "ALTER TABLE sales ADD COLUMN msn TEXT",
    "CREATE INDEX sales_by_store ON sales (store_id, created_at DESC)",
  ],
  postgresql: [
    `CREATE TABLE stores (
    id ${T} PRIMARY KEY, name ${T} NOT NULL, msn ${T} NOT NULL, currency ${T} NOT NULL, time_zone ${T} NOT NULL,
    language ${T} NOT NULL, address ${T}, organisation_number ${T}, vipps_client_id ${T}, vipps_secrets ${T},
    created_at ${T} NOT NULL, updated_at ${T} NOT NULL, CONSTRAINT stores_msn_key UNIQUE (msn)
  )`,
    `INSERT INTO stores (id, name, msn, currency, time_zone, language, created_at, updated_at)
    VALUES ('store-1', '', '', 'NOK', 'Europe/Oslo', 'nb',
      to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`,
    `ALTER TABLE terminals ADD COLUMN store_id ${T} NOT NULL DEFAULT 'store-1'`,
    `ALTER TABLE sales ADD COLUMN store_id ${T} NOT NULL DEFAULT 'store-1'`,
    `ALTER TABLE sales ADD COLUMN msn ${T}`,
    "CREATE INDEX sales_by_store ON sales (store_id, created_at DESC)",
  ],
};
