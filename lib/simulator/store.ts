/**
 * SQLite persistence of the simulator (better-sqlite3, WAL). Everything the simulated Vipps side
 * knows lives here, so a restarted simulator on the same file continues where it stopped: payments,
 * event logs, idempotency records, webhook registrations, the delivery outbox, the signing secret and
 * the Report API's ledgers and entries (report-store.ts reads and writes those two tables).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import type { PaymentEventName } from "../vipps/schemas";
import type { Currency } from "./validation-fields";

export type Db = Database.Database;

const SCHEMA_VERSION = "1";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sim_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sim_payments (
  msn TEXT NOT NULL,
  reference TEXT NOT NULL,
  qr_token TEXT NOT NULL UNIQUE,
  psp_reference TEXT NOT NULL,
  state TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount INTEGER NOT NULL,
  authorized_amount INTEGER NOT NULL DEFAULT 0,
  cancelled_amount INTEGER NOT NULL DEFAULT 0,
  captured_amount INTEGER NOT NULL DEFAULT 0,
  refunded_amount INTEGER NOT NULL DEFAULT 0,
  user_flow TEXT NOT NULL,
  payment_method_type TEXT NOT NULL,
  qr_format TEXT,
  qr_size INTEGER,
  redirect_url TEXT,
  profile_sub TEXT,
  request_json TEXT NOT NULL,
  create_idempotency_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (msn, reference)
);
CREATE INDEX IF NOT EXISTS sim_payments_open ON sim_payments (state, expires_at);
CREATE TABLE IF NOT EXISTS sim_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  msn TEXT NOT NULL,
  reference TEXT NOT NULL,
  psp_reference TEXT NOT NULL,
  name TEXT NOT NULL,
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  idempotency_key TEXT,
  success INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sim_events_payment ON sim_events (msn, reference, id);
CREATE TABLE IF NOT EXISTS sim_idempotency (
  msn TEXT NOT NULL,
  operation TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  reference TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  response_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (msn, operation, idempotency_key)
);
CREATE TABLE IF NOT EXISTS sim_webhooks (
  id TEXT PRIMARY KEY,
  msn TEXT NOT NULL,
  url TEXT NOT NULL,
  events_json TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sim_deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  webhook_id TEXT NOT NULL,
  msn TEXT NOT NULL,
  url TEXT NOT NULL,
  event_type TEXT NOT NULL,
  event_name TEXT NOT NULL,
  reference TEXT NOT NULL,
  event_id INTEGER NOT NULL,
  body TEXT NOT NULL,
  headers_json TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_status_code INTEGER,
  last_error TEXT,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX IF NOT EXISTS sim_deliveries_open ON sim_deliveries (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS sim_deliveries_group ON sim_deliveries (webhook_id, msn, reference, id);
CREATE INDEX IF NOT EXISTS sim_deliveries_reference ON sim_deliveries (reference, id);
CREATE TABLE IF NOT EXISTS sim_report_ledgers (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  ledger_id TEXT NOT NULL UNIQUE,
  msn TEXT NOT NULL,
  currency TEXT NOT NULL,
  closed_through TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (msn, currency)
);
CREATE TABLE IF NOT EXISTS sim_report_entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ledger_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  entry_type TEXT NOT NULL,
  psp_reference TEXT NOT NULL,
  reference TEXT,
  recipient_handle TEXT,
  currency TEXT NOT NULL,
  amount INTEGER NOT NULL,
  balance_before INTEGER NOT NULL,
  balance_after INTEGER NOT NULL,
  time INTEGER NOT NULL,
  ledger_date TEXT NOT NULL,
  written_at INTEGER NOT NULL,
  visible_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sim_report_entries_feed ON sim_report_entries (ledger_id, topic, id);
CREATE INDEX IF NOT EXISTS sim_report_entries_date ON sim_report_entries (ledger_id, topic, ledger_date, id);
`;

export function openDatabase(file: string): Db {
  if (file !== ":memory:" && !file.startsWith("file:"))
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  preparedOnce(db);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  db.exec(SCHEMA);
  const version = db.prepare("SELECT value FROM sim_meta WHERE key = 'schema_version'").get() as
    | { value: string }
    | undefined;
  if (!version) db.prepare("INSERT INTO sim_meta (key, value) VALUES ('schema_version', ?)").run(SCHEMA_VERSION);
  return db;
}

/**
 * Every statement prepared once, on first use, and kept by its SQL text. The simulator writes its
 * SQL where it is used, and preparing it anew on every call was the largest single cost in its
 * profile under a burst (docs/perf/burst.md). Its SQL is all fixed text, so the cache stays small;
 * past a bound it starts over rather than grow without one. A cached statement is shared, so no
 * caller may switch its mode (pluck, raw, expand).
 */
const MAX_PREPARED = 500;

function preparedOnce(db: Db): void {
  const prepareAnew = db.prepare.bind(db);
  const prepared = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = prepared.get(sql);
    if (!statement) {
      if (prepared.size >= MAX_PREPARED) prepared.clear();
      statement = prepareAnew(sql);
      prepared.set(sql, statement);
    }
    return statement;
  }) as Db["prepare"];
}

export function getMeta(db: Db, key: string): string | undefined {
  const row = db.prepare("SELECT value FROM sim_meta WHERE key = ?").get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare(
    "INSERT INTO sim_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  ).run(key, value);
}

/** The simulator's own secret: keys the access tokens and the QR tokens. Created once per database. */
export function loadOrCreateSecret(db: Db): Buffer {
  const existing = getMeta(db, "secret");
  if (existing) return Buffer.from(existing, "base64");
  const secret = randomBytes(32);
  db.prepare("INSERT OR IGNORE INTO sim_meta (key, value) VALUES ('secret', ?)").run(secret.toString("base64"));
  // Another process may have won the race; always use what is stored.
  return Buffer.from(getMeta(db, "secret")!, "base64");
}

export type PaymentState = "CREATED" | "AUTHORIZED" | "ABORTED" | "EXPIRED" | "TERMINATED";
export type EventName = PaymentEventName;

export interface PaymentRow {
  msn: string;
  reference: string;
  qr_token: string;
  psp_reference: string;
  state: PaymentState;
  /** One of the currencies a create is checked against. */
  currency: Currency;
  amount: number;
  authorized_amount: number;
  cancelled_amount: number;
  captured_amount: number;
  refunded_amount: number;
  user_flow: string;
  payment_method_type: string;
  qr_format: string | null;
  qr_size: number | null;
  redirect_url: string | null;
  profile_sub: string | null;
  request_json: string;
  create_idempotency_key: string;
  created_at: number;
  expires_at: number;
  updated_at: number;
}

export interface EventRow {
  id: number;
  msn: string;
  reference: string;
  psp_reference: string;
  name: EventName;
  amount: number;
  currency: Currency;
  timestamp: number;
  idempotency_key: string | null;
  success: number;
}

export interface IdempotencyRow {
  msn: string;
  operation: string;
  idempotency_key: string;
  reference: string;
  request_hash: string;
  status: number;
  response_json: string;
  created_at: number;
}

export interface WebhookRow {
  id: string;
  msn: string;
  url: string;
  events_json: string;
  secret: string;
  created_at: number;
}

export type DeliveryStatus = "pending" | "delivered" | "dropped" | "failing";

export interface DeliveryRow {
  id: number;
  webhook_id: string;
  msn: string;
  url: string;
  event_type: string;
  event_name: string;
  reference: string;
  event_id: number;
  body: string;
  headers_json: string;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: number;
  lease_until: number | null;
  created_at: number;
  delivered_at: number | null;
}
