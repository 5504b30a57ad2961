import "server-only";
import { type Kysely, sql } from "kysely";
import type { StoreConnection, StoreDialect } from "./connect";
import type { Database } from "./schema";
import { MIGRATION_13_STORES } from "./migration-13-stores";
import { MIGRATION_16_PUSH_CUSTOMER } from "./migration-16-push-customer";
import { type Migration, T } from "./migration-types";
import { MIGRATION_15_SETTLEMENTS } from "./migration-15-settlements";
import { MIGRATION_14_STAFF } from "./migration-14-staff";
import { MIGRATION_17_AUDIT_STORE } from "./migration-17-audit-store";
import { MIGRATION_19_DROP_UNSNAPSHOTTED_INDEX } from "./migration-19-drop-unsnapshotted-index";

export type { Migration };

/**
 * The schema's history, oldest first, as SQL per dialect. Each version runs once; `schema_migrations`
 * records which did. Never edit a shipped entry: add a new one. Versions 1 and 2 are exactly what
 * the earlier better-sqlite3 store ran (same numbers, same SQLite text), so a data directory it
 * created opens without running them again.
 *
 * The PostgreSQL text is the same schema: the same tables, columns, keys and checks. It differs only
 * where PostgreSQL needs its own words: an identity column for the event log's AUTOINCREMENT,
 * BOOLEAN and JSON for the columns SQLite keeps as 0/1 and TEXT, BIGINT for epoch milliseconds, and
 * COLLATE "C" on text so that ORDER BY and the paging cursor compare bytes, as SQLite does, whatever
 * the database's default collation is. The unique constraints the store recognises are named.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sqlite: [
      "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
      `CREATE TABLE terminals (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, pos_id TEXT NOT NULL, language TEXT NOT NULL,
    currency TEXT NOT NULL, display_token TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL
  )`,
      `CREATE TABLE products (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, unit_price INTEGER NOT NULL, currency TEXT NOT NULL,
    tax_rate INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  )`,
      `CREATE TABLE sales (
    id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL REFERENCES terminals(id), receipt_number TEXT NOT NULL,
    currency TEXT NOT NULL, amount INTEGER NOT NULL CHECK (amount >= 0), description TEXT NOT NULL,
    lines TEXT NOT NULL, state TEXT NOT NULL, auto_capture INTEGER NOT NULL,
    captured_amount INTEGER NOT NULL DEFAULT 0, refunded_amount INTEGER NOT NULL DEFAULT 0,
    current_attempt_id TEXT NOT NULL, attempt_count INTEGER NOT NULL, failure_reason TEXT,
    idempotency_key TEXT UNIQUE, request_hash TEXT, active_terminal_id TEXT UNIQUE,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, ended_at TEXT,
    CHECK (refunded_amount <= captured_amount AND captured_amount <= amount)
  )`,
      "CREATE INDEX sales_by_time ON sales (created_at DESC, id DESC)",
      "CREATE INDEX sales_by_terminal ON sales (terminal_id, created_at DESC)",
      `CREATE TABLE attempts (
    id TEXT PRIMARY KEY, sale_id TEXT NOT NULL REFERENCES sales(id), reference TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL, qr_url TEXT, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
    next_poll_at TEXT NOT NULL, poll_count INTEGER NOT NULL DEFAULT 0, last_polled_at TEXT, cancel_reason TEXT
  )`,
      "CREATE INDEX attempts_by_sale ON attempts (sale_id)",
      `CREATE TABLE sale_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, sale_id TEXT NOT NULL REFERENCES sales(id), attempt_id TEXT,
    type TEXT NOT NULL, source TEXT NOT NULL, from_state TEXT, to_state TEXT, detail TEXT, at TEXT NOT NULL
  )`,
      "CREATE INDEX sale_events_by_sale ON sale_events (sale_id, id)",
      `CREATE TABLE refunds (
    id TEXT PRIMARY KEY, sale_id TEXT NOT NULL REFERENCES sales(id), amount INTEGER NOT NULL CHECK (amount > 0),
    state TEXT NOT NULL, created_at TEXT NOT NULL
  )`,
      "CREATE TABLE processed_webhooks (id TEXT PRIMARY KEY, received_at TEXT NOT NULL)",
      `CREATE TABLE display_devices (
    id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL REFERENCES terminals(id), token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT
  )`,
      `CREATE TABLE display_pairings (
    id TEXT PRIMARY KEY, code TEXT NOT NULL, expires_at TEXT NOT NULL, terminal_id TEXT,
    device_token TEXT, claimed_at TEXT
  )`,
      "CREATE INDEX display_pairings_by_code ON display_pairings (code)",
    ],
    postgresql: [
      `CREATE TABLE settings (key ${T} PRIMARY KEY, value ${T} NOT NULL)`,
      `CREATE TABLE terminals (
    id ${T} PRIMARY KEY, name ${T} NOT NULL, pos_id ${T} NOT NULL, language ${T} NOT NULL,
    currency ${T} NOT NULL, display_token ${T} NOT NULL UNIQUE, created_at ${T} NOT NULL
  )`,
      `CREATE TABLE products (
    id ${T} PRIMARY KEY, name ${T} NOT NULL, unit_price INTEGER NOT NULL, currency ${T} NOT NULL,
    tax_rate INTEGER NOT NULL, created_at ${T} NOT NULL, updated_at ${T} NOT NULL
  )`,
      `CREATE TABLE sales (
    id ${T} PRIMARY KEY, terminal_id ${T} NOT NULL REFERENCES terminals(id), receipt_number ${T} NOT NULL,
    currency ${T} NOT NULL, amount INTEGER NOT NULL CHECK (amount >= 0), description ${T} NOT NULL,
    lines JSON NOT NULL, state ${T} NOT NULL, auto_capture BOOLEAN NOT NULL,
    captured_amount INTEGER NOT NULL DEFAULT 0, refunded_amount INTEGER NOT NULL DEFAULT 0,
    current_attempt_id ${T} NOT NULL, attempt_count INTEGER NOT NULL, failure_reason ${T},
    idempotency_key ${T} CONSTRAINT sales_idempotency_key_key UNIQUE, request_hash ${T},
    active_terminal_id ${T} CONSTRAINT sales_active_terminal_id_key UNIQUE,
    created_at ${T} NOT NULL, updated_at ${T} NOT NULL, ended_at ${T},
    CHECK (refunded_amount <= captured_amount AND captured_amount <= amount)
  )`,
      "CREATE INDEX sales_by_time ON sales (created_at DESC, id DESC)",
      "CREATE INDEX sales_by_terminal ON sales (terminal_id, created_at DESC)",
      `CREATE TABLE attempts (
    id ${T} PRIMARY KEY, sale_id ${T} NOT NULL REFERENCES sales(id), reference ${T} NOT NULL UNIQUE,
    state ${T} NOT NULL, qr_url ${T}, created_at ${T} NOT NULL, expires_at ${T} NOT NULL,
    next_poll_at ${T} NOT NULL, poll_count INTEGER NOT NULL DEFAULT 0, last_polled_at ${T}, cancel_reason ${T}
  )`,
      "CREATE INDEX attempts_by_sale ON attempts (sale_id)",
      `CREATE TABLE sale_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sale_id ${T} NOT NULL REFERENCES sales(id), attempt_id ${T},
    type ${T} NOT NULL, source ${T} NOT NULL, from_state ${T}, to_state ${T}, detail JSON, at ${T} NOT NULL
  )`,
      "CREATE INDEX sale_events_by_sale ON sale_events (sale_id, id)",
      `CREATE TABLE refunds (
    id ${T} PRIMARY KEY, sale_id ${T} NOT NULL REFERENCES sales(id), amount INTEGER NOT NULL CHECK (amount > 0),
    state ${T} NOT NULL, created_at ${T} NOT NULL
  )`,
      `CREATE TABLE processed_webhooks (id ${T} PRIMARY KEY, received_at ${T} NOT NULL)`,
      `CREATE TABLE display_devices (
    id ${T} PRIMARY KEY, terminal_id ${T} NOT NULL REFERENCES terminals(id), token_hash ${T} NOT NULL UNIQUE,
    label ${T} NOT NULL, created_at ${T} NOT NULL, revoked_at ${T}
  )`,
      `CREATE TABLE display_pairings (
    id ${T} PRIMARY KEY, code ${T} NOT NULL, expires_at ${T} NOT NULL, terminal_id ${T},
    device_token ${T}, claimed_at ${T}
  )`,
      "CREATE INDEX display_pairings_by_code ON display_pairings (code)",
    ],
  },
  {
    version: 2,
    sqlite: [
      "CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at_ms INTEGER NOT NULL)",
      "CREATE INDEX sales_by_terminal_id ON sales (terminal_id)",
    ],
    postgresql: [
      `CREATE TABLE leases (name ${T} PRIMARY KEY, holder ${T} NOT NULL, expires_at_ms BIGINT NOT NULL)`,
      "CREATE INDEX sales_by_terminal_id ON sales (terminal_id)",
    ],
  },
  {
    version: 3,
    sqlite: [
      "CREATE TABLE rate_limit_hits (bucket TEXT NOT NULL, key TEXT NOT NULL, at_ms INTEGER NOT NULL)",
      "CREATE INDEX rate_limit_hits_by_key ON rate_limit_hits (bucket, key, at_ms)",
    ],
    postgresql: [
      `CREATE TABLE rate_limit_hits (bucket ${T} NOT NULL, key ${T} NOT NULL, at_ms BIGINT NOT NULL)`,
      "CREATE INDEX rate_limit_hits_by_key ON rate_limit_hits (bucket, key, at_ms)",
    ],
  },
  {
    // Which customer displays are connected (display health), and what each till is ringing up
    // before it charges (the live cart), both shared by every instance.
    version: 4,
    sqlite: [
      "CREATE TABLE display_presence (display_id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, kind TEXT NOT NULL, user_agent TEXT NOT NULL, screen TEXT NOT NULL, connected_at TEXT NOT NULL, last_seen_at_ms INTEGER NOT NULL, disconnected_at_ms INTEGER)",
      "CREATE INDEX display_presence_by_terminal ON display_presence (terminal_id)",
      "CREATE TABLE terminal_carts (terminal_id TEXT PRIMARY KEY, cart TEXT NOT NULL, updated_at TEXT NOT NULL)",
    ],
    postgresql: [
      `CREATE TABLE display_presence (display_id ${T} PRIMARY KEY, terminal_id ${T} NOT NULL, kind ${T} NOT NULL, user_agent ${T} NOT NULL, screen ${T} NOT NULL, connected_at ${T} NOT NULL, last_seen_at_ms BIGINT NOT NULL, disconnected_at_ms BIGINT)`,
      "CREATE INDEX display_presence_by_terminal ON display_presence (terminal_id)",
      `CREATE TABLE terminal_carts (terminal_id ${T} PRIMARY KEY, cart ${T} NOT NULL, updated_at ${T} NOT NULL)`,
    ],
  },
  {
    // Go-live evidence: the newest outgoing Vipps requests per operation (the store keeps a few
    // of each), with the Vipps-System-* headers they carried; never a secret, a token or a body.
    version: 5,
    sqlite: [
      `CREATE TABLE vipps_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT, operation TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
    reference TEXT, attempt INTEGER NOT NULL, system_headers TEXT NOT NULL, summary TEXT NOT NULL, at TEXT NOT NULL
  )`,
      "CREATE INDEX vipps_requests_by_operation ON vipps_requests (operation, id)",
    ],
    postgresql: [
      `CREATE TABLE vipps_requests (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, operation ${T} NOT NULL, method ${T} NOT NULL, path ${T} NOT NULL,
    reference ${T}, attempt INTEGER NOT NULL, system_headers ${T} NOT NULL, summary ${T} NOT NULL, at ${T} NOT NULL
  )`,
      "CREATE INDEX vipps_requests_by_operation ON vipps_requests (operation, id)",
    ],
  },
  {
    // Per terminal: whether its customer display plays the short chime when a payment is through.
    version: 6,
    sqlite: ["ALTER TABLE terminals ADD COLUMN chime INTEGER NOT NULL DEFAULT 1"],
    postgresql: ["ALTER TABLE terminals ADD COLUMN chime BOOLEAN NOT NULL DEFAULT TRUE"],
  },
  {
    // A sale sent to the customer's phone (push) instead of shown as a QR: the number it went to.
    version: 7,
    sqlite: ["ALTER TABLE sales ADD COLUMN customer_phone TEXT"],
    postgresql: [`ALTER TABLE sales ADD COLUMN customer_phone ${T}`],
  },
  {
    // KASSA_QR_SOURCE=vipps: Vipps' own QR image, fetched once when the payment is created and
    // served from our origin while it lives (Vipps' image address stops answering at expiry).
    version: 8,
    sqlite: [
      "CREATE TABLE qr_images (attempt_id TEXT PRIMARY KEY, content_type TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL)",
    ],
    postgresql: [
      `CREATE TABLE qr_images (attempt_id ${T} PRIMARY KEY, content_type ${T} NOT NULL, body ${T} NOT NULL, created_at ${T} NOT NULL)`,
    ],
  },
  {
    // The reconciler lists the open attempts about once a second. Without these it read every
    // attempt ever made to find them (6.5 ms at 20,000 sales, growing): attempts whose create is
    // unsettled, and sales with more than one attempt (where an approved one may be superseded),
    // are few at any time. Active sales are found by their unique active_terminal_id.
    version: 9,
    sqlite: [
      "CREATE INDEX attempts_unsettled ON attempts (state) WHERE state IN ('CREATING', 'CREATE_FAILED')",
      "CREATE INDEX sales_retried ON sales (id) WHERE attempt_count > 1",
    ],
    postgresql: [
      "CREATE INDEX attempts_unsettled ON attempts (state) WHERE state IN ('CREATING', 'CREATE_FAILED')",
      "CREATE INDEX sales_retried ON sales (id) WHERE attempt_count > 1",
    ],
  },
  {
    // An attempt whose sale's amounts may lag behind Vipps (a refund whose outcome is not yet
    // recorded, a REFUNDED webhook whose GET failed) stays open to the reconciler until a GET lands.
    version: 10,
    sqlite: [
      "ALTER TABLE attempts ADD COLUMN recheck_since TEXT",
      "CREATE INDEX attempts_recheck ON attempts (id) WHERE recheck_since IS NOT NULL",
    ],
    postgresql: [
      `ALTER TABLE attempts ADD COLUMN recheck_since ${T}`,
      "CREATE INDEX attempts_recheck ON attempts (id) WHERE recheck_since IS NOT NULL",
    ],
  },
  {
    // The POS's events (webhooks and the event feed): an outbox written in the same transaction as
    // the change each reports, numbered in commit order (seq); the POS's webhook endpoints, each with
    // how far through the outbox its deliveries have been made (fanned_out_seq); one delivery per
    // endpoint and event, with its tries.
    version: 11,
    sqlite: [
      `CREATE TABLE pos_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, subject TEXT NOT NULL,
    created_at TEXT NOT NULL, sale_row TEXT, refund_amount INTEGER, data TEXT
  )`,
      "CREATE INDEX pos_events_unsnapshotted ON pos_events (subject, seq) WHERE data IS NULL",
      `CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY, url TEXT NOT NULL, events TEXT NOT NULL, description TEXT NOT NULL, secret TEXT NOT NULL,
    created_at TEXT NOT NULL, fanned_out_seq INTEGER NOT NULL
  )`,
      `CREATE TABLE webhook_deliveries (
    endpoint_id TEXT NOT NULL, event_seq INTEGER NOT NULL, subject TEXT NOT NULL, state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, first_attempt_at TEXT, last_attempt_at TEXT,
    next_attempt_at_ms INTEGER, last_status INTEGER, last_error TEXT, last_response TEXT, delivered_at TEXT,
    PRIMARY KEY (endpoint_id, event_seq)
  )`,
      "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at_ms) WHERE state = 'pending'",
      "CREATE INDEX webhook_deliveries_in_order ON webhook_deliveries (endpoint_id, subject, event_seq) WHERE state = 'pending'",
      "CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (event_seq)",
    ],
    postgresql: [
      `CREATE TABLE pos_events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id ${T} NOT NULL UNIQUE, type ${T} NOT NULL,
    subject ${T} NOT NULL, created_at ${T} NOT NULL, sale_row JSON, refund_amount INTEGER, data ${T}
  )`,
      "CREATE INDEX pos_events_unsnapshotted ON pos_events (subject, seq) WHERE data IS NULL",
      `CREATE TABLE webhook_endpoints (
    id ${T} PRIMARY KEY, url ${T} NOT NULL, events ${T} NOT NULL, description ${T} NOT NULL, secret ${T} NOT NULL,
    created_at ${T} NOT NULL, fanned_out_seq BIGINT NOT NULL
  )`,
      `CREATE TABLE webhook_deliveries (
    endpoint_id ${T} NOT NULL, event_seq BIGINT NOT NULL, subject ${T} NOT NULL, state ${T} NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, created_at ${T} NOT NULL, first_attempt_at ${T}, last_attempt_at ${T},
    next_attempt_at_ms BIGINT, last_status INTEGER, last_error ${T}, last_response ${T}, delivered_at ${T},
    PRIMARY KEY (endpoint_id, event_seq)
  )`,
      "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at_ms) WHERE state = 'pending'",
      "CREATE INDEX webhook_deliveries_in_order ON webhook_deliveries (endpoint_id, subject, event_seq) WHERE state = 'pending'",
      "CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (event_seq)",
    ],
  },
  {
    // The POS's own reference for a sale, and the unguessable id of its receipt page (/r/{id}):
    // sales from before get one now, so every paid sale has a receipt. Each terminal's day
    // closes, and which events of the log each close took: an event is in one close at most.
    version: 12,
    sqlite: [
      "ALTER TABLE sales ADD COLUMN pos_reference TEXT",
      "ALTER TABLE sales ADD COLUMN receipt_id TEXT",
      "UPDATE sales SET receipt_id = lower(hex(randomblob(18))) WHERE receipt_id IS NULL",
      "CREATE UNIQUE INDEX sales_by_receipt_id ON sales (receipt_id)",
      `CREATE TABLE terminal_closes (
    id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL REFERENCES terminals(id), number INTEGER NOT NULL,
    opened_at TEXT NOT NULL, closed_at TEXT NOT NULL, report TEXT NOT NULL,
    CONSTRAINT terminal_closes_number_key UNIQUE (terminal_id, number)
  )`,
      `CREATE TABLE close_events (
    event_id INTEGER PRIMARY KEY REFERENCES sale_events(id), close_id TEXT NOT NULL REFERENCES terminal_closes(id)
  )`,
      "CREATE INDEX close_events_by_close ON close_events (close_id)",
    ],
    postgresql: [
      `ALTER TABLE sales ADD COLUMN pos_reference ${T}`,
      `ALTER TABLE sales ADD COLUMN receipt_id ${T}`,
      // gen_random_uuid() is PostgreSQL's strong randomness: two of them, 244 random bits.
      "UPDATE sales SET receipt_id = replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '') WHERE receipt_id IS NULL",
      "CREATE UNIQUE INDEX sales_by_receipt_id ON sales (receipt_id)",
      `CREATE TABLE terminal_closes (
    id ${T} PRIMARY KEY, terminal_id ${T} NOT NULL REFERENCES terminals(id), number INTEGER NOT NULL,
    opened_at ${T} NOT NULL, closed_at ${T} NOT NULL, report ${T} NOT NULL,
    CONSTRAINT terminal_closes_number_key UNIQUE (terminal_id, number)
  )`,
      `CREATE TABLE close_events (
    event_id BIGINT PRIMARY KEY REFERENCES sale_events(id), close_id ${T} NOT NULL REFERENCES terminal_closes(id)
  )`,
      "CREATE INDEX close_events_by_close ON close_events (close_id)",
    ],
  },
  MIGRATION_13_STORES,
  MIGRATION_14_STAFF,
  MIGRATION_15_SETTLEMENTS,
  MIGRATION_16_PUSH_CUSTOMER,
  MIGRATION_17_AUDIT_STORE,
  MIGRATION_19_DROP_UNSNAPSHOTTED_INDEX,
];

/** Any constant will do; it only has to be the same in every instance of this app. */
const PG_MIGRATION_LOCK = 7_310_442_613;

/**
 * Runs the migrations that have not run yet, all in one transaction, and returns their versions.
 * Two instances starting at once must not both run them, so the transaction first takes a lock
 * that the other waits on: on PostgreSQL an advisory lock held until commit (the instance that
 * waited then sees the committed versions, since READ COMMITTED reads afresh per statement); on
 * SQLite the transaction itself is the lock, because the store's transactions are BEGIN IMMEDIATE.
 */
export async function migrate(connection: StoreConnection): Promise<number[]> {
  const { db, dialect } = connection;
  return db.transaction().execute(async (trx) => {
    await takeMigrationLock(trx, dialect);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`.execute(
      trx,
    );
    const applied = new Set(
      (await trx.selectFrom("schema_migrations").select("version").execute()).map((row) => Number(row.version)),
    );
    const ran: number[] = [];
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration[dialect]) await sql.raw(statement).execute(trx);
      await trx
        .insertInto("schema_migrations")
        .values({ version: migration.version, applied_at: new Date().toISOString() })
        .execute();
      ran.push(migration.version);
    }
    return ran;
  });
}

async function takeMigrationLock(trx: Kysely<Database>, dialect: StoreDialect): Promise<void> {
  if (dialect === "postgresql") await sql`SELECT pg_advisory_xact_lock(${sql.lit(PG_MIGRATION_LOCK)})`.execute(trx);
  // SQLite: BEGIN IMMEDIATE already holds the database's write lock (see connect.ts).
}
