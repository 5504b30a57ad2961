import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { StoreError } from "@/lib/errors";
import type { PaymentAttempt, Product, Refund, Sale, SaleEvent, Terminal } from "@/lib/sales/types";
import { ACTIVE_SALE_STATES } from "@/lib/sales/types";
import type {
  DisplayDevice,
  DisplayPairing,
  NewSaleEvent,
  SaleFilter,
  SaleSummary,
  Store,
} from "./store";

/**
 * Each entry runs once, in order, inside a transaction. Never edit a shipped entry: add a new one.
 * `active_terminal_id` is the terminal id while a sale is active and NULL otherwise; its UNIQUE
 * constraint is what makes "one active sale per terminal" hold even under concurrent requests.
 */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE terminals (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, pos_id TEXT NOT NULL, language TEXT NOT NULL,
    currency TEXT NOT NULL, display_token TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL
  );
  CREATE TABLE products (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, unit_price INTEGER NOT NULL, currency TEXT NOT NULL,
    tax_rate INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE TABLE sales (
    id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL REFERENCES terminals(id), receipt_number TEXT NOT NULL,
    currency TEXT NOT NULL, amount INTEGER NOT NULL CHECK (amount >= 0), description TEXT NOT NULL,
    lines TEXT NOT NULL, state TEXT NOT NULL, auto_capture INTEGER NOT NULL,
    captured_amount INTEGER NOT NULL DEFAULT 0, refunded_amount INTEGER NOT NULL DEFAULT 0,
    current_attempt_id TEXT NOT NULL, attempt_count INTEGER NOT NULL, failure_reason TEXT,
    idempotency_key TEXT UNIQUE, request_hash TEXT, active_terminal_id TEXT UNIQUE,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, ended_at TEXT,
    CHECK (refunded_amount <= captured_amount AND captured_amount <= amount)
  );
  CREATE INDEX sales_by_time ON sales (created_at DESC, id DESC);
  CREATE INDEX sales_by_terminal ON sales (terminal_id, created_at DESC);
  CREATE TABLE attempts (
    id TEXT PRIMARY KEY, sale_id TEXT NOT NULL REFERENCES sales(id), reference TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL, qr_url TEXT, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
    next_poll_at TEXT NOT NULL, poll_count INTEGER NOT NULL DEFAULT 0, last_polled_at TEXT, cancel_reason TEXT
  );
  CREATE INDEX attempts_by_sale ON attempts (sale_id);
  CREATE TABLE sale_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, sale_id TEXT NOT NULL REFERENCES sales(id), attempt_id TEXT,
    type TEXT NOT NULL, source TEXT NOT NULL, from_state TEXT, to_state TEXT, detail TEXT, at TEXT NOT NULL
  );
  CREATE INDEX sale_events_by_sale ON sale_events (sale_id, id);
  CREATE TABLE refunds (
    id TEXT PRIMARY KEY, sale_id TEXT NOT NULL REFERENCES sales(id), amount INTEGER NOT NULL CHECK (amount > 0),
    state TEXT NOT NULL, created_at TEXT NOT NULL
  );
  CREATE TABLE processed_webhooks (id TEXT PRIMARY KEY, received_at TEXT NOT NULL);
  CREATE TABLE display_devices (
    id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL REFERENCES terminals(id), token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT
  );
  CREATE TABLE display_pairings (
    id TEXT PRIMARY KEY, code TEXT NOT NULL, expires_at TEXT NOT NULL, terminal_id TEXT,
    device_token TEXT, claimed_at TEXT
  );
  CREATE INDEX display_pairings_by_code ON display_pairings (code);
  `,
  `
  CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at_ms INTEGER NOT NULL);
  CREATE INDEX sales_by_terminal_id ON sales (terminal_id);
  `,
];

// biome-ignore lint/suspicious/noExplicitAny: rows come from SQL; the to* mappers below give them their types
type Row = Record<string, any>;

const toTerminal = (r: Row): Terminal => ({
  id: r.id,
  name: r.name,
  posId: r.pos_id,
  language: r.language,
  currency: r.currency,
  displayToken: r.display_token,
  createdAt: r.created_at,
});

const toProduct = (r: Row): Product => ({
  id: r.id,
  name: r.name,
  unitPrice: r.unit_price,
  currency: r.currency,
  taxRate: r.tax_rate,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toSale = (r: Row): Sale => ({
  id: r.id,
  terminalId: r.terminal_id,
  receiptNumber: r.receipt_number,
  currency: r.currency,
  amount: r.amount,
  description: r.description,
  lines: JSON.parse(r.lines),
  state: r.state,
  autoCapture: r.auto_capture === 1,
  capturedAmount: r.captured_amount,
  refundedAmount: r.refunded_amount,
  currentAttemptId: r.current_attempt_id,
  attemptCount: r.attempt_count,
  failureReason: r.failure_reason ?? undefined,
  idempotencyKey: r.idempotency_key ?? undefined,
  requestHash: r.request_hash ?? undefined,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  endedAt: r.ended_at ?? undefined,
});

const toAttempt = (r: Row): PaymentAttempt => ({
  id: r.id,
  saleId: r.sale_id,
  reference: r.reference,
  state: r.state,
  qrUrl: r.qr_url ?? undefined,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  nextPollAt: r.next_poll_at,
  pollCount: r.poll_count,
  lastPolledAt: r.last_polled_at ?? undefined,
  cancelReason: r.cancel_reason ?? undefined,
});

const toDevice = (r: Row): DisplayDevice => ({
  id: r.id,
  terminalId: r.terminal_id,
  tokenHash: r.token_hash,
  label: r.label,
  createdAt: r.created_at,
  revokedAt: r.revoked_at ?? undefined,
});

const toEvent = (r: Row): SaleEvent => ({
  id: r.id,
  saleId: r.sale_id,
  attemptId: r.attempt_id ?? undefined,
  type: r.type,
  source: r.source,
  fromState: r.from_state ?? undefined,
  toState: r.to_state ?? undefined,
  detail: r.detail ? JSON.parse(r.detail) : undefined,
  at: r.at,
});

const SALE_COLUMNS: Record<keyof Omit<Sale, "id">, string> = {
  terminalId: "terminal_id",
  receiptNumber: "receipt_number",
  currency: "currency",
  amount: "amount",
  description: "description",
  lines: "lines",
  state: "state",
  autoCapture: "auto_capture",
  capturedAmount: "captured_amount",
  refundedAmount: "refunded_amount",
  currentAttemptId: "current_attempt_id",
  attemptCount: "attempt_count",
  failureReason: "failure_reason",
  idempotencyKey: "idempotency_key",
  requestHash: "request_hash",
  createdAt: "created_at",
  updatedAt: "updated_at",
  endedAt: "ended_at",
};

const ATTEMPT_COLUMNS: Record<string, string> = {
  state: "state",
  qrUrl: "qr_url",
  createdAt: "created_at",
  expiresAt: "expires_at",
  nextPollAt: "next_poll_at",
  pollCount: "poll_count",
  lastPolledAt: "last_polled_at",
  cancelReason: "cancel_reason",
};

function columnValue(key: string, value: unknown): unknown {
  if (value === undefined) return null;
  if (key === "lines") return JSON.stringify(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

const isActive = (state: string) => (ACTIVE_SALE_STATES as readonly string[]).includes(state);

function encodeCursor(sale: Sale): string {
  return Buffer.from(`${sale.createdAt}|${sale.id}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: string; id: string } | undefined {
  const [createdAt, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  return createdAt && id ? { createdAt, id } : undefined;
}

const activeSaleConflict = (terminalId: string, activeSaleId: string) =>
  new StoreError("activeSaleConflict", `Terminal ${terminalId} already has an active sale (${activeSaleId})`, { terminalId, activeSaleId });
const saleNotFound = (saleId: string) => new StoreError("notFound", `Sale ${saleId} not found`, { saleId });

/** better-sqlite3 names the violated unique index in the message; the code says it is one. */
function violatedUnique(error: unknown, column: string): boolean {
  const failure = error as { code?: unknown; message?: unknown };
  return failure?.code === "SQLITE_CONSTRAINT_UNIQUE" && String(failure.message).endsWith(column);
}

export class SqliteStore implements Store {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    this.migrate();
  }

  private migrate(): void {
    this.db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    const applied = new Set(
      this.db.prepare("SELECT version FROM schema_migrations").all().map((r) => (r as Row).version as number),
    );
    MIGRATIONS.forEach((sql, index) => {
      const version = index + 1;
      if (applied.has(version)) return;
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(version, new Date().toISOString());
      })();
    });
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async getSetting(key: string) {
    const row = this.db.prepare("SELECT value FROM settings WHERE key = ?").get(key) as Row | undefined;
    return row?.value as string | undefined;
  }

  async nextSequence(name: string) {
    const row = this.db
      .prepare(
        `INSERT INTO settings (key, value) VALUES (?, '1')
         ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value`,
      )
      .get(`sequence.${name}`) as Row;
    return Number(row.value);
  }

  async setSetting(key: string, value: string) {
    this.db.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  async listTerminals() {
    return this.db.prepare("SELECT * FROM terminals ORDER BY created_at, id").all().map((r) => toTerminal(r as Row));
  }

  async getTerminal(id: string) {
    const row = this.db.prepare("SELECT * FROM terminals WHERE id = ?").get(id) as Row | undefined;
    return row ? toTerminal(row) : undefined;
  }

  async getTerminalByDisplayToken(token: string) {
    const row = this.db.prepare("SELECT * FROM terminals WHERE display_token = ?").get(token) as Row | undefined;
    return row ? toTerminal(row) : undefined;
  }

  async insertTerminal(t: Terminal) {
    const result = this.db
      .prepare(
        `INSERT INTO terminals (id, name, pos_id, language, currency, display_token, created_at)
         VALUES (@id, @name, @posId, @language, @currency, @displayToken, @createdAt)
         ON CONFLICT (id) DO NOTHING`,
      )
      .run(t);
    return result.changes > 0;
  }

  async saveTerminal(t: Terminal) {
    this.db
      .prepare(
        `INSERT INTO terminals (id, name, pos_id, language, currency, display_token, created_at)
         VALUES (@id, @name, @posId, @language, @currency, @displayToken, @createdAt)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, pos_id = excluded.pos_id, language = excluded.language,
           currency = excluded.currency`,
      )
      .run(t);
  }

  async setDisplayToken(id: string, token: string) {
    return this.db.prepare("UPDATE terminals SET display_token = ? WHERE id = ?").run(token, id).changes > 0;
  }

  async listProducts() {
    return this.db.prepare("SELECT * FROM products ORDER BY name COLLATE NOCASE, id").all().map((r) => toProduct(r as Row));
  }

  async getProduct(id: string) {
    const row = this.db.prepare("SELECT * FROM products WHERE id = ?").get(id) as Row | undefined;
    return row ? toProduct(row) : undefined;
  }

  async saveProduct(p: Product) {
    this.db
      .prepare(
        `INSERT INTO products (id, name, unit_price, currency, tax_rate, created_at, updated_at)
         VALUES (@id, @name, @unitPrice, @currency, @taxRate, @createdAt, @updatedAt)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, unit_price = excluded.unit_price,
           currency = excluded.currency, tax_rate = excluded.tax_rate, updated_at = excluded.updated_at`,
      )
      .run(p);
  }

  async deleteProduct(id: string) {
    return this.db.prepare("DELETE FROM products WHERE id = ?").run(id).changes > 0;
  }

  private insertEventSync(saleId: string, event: NewSaleEvent): void {
    this.db
      .prepare(
        `INSERT INTO sale_events (sale_id, attempt_id, type, source, from_state, to_state, detail, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        saleId,
        event.attemptId ?? null,
        event.type,
        event.source,
        event.fromState ?? null,
        event.toState ?? null,
        event.detail ? JSON.stringify(event.detail) : null,
        event.at ?? new Date().toISOString(),
      );
  }

  private insertAttemptSync(a: PaymentAttempt): void {
    this.db
      .prepare(
        `INSERT INTO attempts (id, sale_id, reference, state, qr_url, created_at, expires_at, next_poll_at, poll_count, last_polled_at, cancel_reason)
         VALUES (@id, @saleId, @reference, @state, @qrUrl, @createdAt, @expiresAt, @nextPollAt, @pollCount, @lastPolledAt, @cancelReason)`,
      )
      .run({ ...a, qrUrl: a.qrUrl ?? null, lastPolledAt: a.lastPolledAt ?? null, cancelReason: a.cancelReason ?? null });
  }

  private activeSaleSync(terminalId: string): Sale | undefined {
    const row = this.db.prepare("SELECT * FROM sales WHERE active_terminal_id = ?").get(terminalId) as Row | undefined;
    return row ? toSale(row) : undefined;
  }

  async insertSale(sale: Sale, attempt: PaymentAttempt, event: NewSaleEvent) {
    try {
      this.insertSaleSync(sale, attempt, event);
    } catch (error) {
      if (violatedUnique(error, "sales.idempotency_key")) throw new StoreError("duplicateKey", "The idempotency key is taken", { key: "idempotencyKey" });
      if (violatedUnique(error, "sales.active_terminal_id")) throw activeSaleConflict(sale.terminalId, this.activeSaleSync(sale.terminalId)?.id ?? "unknown");
      throw error;
    }
  }

  private insertSaleSync(sale: Sale, attempt: PaymentAttempt, event: NewSaleEvent): void {
    this.db.transaction(() => {
      const active = this.activeSaleSync(sale.terminalId);
      if (active) throw activeSaleConflict(sale.terminalId, active.id);
      const columns = Object.entries(SALE_COLUMNS);
      this.db
        .prepare(
          `INSERT INTO sales (id, ${columns.map(([, c]) => c).join(", ")}, active_terminal_id)
           VALUES (?, ${columns.map(() => "?").join(", ")}, ?)`,
        )
        .run(
          sale.id,
          ...columns.map(([key]) => columnValue(key, sale[key as keyof Sale])),
          isActive(sale.state) ? sale.terminalId : null,
        );
      this.insertAttemptSync(attempt);
      this.insertEventSync(sale.id, { ...event, attemptId: event.attemptId ?? attempt.id });
    })();
  }

  async getSale(id: string) {
    const row = this.db.prepare("SELECT * FROM sales WHERE id = ?").get(id) as Row | undefined;
    return row ? toSale(row) : undefined;
  }

  async getSaleByIdempotencyKey(key: string) {
    const row = this.db.prepare("SELECT * FROM sales WHERE idempotency_key = ?").get(key) as Row | undefined;
    return row ? toSale(row) : undefined;
  }

  async getActiveSale(terminalId: string) {
    return this.activeSaleSync(terminalId);
  }

  async getLatestSale(terminalId: string) {
    const row = this.db
      .prepare("SELECT * FROM sales WHERE terminal_id = ? ORDER BY created_at DESC, id DESC LIMIT 1")
      .get(terminalId) as Row | undefined;
    return row ? toSale(row) : undefined;
  }

  private whereClause(filter: Omit<SaleFilter, "cursor" | "limit">): { sql: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (filter.terminalId) {
      clauses.push("terminal_id = ?");
      params.push(filter.terminalId);
    }
    if (filter.state) {
      clauses.push("state = ?");
      params.push(filter.state);
    }
    if (filter.from) {
      clauses.push("created_at >= ?");
      params.push(filter.from);
    }
    if (filter.to) {
      clauses.push("created_at < ?");
      params.push(filter.to);
    }
    return { sql: clauses.length ? clauses.join(" AND ") : "1 = 1", params };
  }

  async listSales(filter: SaleFilter) {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
    const where = this.whereClause(filter);
    let sql = `SELECT * FROM sales WHERE ${where.sql}`;
    const params = [...where.params];
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor);
      if (!cursor) throw new StoreError("invalidCursor", "cursor is not one this store returned");
      sql += " AND (created_at < ? OR (created_at = ? AND id < ?))";
      params.push(cursor.createdAt, cursor.createdAt, cursor.id);
    }
    sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
    params.push(limit + 1);
    const rows = this.db.prepare(sql).all(...params).map((r) => toSale(r as Row));
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null };
  }

  async summarizeSales(filter: Omit<SaleFilter, "cursor" | "limit" | "state">): Promise<SaleSummary[]> {
    const where = this.whereClause(filter);
    return this.db
      .prepare(
        `SELECT state, currency, COUNT(*) AS count, SUM(amount) AS amount FROM sales WHERE ${where.sql}
         GROUP BY state, currency ORDER BY state, currency`,
      )
      .all(...where.params) as SaleSummary[];
  }

  async transitionSale(id: string, from: readonly Sale["state"][], patch: Partial<Omit<Sale, "id">>, event: NewSaleEvent) {
    return this.db.transaction(() => {
      const row = this.db.prepare("SELECT * FROM sales WHERE id = ?").get(id) as Row | undefined;
      if (!row) throw saleNotFound(id);
      const current = toSale(row);
      if (!from.includes(current.state)) return undefined;
      const next: Sale = { ...current, ...patch };
      const entries = Object.entries(patch).filter(([key]) => key in SALE_COLUMNS);
      const sets = entries.map(([key]) => `${SALE_COLUMNS[key as keyof typeof SALE_COLUMNS]} = ?`);
      sets.push("active_terminal_id = ?");
      try {
        this.db
          .prepare(`UPDATE sales SET ${sets.join(", ")} WHERE id = ?`)
          .run(...entries.map(([key, value]) => columnValue(key, value)), isActive(next.state) ? next.terminalId : null, id);
      } catch (error) {
        if (violatedUnique(error, "sales.active_terminal_id")) {
          const active = this.activeSaleSync(current.terminalId);
          throw activeSaleConflict(current.terminalId, active?.id ?? "unknown");
        }
        throw error;
      }
      this.insertEventSync(id, { fromState: current.state, toState: next.state, ...event });
      return next;
    })();
  }

  async insertAttempt(saleId: string, attempt: PaymentAttempt, event: NewSaleEvent) {
    return this.db.transaction(() => {
      const row = this.db.prepare("SELECT * FROM sales WHERE id = ?").get(saleId) as Row | undefined;
      if (!row) throw saleNotFound(saleId);
      const sale = toSale(row);
      const active = this.activeSaleSync(sale.terminalId);
      if (active && active.id !== saleId) throw activeSaleConflict(sale.terminalId, active.id);
      this.insertAttemptSync(attempt);
      this.db
        .prepare(
          `UPDATE sales SET state = 'pending', current_attempt_id = ?, attempt_count = attempt_count + 1,
             active_terminal_id = terminal_id, ended_at = NULL, failure_reason = NULL, updated_at = ? WHERE id = ?`,
        )
        .run(attempt.id, attempt.createdAt, saleId);
      this.insertEventSync(saleId, { fromState: sale.state, toState: "pending", attemptId: attempt.id, ...event });
      return toSale(this.db.prepare("SELECT * FROM sales WHERE id = ?").get(saleId) as Row);
    })();
  }

  async getAttempt(id: string) {
    const row = this.db.prepare("SELECT * FROM attempts WHERE id = ?").get(id) as Row | undefined;
    return row ? toAttempt(row) : undefined;
  }

  async getAttemptByReference(reference: string) {
    const row = this.db.prepare("SELECT * FROM attempts WHERE reference = ?").get(reference) as Row | undefined;
    return row ? toAttempt(row) : undefined;
  }

  async listAttempts(saleId: string) {
    return this.db.prepare("SELECT * FROM attempts WHERE sale_id = ? ORDER BY created_at, id").all(saleId).map((r) => toAttempt(r as Row));
  }

  async updateAttempt(id: string, patch: Partial<Omit<PaymentAttempt, "id" | "saleId" | "reference">>) {
    const entries = Object.entries(patch).filter(([key]) => key in ATTEMPT_COLUMNS);
    if (entries.length === 0) return;
    this.db
      .prepare(`UPDATE attempts SET ${entries.map(([key]) => `${ATTEMPT_COLUMNS[key]} = ?`).join(", ")} WHERE id = ?`)
      .run(...entries.map(([key, value]) => columnValue(key, value)), id);
  }

  async listOpenAttempts() {
    return this.db
      .prepare(
        `SELECT a.* FROM attempts a JOIN sales s ON s.id = a.sale_id
         WHERE (s.state IN ('pending', 'authorized') AND a.id = s.current_attempt_id)
            OR a.state IN ('CREATING', 'CREATE_FAILED')
            OR (a.state = 'AUTHORIZED' AND a.id <> s.current_attempt_id AND a.cancel_reason IS NULL)
         ORDER BY a.next_poll_at`,
      )
      .all()
      .map((r) => toAttempt(r as Row));
  }

  async appendEvent(event: NewSaleEvent) {
    if (!event.saleId) throw new Error("appendEvent needs a saleId");
    this.insertEventSync(event.saleId, event);
  }

  async listEvents(saleId: string) {
    return this.db.prepare("SELECT * FROM sale_events WHERE sale_id = ? ORDER BY id").all(saleId).map((r) => toEvent(r as Row));
  }

  async insertRefund(refund: Refund) {
    this.db
      .prepare("INSERT INTO refunds (id, sale_id, amount, state, created_at) VALUES (@id, @saleId, @amount, @state, @createdAt)")
      .run(refund);
  }

  async updateRefund(id: string, state: Refund["state"]) {
    this.db.prepare("UPDATE refunds SET state = ? WHERE id = ?").run(state, id);
  }

  async listRefunds(saleId: string) {
    return this.db
      .prepare("SELECT id, sale_id AS saleId, amount, state, created_at AS createdAt FROM refunds WHERE sale_id = ? ORDER BY created_at, id")
      .all(saleId) as Refund[];
  }

  async markWebhookProcessed(id: string, receivedAt: string) {
    return this.db.prepare("INSERT OR IGNORE INTO processed_webhooks (id, received_at) VALUES (?, ?)").run(id, receivedAt).changes > 0;
  }

  async pruneProcessedWebhooks(receivedBefore: string) {
    return this.db.prepare("DELETE FROM processed_webhooks WHERE received_at < ?").run(receivedBefore).changes;
  }

  async forgetWebhook(id: string) {
    this.db.prepare("DELETE FROM processed_webhooks WHERE id = ?").run(id);
  }

  async acquireLease(name: string, holder: string, ttlMs: number, nowMs: number): Promise<boolean> {
    // One statement: insert, or take over an expired lease, or renew our own.
    const result = this.db
      .prepare(
        `INSERT INTO leases (name, holder, expires_at_ms) VALUES (@name, @holder, @expires)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at_ms = excluded.expires_at_ms
         WHERE leases.holder = excluded.holder OR leases.expires_at_ms <= @now`,
      )
      .run({ name, holder, expires: nowMs + ttlMs, now: nowMs });
    return result.changes > 0;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    this.db.prepare("DELETE FROM leases WHERE name = ? AND holder = ?").run(name, holder);
  }

  async latestEventIdForTerminal(terminalId: string): Promise<number> {
    const row = this.db
      .prepare("SELECT MAX(e.id) AS id FROM sale_events e JOIN sales s ON s.id = e.sale_id WHERE s.terminal_id = ?")
      .get(terminalId) as Row | undefined;
    return Number(row?.id ?? 0);
  }

  async saveDevice(d: DisplayDevice) {
    this.db
      .prepare(
        `INSERT INTO display_devices (id, terminal_id, token_hash, label, created_at, revoked_at)
         VALUES (@id, @terminalId, @tokenHash, @label, @createdAt, @revokedAt)
         ON CONFLICT (id) DO UPDATE SET terminal_id = excluded.terminal_id, label = excluded.label, revoked_at = excluded.revoked_at`,
      )
      .run({ ...d, revokedAt: d.revokedAt ?? null });
  }

  async getDeviceByTokenHash(tokenHash: string) {
    const r = this.db.prepare("SELECT * FROM display_devices WHERE token_hash = ?").get(tokenHash) as Row | undefined;
    return r ? toDevice(r) : undefined;
  }

  async listDevices(terminalId?: string) {
    const rows =
      terminalId === undefined
        ? this.db.prepare("SELECT * FROM display_devices ORDER BY created_at, id").all()
        : this.db.prepare("SELECT * FROM display_devices WHERE terminal_id = ? ORDER BY created_at, id").all(terminalId);
    return rows.map((r) => toDevice(r as Row));
  }

  async revokeDevice(id: string, revokedAt: string) {
    return this.db.prepare("UPDATE display_devices SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?").run(revokedAt, id).changes > 0;
  }

  async savePairing(p: DisplayPairing) {
    this.db
      .prepare(
        `INSERT INTO display_pairings (id, code, expires_at, terminal_id, device_token, claimed_at)
         VALUES (@id, @code, @expiresAt, @terminalId, @deviceToken, @claimedAt)
         ON CONFLICT (id) DO UPDATE SET terminal_id = excluded.terminal_id, device_token = excluded.device_token,
           claimed_at = excluded.claimed_at`,
      )
      .run({ ...p, terminalId: p.terminalId ?? null, deviceToken: p.deviceToken ?? null, claimedAt: p.claimedAt ?? null });
  }

  private toPairing(r: Row | undefined): DisplayPairing | undefined {
    return r
      ? { id: r.id, code: r.code, expiresAt: r.expires_at, terminalId: r.terminal_id ?? undefined, deviceToken: r.device_token ?? undefined, claimedAt: r.claimed_at ?? undefined }
      : undefined;
  }

  async getPairingByCode(code: string) {
    return this.toPairing(
      this.db.prepare("SELECT * FROM display_pairings WHERE code = ? AND terminal_id IS NULL ORDER BY expires_at DESC LIMIT 1").get(code) as Row | undefined,
    );
  }

  async getPairing(id: string) {
    return this.toPairing(this.db.prepare("SELECT * FROM display_pairings WHERE id = ?").get(id) as Row | undefined);
  }
}
