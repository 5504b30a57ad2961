import { type Migration, T } from "./migration-types";

/**
 * Staff with roles, their sessions (kept here so that they can be listed and ended on every
 * instance), enrolled till devices, named API keys with scopes, and the audit of who did what.
 * Store ids are JSON text arrays: the stores themselves are another migration's table. A sale
 * records its operator: who created it, for the per-operator counts of closes and exports.
 */
export const MIGRATION_14_STAFF: Migration = {
  version: 14,
  sqlite: [
    `CREATE TABLE staff (
    id TEXT PRIMARY KEY, username TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, store_ids TEXT NOT NULL,
    password_hash TEXT, pin_hash TEXT, pin_failures INTEGER NOT NULL DEFAULT 0, pin_locked_at TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    CONSTRAINT staff_username_key UNIQUE (username)
  )`,
    `CREATE TABLE staff_sessions (
    id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, staff_id TEXT NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    device TEXT NOT NULL, address TEXT NOT NULL, created_at TEXT NOT NULL, last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL, ended_at TEXT
  )`,
    "CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id, created_at)",
    `CREATE TABLE till_devices (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, enrolled_by TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT
  )`,
    `CREATE TABLE api_keys (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL, store_ids TEXT,
    created_at TEXT NOT NULL, revoked_at TEXT
  )`,
    `CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, action TEXT NOT NULL, actor_type TEXT NOT NULL,
    actor_id TEXT NOT NULL, actor_name TEXT NOT NULL, target TEXT NOT NULL, sale_id TEXT, device TEXT,
    address TEXT NOT NULL, detail TEXT
  )`,
    "CREATE INDEX audit_log_by_time ON audit_log (at, id)",
    "CREATE INDEX audit_log_by_sale ON audit_log (sale_id, id)",
    "ALTER TABLE sales ADD COLUMN operator TEXT",
  ],
  postgresql: [
    `CREATE TABLE staff (
    id ${T} PRIMARY KEY, username ${T} NOT NULL, name ${T} NOT NULL, role ${T} NOT NULL, store_ids ${T} NOT NULL,
    password_hash ${T}, pin_hash ${T}, pin_failures INTEGER NOT NULL DEFAULT 0, pin_locked_at ${T},
    created_at ${T} NOT NULL, updated_at ${T} NOT NULL,
    CONSTRAINT staff_username_key UNIQUE (username)
  )`,
    `CREATE TABLE staff_sessions (
    id ${T} PRIMARY KEY, token_hash ${T} NOT NULL UNIQUE, staff_id ${T} NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    device ${T} NOT NULL, address ${T} NOT NULL, created_at ${T} NOT NULL, last_seen_at ${T} NOT NULL,
    expires_at ${T} NOT NULL, ended_at ${T}
  )`,
    "CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id, created_at)",
    `CREATE TABLE till_devices (
    id ${T} PRIMARY KEY, label ${T} NOT NULL, enrolled_by ${T} NOT NULL, created_at ${T} NOT NULL, revoked_at ${T}
  )`,
    `CREATE TABLE api_keys (
    id ${T} PRIMARY KEY, name ${T} NOT NULL, key_hash ${T} NOT NULL UNIQUE, scopes ${T} NOT NULL, store_ids ${T},
    created_at ${T} NOT NULL, revoked_at ${T}
  )`,
    `CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at ${T} NOT NULL, action ${T} NOT NULL, actor_type ${T} NOT NULL,
    actor_id ${T} NOT NULL, actor_name ${T} NOT NULL, target ${T} NOT NULL, sale_id ${T}, device ${T},
    address ${T} NOT NULL, detail ${T}
  )`,
    "CREATE INDEX audit_log_by_time ON audit_log (at, id)",
    "CREATE INDEX audit_log_by_sale ON audit_log (sale_id, id)",
    `ALTER TABLE sales ADD COLUMN operator ${T}`,
  ],
};
