import "server-only";
import type { ColumnType, Generated } from "kysely";
import type { Currency } from "@/lib/entities/money";
import type { AttemptState, EventSource, PaymentAttempt, Refund, SaleLine, SaleState } from "@/lib/entities/sale";
import type { Language } from "@/lib/entities/terminal";
import type {
  SettlementEntriesTable,
  SettlementFeedsTable,
  StoresTable,
  StaffTable,
  StaffSessionsTable,
  TillDevicesTable,
  ApiKeysTable,
  AuditLogTable,
} from "./schema-back-office";

/**
 * The tables as Kysely sees them, one interface per table, columns as the database names them.
 * Where SQLite and PostgreSQL hand back different JavaScript values for the same column, the
 * select type says both and the repositories' small converters (dialect.ts, sale-rows.ts) make one of them.
 */
export interface Database {
  schema_migrations: SchemaMigrationsTable;
  settings: SettingsTable;
  terminals: TerminalsTable;
  products: ProductsTable;
  sales: SalesTable;
  attempts: AttemptsTable;
  sale_events: SaleEventsTable;
  refunds: RefundsTable;
  processed_webhooks: ProcessedWebhooksTable;
  display_devices: DisplayDevicesTable;
  display_pairings: DisplayPairingsTable;
  leases: LeasesTable;
  rate_limit_hits: RateLimitHitsTable;
  vipps_requests: VippsRequestsTable;
  display_presence: DisplayPresenceTable;
  terminal_carts: TerminalCartsTable;
  qr_images: QrImagesTable;
  pos_events: PosEventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  terminal_closes: TerminalClosesTable;
  close_events: CloseEventsTable;
  settlement_entries: SettlementEntriesTable;
  settlement_feeds: SettlementFeedsTable;
  stores: StoresTable;
  staff: StaffTable;
  staff_sessions: StaffSessionsTable;
  till_devices: TillDevicesTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
}

/** SQLite stores JSON as TEXT and returns the string; PostgreSQL's json column comes back parsed. */
type JsonColumn<T> = ColumnType<string | T, string, string>;
/** SQLite has no boolean type (0/1); PostgreSQL's boolean comes back as true/false. */
type BooleanColumn = ColumnType<number | boolean, number | boolean, number | boolean>;

export interface SchemaMigrationsTable {
  version: number;
  applied_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface TerminalsTable {
  id: string;
  name: string;
  pos_id: string;
  language: Language;
  currency: Currency;
  display_token: string;
  created_at: string;
  /** The store the terminal belongs to; store-1 for terminals made before stores. */
  store_id: ColumnType<string, string | undefined, string>;
  /** 1/true: the display chimes on a captured payment. Defaults to on. */
  chime: ColumnType<number | boolean, number | boolean | undefined, number | boolean>;
}

export interface ProductsTable {
  id: string;
  name: string;
  unit_price: number;
  currency: Currency;
  tax_rate: number;
  created_at: string;
  updated_at: string;
}

export interface SalesTable {
  id: string;
  terminal_id: string;
  receipt_number: string;
  currency: Currency;
  amount: number;
  description: string;
  lines: JsonColumn<SaleLine[]>;
  state: SaleState;
  auto_capture: BooleanColumn;
  captured_amount: Generated<number>;
  refunded_amount: Generated<number>;
  current_attempt_id: string;
  attempt_count: number;
  failure_reason: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  /** The terminal id while the sale is active, else NULL; UNIQUE, so one active sale per terminal. */
  active_terminal_id: string | null;
  created_at: string;
  updated_at: string;
  ended_at: string | null;
  /** MSISDN the payment request was pushed to; NULL for a QR sale. */
  customer_phone: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON `{customerToken}` or `{personalQr}`: a push sale sent without a number (migration 16). */
  push_customer: ColumnType<string | null, string | null | undefined, string | null>;
  /** The POS's own reference (its receipt number), when it sent one. */
  pos_reference: ColumnType<string | null, string | null | undefined, string | null>;
  /** The receipt page's unguessable id (/r/{id}); UNIQUE. */
  receipt_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The store whose terminal made the sale. */
  store_id: ColumnType<string, string | undefined, string>;
  /** The sales unit that took the payment; NULL on sales made before stores until start-up stamps them. */
  msn: ColumnType<string | null, string | null | undefined, string | null>;
  /** Who created the sale: a staff member's username or an API key's name; NULL before version 14. */
  operator: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AttemptsTable {
  id: string;
  sale_id: string;
  reference: string;
  state: AttemptState;
  qr_url: string | null;
  created_at: string;
  expires_at: string;
  next_poll_at: string;
  poll_count: Generated<number>;
  last_polled_at: string | null;
  cancel_reason: NonNullable<PaymentAttempt["cancelReason"]> | null;
  recheck_since: string | null;
}

export interface SaleEventsTable {
  /** AUTOINCREMENT on SQLite, an identity column on PostgreSQL: the order of the event log. */
  id: Generated<number>;
  sale_id: string;
  attempt_id: string | null;
  type: string;
  source: EventSource;
  from_state: SaleState | null;
  to_state: SaleState | null;
  detail: ColumnType<string | Record<string, unknown> | null, string | null, string | null>;
  at: string;
}

export interface RefundsTable {
  id: string;
  sale_id: string;
  amount: number;
  state: Refund["state"];
  created_at: string;
}

export interface ProcessedWebhooksTable {
  id: string;
  received_at: string;
}

export interface DisplayDevicesTable {
  id: string;
  terminal_id: string;
  token_hash: string;
  label: string;
  created_at: string;
  revoked_at: string | null;
}

export interface DisplayPairingsTable {
  id: string;
  code: string;
  expires_at: string;
  terminal_id: string | null;
  device_token: string | null;
  claimed_at: string | null;
}

export interface LeasesTable {
  name: string;
  holder: string;
  /** Epoch milliseconds: BIGINT on PostgreSQL, read back as a number (see connect.ts). */
  expires_at_ms: number;
}

/**
 * PostgreSQL names of the unique constraints the store turns into StoreErrors. The migrations
 * name them explicitly, so a violation is recognised by its constraint name, never by message text.
 */
export const PG_CONSTRAINTS = {
  salesIdempotencyKey: "sales_idempotency_key_key",
  salesActiveTerminal: "sales_active_terminal_id_key",
} as const;

/** One counted attempt (a wrong password, a pairing request) for a rate limit, shared by every instance. */
export interface RateLimitHitsTable {
  bucket: string;
  key: string;
  /** Epoch milliseconds, wall clock. */
  at_ms: number;
}

export interface DisplayPresenceTable {
  display_id: string;
  terminal_id: string;
  kind: string;
  user_agent: string;
  screen: string;
  connected_at: string;
  /** Epoch milliseconds, wall clock. */
  last_seen_at_ms: ColumnType<number | string, number, number>;
  disconnected_at_ms: ColumnType<number | string | null, number | null, number | null>;
}

export interface TerminalCartsTable {
  terminal_id: string;
  /** The cart as JSON text. */
  cart: string;
  updated_at: string;
}

/** The newest outgoing Vipps requests per operation, for the go-live evidence (no secrets, no bodies). */
export interface VippsRequestsTable {
  /** AUTOINCREMENT on SQLite, an identity column on PostgreSQL. */
  id: Generated<number>;
  operation: string;
  method: string;
  path: string;
  reference: string | null;
  attempt: number;
  /** JSON text on both databases: an object of the Vipps-System-* headers sent. */
  system_headers: string;
  /** JSON text on both databases: what the request said that a reviewer asks about. */
  summary: string;
  at: string;
}

export interface QrImagesTable {
  attempt_id: string;
  content_type: string;
  /** The image as text (SVG). */
  body: string;
  created_at: string;
}

/** The POS's events in commit order (the outbox); see lib/store/pos-event-statements.ts. */
export interface PosEventsTable {
  /** AUTOINCREMENT on SQLite, an identity column on PostgreSQL, given out in commit order. */
  seq: Generated<number>;
  id: string;
  type: string;
  subject: string;
  created_at: string;
  /** The sale's row as the change left it: TEXT on SQLite, json on PostgreSQL. */
  sale_row: ColumnType<string | Record<string, unknown> | null, string | null | undefined, string | null>;
  refund_amount: ColumnType<number | null, number | null | undefined, number | null>;
  /** The JSON text the POS receives as `data`, NULL until the snapshot is taken. */
  data: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface WebhookEndpointsTable {
  id: string;
  url: string;
  /** JSON text: the event types the endpoint takes. */
  events: string;
  description: string;
  secret: string;
  created_at: string;
  /** The outbox's seq up to which this endpoint's deliveries have been made. */
  fanned_out_seq: number;
}

export interface WebhookDeliveriesTable {
  endpoint_id: string;
  event_seq: number;
  subject: string;
  state: string;
  attempts: Generated<number>;
  created_at: string;
  first_attempt_at: string | null;
  last_attempt_at: string | null;
  next_attempt_at_ms: number | null;
  last_status: number | null;
  last_error: string | null;
  last_response: string | null;
  delivered_at: string | null;
}

/** A terminal's day close: written once, never changed. */
export interface TerminalClosesTable {
  id: string;
  terminal_id: string;
  number: number;
  opened_at: string;
  closed_at: string;
  /** The close's figures as JSON text (lib/entities/close.ts TerminalClose). */
  report: string;
}

/** Which close took which event of the sale event log: one close per event at most (the primary key). */
export interface CloseEventsTable {
  event_id: number;
  close_id: string;
}

export type {
  SettlementEntriesTable,
  SettlementFeedsTable,
  StoresTable,
  StaffTable,
  StaffSessionsTable,
  TillDevicesTable,
  ApiKeysTable,
  AuditLogTable,
};
