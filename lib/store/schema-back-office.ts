import "server-only";
import type { Generated } from "kysely";
import type { Currency } from "@/lib/entities/money";
import type { Language } from "@/lib/entities/terminal";

/** The tables of settlement, stores and staff (migrations 13 to 15), apart from schema.ts to keep each file short. */

export interface SettlementEntriesTable {
  id: string;
  msn: string;
  ledger_id: string;
  topic: string;
  entry_type: string;
  kind: string;
  psp_reference: string;
  reference: string | null;
  currency: string;
  /** BIGINT on PostgreSQL, read back as a number (see connect.ts). */
  amount: number;
  balance_after: number;
  time: string;
  ledger_date: string;
  sale_id: string | null;
  imported_at: string;
}

export interface SettlementFeedsTable {
  ledger_id: string;
  topic: string;
  msn: string;
  currency: string;
  cursor: string | null;
  last_import_at: string | null;
  caught_up_at: string | null;
  last_error: string | null;
  error_since: string | null;
}

/** The chain's stores: one Vipps sales unit each (lib/entities/retail-store.ts). */
export interface StoresTable {
  id: string;
  name: string;
  msn: string;
  currency: Currency;
  time_zone: string;
  language: Language;
  address: string | null;
  organisation_number: string | null;
  vipps_client_id: string | null;
  /** The store's client secret and subscription key, sealed with the deployment's secrets key. */
  vipps_secrets: string | null;
  created_at: string;
  updated_at: string;
}
/** Staff members; store_ids is a JSON text array. */
export interface StaffTable {
  id: string;
  username: string;
  name: string;
  role: string;
  store_ids: string;
  password_hash: string | null;
  pin_hash: string | null;
  pin_failures: Generated<number>;
  pin_locked_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface StaffSessionsTable {
  id: string;
  token_hash: string;
  staff_id: string;
  device: string;
  address: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ended_at: string | null;
}

export interface TillDevicesTable {
  id: string;
  label: string;
  enrolled_by: string;
  created_at: string;
  revoked_at: string | null;
}

/** scopes is a JSON text array; store_ids one too, or NULL for every store. */
export interface ApiKeysTable {
  id: string;
  name: string;
  key_hash: string;
  scopes: string;
  store_ids: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface AuditLogTable {
  /** AUTOINCREMENT on SQLite, an identity column on PostgreSQL. */
  id: Generated<number>;
  at: string;
  action: string;
  actor_type: string;
  actor_id: string;
  actor_name: string;
  target: string;
  sale_id: string | null;
  device: string | null;
  address: string;
  /** JSON text. */
  detail: string | null;
  /** The store the entry is about; NULL: deployment-wide. */
  store_id: string | null;
}
