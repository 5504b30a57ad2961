/**
 * The store as a whole, on SQLite and PostgreSQL (tests/support/store-conformance.ts): what opening
 * it does (migrations, once, however many instances start at the same moment), what openStore opens,
 * and the data directories an earlier store made.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "@/lib/store/index";
import { conformance, iso, newSale, storeErrorOf, T0, terminal, VERSIONS } from "../support/store-conformance";

conformance("Store", (context) => {
  const { backend, opened, rawSessions } = context;

  describe("migrations", () => {
    it("run once when two instances start on a fresh database at the same moment", async () => {
      const blank = await backend.blank();
      const [a, b] = await Promise.all([blank.open(), blank.open()]);
      opened.push(a, b);
      const raw = await blank.raw();
      rawSessions.push(raw);
      expect(
        (await raw.query("SELECT version FROM schema_migrations ORDER BY version")).map((row) => Number(row.version)),
      ).toEqual(VERSIONS);
      // Both instances work on the one schema.
      await a.counters.saveTerminal(terminal("m1"));
      expect((await b.counters.getTerminal("m1"))?.name).toBe("Counter m1");
      // A later start finds nothing to do.
      opened.push(await blank.open());
      expect(Number((await raw.query("SELECT count(*) AS n FROM schema_migrations"))[0]?.n)).toBe(VERSIONS.length);
    });
  });

  it("is what openStore opens from the app's options", async () => {
    const blank = await backend.blank();
    const { store: opened, kind } = await openStore(blank.openOptions);
    expect(kind).toBe(backend.name);
    await opened.settings.setSetting("k", "v");
    await opened.close();
    const again = await openStore(blank.openOptions);
    expect(await again.store.settings.getSetting("k")).toBe("v");
    await again.store.close();
  });
});

describe("openStore without its database", () => {
  it("fails, and says why, when PostgreSQL cannot be reached", async () => {
    await expect(
      openStore({ dataDir: tmpdir(), databaseUrl: "postgresql://postgres@127.0.0.1:1/nothing" }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});

// --- Data directories of the earlier better-sqlite3 store -------------------------------------------

/** The earlier store's first migration, verbatim: data directories made by it must keep working. */
const EARLIER_VERSION_1 = `
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
`;
const EARLIER_VERSION_2 = `
  CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at_ms INTEGER NOT NULL);
  CREATE INDEX sales_by_terminal_id ON sales (terminal_id);
`;

describe("a SQLite data directory made by the earlier store", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "kassa-earlier-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A kassa.sqlite as the earlier store left it, with one terminal and one sale with an event. */
  function earlierDataDir(name: string, versions: string[]): string {
    const dataDir = path.join(dir, name);
    mkdirSync(dataDir, { recursive: true });
    const db = new BetterSqlite3(path.join(dataDir, "kassa.sqlite"));
    db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    versions.forEach((migration, index) => {
      db.exec(migration);
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(
        index + 1,
        "2026-01-01T00:00:00.000Z",
      );
    });
    const { sale } = newSale("old-sale", { idempotencyKey: "order-old", autoCapture: true });
    db.prepare("INSERT INTO terminals VALUES ('t1', 'Counter t1', 't1', 'nb', 'NOK', 'token-t1', ?)").run(iso(T0));
    db.prepare(
      `INSERT INTO sales (id, terminal_id, receipt_number, currency, amount, description, lines, state, auto_capture,
         current_attempt_id, attempt_count, idempotency_key, request_hash, active_terminal_id, created_at, updated_at)
       VALUES (?, 't1', ?, 'NOK', ?, ?, ?, 'pending', 1, ?, 1, 'order-old', ?, 't1', ?, ?)`,
    ).run(
      sale.id,
      sale.receiptNumber,
      sale.amount,
      sale.description,
      JSON.stringify(sale.lines),
      sale.currentAttemptId,
      sale.requestHash,
      sale.createdAt,
      sale.updatedAt,
    );
    db.prepare(
      "INSERT INTO sale_events (sale_id, type, source, to_state, detail, at) VALUES ('old-sale', 'sale.created', 'api', 'pending', '{\"amount\":4990}', ?)",
    ).run(sale.createdAt);
    db.close();
    return dataDir;
  }

  it("opens without running versions 1 and 2 again, and reads what it wrote", async () => {
    const dataDir = earlierDataDir("both", [EARLIER_VERSION_1, EARLIER_VERSION_2]);
    const { store } = await openStore({ dataDir });
    try {
      // Version 12 gave the sale from before a receipt id (36 hex digits), and changed nothing else.
      expect(await store.sales.getSale("old-sale")).toEqual({
        ...newSale("old-sale", { idempotencyKey: "order-old", autoCapture: true }).sale,
        receiptId: expect.stringMatching(/^[0-9a-f]{36}$/),
      });
      expect((await store.sales.listEvents("old-sale"))[0]?.detail).toEqual({ amount: 4990 });
      const error = await storeErrorOf(
        store.sales.insertSale(newSale("new-sale").sale, newSale("new-sale").attempt, newSale("new-sale").event),
      );
      expect(error.details).toEqual({ terminalId: "t1", activeSaleId: "old-sale" });
      expect(await store.operations.acquireLease("poller", "A", 1000, T0)).toBe(true);
    } finally {
      await store.close();
    }
    const db = new BetterSqlite3(path.join(dataDir, "kassa.sqlite"), { readonly: true });
    const applied = db.prepare("SELECT version, applied_at FROM schema_migrations ORDER BY version").all() as {
      version: number;
      applied_at: string;
    }[];
    db.close();
    expect(applied.map((row) => row.version)).toEqual(VERSIONS);
    expect(applied.slice(0, 2)).toEqual([
      { version: 1, applied_at: "2026-01-01T00:00:00.000Z" },
      { version: 2, applied_at: "2026-01-01T00:00:00.000Z" },
    ]);
  });

  it("runs version 2 and later, not 1, on one that has version 1 alone", async () => {
    const dataDir = earlierDataDir("first-only", [EARLIER_VERSION_1]);
    const { store } = await openStore({ dataDir });
    try {
      expect((await store.sales.getSale("old-sale"))?.state).toBe("pending");
      expect(await store.operations.acquireLease("poller", "A", 1000, T0)).toBe(true);
    } finally {
      await store.close();
    }
    const db = new BetterSqlite3(path.join(dataDir, "kassa.sqlite"), { readonly: true });
    const applied = db.prepare("SELECT version, applied_at FROM schema_migrations ORDER BY version").all() as {
      version: number;
      applied_at: string;
    }[];
    db.close();
    expect(applied.map((row) => row.version)).toEqual(VERSIONS);
    expect(applied[0]).toEqual({ version: 1, applied_at: "2026-01-01T00:00:00.000Z" });
    expect(applied[1]?.applied_at).not.toBe("2026-01-01T00:00:00.000Z");
  });
});
