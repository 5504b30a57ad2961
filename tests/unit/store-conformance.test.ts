/**
 * One conformance suite for the Store, run against each backend: SQLite (a file in a temp dir) and
 * PostgreSQL (a throwaway database made for this run, dropped afterwards). Same tests, same
 * expectations: whatever the app relies on must hold on both, including what it relies on when
 * several app instances (separate store instances, separate connections) act at the same moment.
 *
 * PostgreSQL is found at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres);
 * its half is skipped, with the reason in its name, only when pg_isready says it is not there.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { isStoreError, type StoreError } from "@/lib/errors";
import type { Currency, PaymentAttempt, Product, Sale, SaleState, Terminal } from "@/lib/sales/types";
import { type KyselyStore, openPostgresStore, openSqliteStore, openStore } from "@/lib/store/index";
import { MIGRATIONS } from "@/lib/store/migrations";
import type { DisplayDevice, DisplayPresenceSeen, NewSaleEvent, NewVippsRequestRecord } from "@/lib/store/store";

/** The server the throwaway databases are made on; the same variable as tests/support/pg-database.ts. */
const PG_ADMIN_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
/** Every schema version the store knows, oldest first. */
const VERSIONS = MIGRATIONS.map((migration) => migration.version);

// --- Fixtures ------------------------------------------------------------------------------------

const T0 = Date.parse("2026-05-01T10:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

const terminal = (id: string, extra: Partial<Terminal> = {}): Terminal => ({
  id,
  name: `Counter ${id}`,
  posId: id,
  language: "nb",
  currency: "NOK",
  displayToken: `token-${id}`,
  createdAt: iso(T0),
  chime: true,
  ...extra,
});

interface SaleOptions {
  terminalId?: string;
  state?: SaleState;
  createdAt?: string;
  amount?: number;
  currency?: Currency;
  idempotencyKey?: string;
  autoCapture?: boolean;
  attemptId?: string;
  nextPollAt?: string;
}

/** A sale with its first attempt and "created" event, as SaleCommands would insert it. */
function newSale(id: string, o: SaleOptions = {}): { sale: Sale; attempt: PaymentAttempt; event: NewSaleEvent } {
  const createdAt = o.createdAt ?? iso(T0);
  const amount = o.amount ?? 4990;
  const attemptId = o.attemptId ?? `${id}-a1`;
  const sale: Sale = {
    id,
    terminalId: o.terminalId ?? "t1",
    receiptNumber: `R-${id}`,
    currency: o.currency ?? "NOK",
    amount,
    description: "Kaffe og bolle ☕ æøå",
    lines: [
      { id: "l1", name: "Kaffe ☕", quantity: 1, unitPrice: amount, taxRate: 2500, totalAmount: amount, taxAmount: Math.round(amount / 5), productId: "p-kaffe" },
    ],
    state: o.state ?? "pending",
    autoCapture: o.autoCapture ?? true,
    capturedAmount: 0,
    refundedAmount: 0,
    currentAttemptId: attemptId,
    attemptCount: 1,
    idempotencyKey: o.idempotencyKey,
    requestHash: o.idempotencyKey ? `hash-${o.idempotencyKey}` : undefined,
    createdAt,
    updatedAt: createdAt,
  };
  const attempt: PaymentAttempt = {
    id: attemptId,
    saleId: id,
    reference: `ref-${attemptId}`,
    state: "CREATING",
    createdAt,
    expiresAt: iso(Date.parse(createdAt) + 5 * 60_000),
    nextPollAt: o.nextPollAt ?? iso(Date.parse(createdAt) + 5_000),
    pollCount: 0,
  };
  return { sale, attempt, event: { type: "sale.created", source: "api", toState: sale.state, detail: { amount, lines: 1 }, at: createdAt } };
}

const attemptFor = (saleId: string, id: string, at: number): PaymentAttempt => ({
  id,
  saleId,
  reference: `ref-${id}`,
  state: "CREATED",
  qrUrl: `https://qr.example/${id}`,
  createdAt: iso(at),
  expiresAt: iso(at + 5 * 60_000),
  nextPollAt: iso(at + 5_000),
  pollCount: 0,
});

async function storeErrorOf(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    if (isStoreError(error)) return error;
    throw error;
  }
  throw new Error("expected a StoreError, but the call succeeded");
}

// --- Backends ------------------------------------------------------------------------------------

/** A connection outside the store, for holding a transaction open while the store works. */
interface RawSession {
  exec(sql: string): Promise<void>;
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

interface TestDatabase {
  /** What the app would pass to openStore to reach this database. */
  openOptions: { dataDir: string; databaseUrl?: string };
  /** Opens one more store instance (its own connection or pool) on this database. */
  open(): Promise<KyselyStore>;
  raw(): Promise<RawSession>;
  /** Resolves once some other connection is waiting for a lock the raw session holds. */
  writerIsWaiting(): Promise<void>;
}

interface Backend {
  name: "sqlite" | "postgresql";
  /** Why the backend cannot run here, or undefined when it can. */
  unavailable?: string;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** An empty, migrated database for one test. */
  fresh(): Promise<TestDatabase>;
  /** A database nothing has been run on, for watching migrations. */
  blank(): Promise<TestDatabase>;
}

function sqliteBackend(): Backend {
  let dir = "";
  let count = 0;
  let templateReady = false;
  // openStore's layout: kassa.sqlite in the data directory.
  const database = (dataDir: string): TestDatabase => ({
    openOptions: { dataDir },
    open: () => openSqliteStore(path.join(dataDir, "kassa.sqlite")),
    async raw() {
      const db = new BetterSqlite3(path.join(dataDir, "kassa.sqlite"), { timeout: 5_000 });
      return {
        exec: async (sql) => void db.exec(sql),
        query: async (sql) => db.prepare(sql).all() as Record<string, unknown>[],
        close: async () => void db.close(),
      };
    },
    // The store retries a locked SQLite asynchronously; it is waiting as soon as it has started.
    writerIsWaiting: () => sleep(50),
  });
  return {
    name: "sqlite",
    async setUp() {
      dir = mkdtempSync(path.join(tmpdir(), "kassa-store-"));
    },
    async tearDown() {
      rmSync(dir, { recursive: true, force: true });
    },
    async fresh() {
      // A copy of one migrated file: migrating a new file for every test would be slower.
      const template = path.join(dir, "template");
      if (!templateReady) await (await database(template).open()).close();
      templateReady = true;
      const dataDir = path.join(dir, `fresh-${++count}`);
      mkdirSync(dataDir);
      copyFileSync(path.join(template, "kassa.sqlite"), path.join(dataDir, "kassa.sqlite"));
      return database(dataDir);
    },
    async blank() {
      return database(path.join(dir, `blank-${++count}`));
    },
  };
}

function postgresBackend(): Backend {
  const ready = spawnSync("pg_isready", ["-d", PG_ADMIN_URL], { encoding: "utf8" });
  const unavailable =
    ready.status === 0 ? undefined : `pg_isready -d ${PG_ADMIN_URL} failed: ${(ready.error?.message ?? `${ready.stdout}${ready.stderr}`).trim()}`;
  const runName = `kassa_test_${randomBytes(6).toString("hex")}`;
  const created: string[] = [];
  let admin: pg.Client | undefined;
  let runDatabase: TestDatabase | undefined;
  let cleaner: pg.Client | undefined;

  const urlOf = (name: string) => {
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const createDatabase = async (name: string) => {
    await admin!.query(`CREATE DATABASE ${name}`);
    created.push(name);
  };
  const database = (name: string): TestDatabase => ({
    openOptions: { dataDir: path.join(tmpdir(), "kassa-unused-data-dir"), databaseUrl: urlOf(name) },
    open: () => openPostgresStore(urlOf(name), { maxConnections: 4 }),
    async raw() {
      const client = new pg.Client({ connectionString: urlOf(name) });
      await client.connect();
      return {
        exec: async (sql) => void (await client.query(sql)),
        query: async (sql) => (await client.query(sql)).rows as Record<string, unknown>[],
        close: () => client.end(),
      };
    },
    async writerIsWaiting() {
      for (let i = 0; i < 500; i += 1) {
        // Row and unique-index waits are waits on the other transaction's id, a lock with no database: find the waiter by its session.
        const { rows } = await admin!.query("SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = $1", [name]);
        if ((rows[0] as { n: number }).n > 0) return;
        await sleep(10);
      }
      throw new Error("no connection ever waited for the lock");
    },
  });

  return {
    name: "postgresql",
    unavailable,
    async setUp() {
      admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await createDatabase(runName);
      runDatabase = database(runName);
      await (await runDatabase.open()).close();
      // A throwaway database need not wait for its commits to reach the disk; locking is unchanged.
      await admin.query(`ALTER DATABASE ${runName} SET synchronous_commit = off`);
      cleaner = new pg.Client({ connectionString: urlOf(runName) });
      await cleaner.connect();
    },
    async tearDown() {
      await cleaner?.end();
      for (const name of created) await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin?.end();
    },
    async fresh() {
      // One database per run, emptied per test: creating a database per test would be slow, and
      // so is TRUNCATE next to DELETE on tables this small. Every table but schema_migrations is
      // emptied, referencing tables before the ones they reference, so new tables need no edit here.
      const { rows } = await cleaner!.query<{ table: string; references: string[] }>(
        `SELECT c.relname AS table,
                COALESCE(array_agg(DISTINCT r.relname) FILTER (WHERE r.relname IS NOT NULL AND r.relname <> c.relname), '{}') AS references
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_constraint f ON f.conrelid = c.oid AND f.contype = 'f' LEFT JOIN pg_class r ON r.oid = f.confrelid
          WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations' GROUP BY c.relname`,
      );
      const order: string[] = [];
      const pending = new Map(rows.map((row) => [row.table, row.references]));
      while (pending.size > 0) {
        const free = [...pending.keys()].filter((table) => ![...pending.values()].some((references) => references.includes(table)));
        if (free.length === 0) throw new Error(`foreign keys form a cycle among ${[...pending.keys()].join(", ")}`);
        for (const table of free) {
          order.push(table);
          pending.delete(table);
        }
      }
      await cleaner!.query(`BEGIN; ${order.map((table) => `DELETE FROM ${table};`).join(" ")} COMMIT`);
      return runDatabase!;
    },
    async blank() {
      const name = `${runName}_${created.length}`;
      await createDatabase(name);
      return database(name);
    },
  };
}

// --- The suite -----------------------------------------------------------------------------------

function conformance(backend: Backend) {
  const title = backend.unavailable ? `Store conformance: ${backend.name} (SKIPPED: ${backend.unavailable})` : `Store conformance: ${backend.name}`;
  if (backend.unavailable) console.warn(`[store-conformance] ${title}`);

  describe.skipIf(backend.unavailable !== undefined)(title, () => {
    let database: TestDatabase;
    let store: KyselyStore;
    const opened: KyselyStore[] = [];
    const rawSessions: RawSession[] = [];

    /** Another app instance on the same database: a store with its own connection(s). */
    const another = async () => {
      const instance = await database.open();
      opened.push(instance);
      return instance;
    };
    const rawSession = async () => {
      const session = await database.raw();
      rawSessions.push(session);
      return session;
    };

    beforeAll(() => backend.setUp());
    afterAll(() => backend.tearDown());

    beforeEach(async () => {
      database = await backend.fresh();
      store = await another();
      await store.saveTerminal(terminal("t1"));
      await store.saveTerminal(terminal("t2"));
    });

    afterEach(async () => {
      for (const session of rawSessions.splice(0)) await session.close();
      for (const instance of opened.splice(0)) await instance.close();
    });

    describe("migrations", () => {
      it("run once when two instances start on a fresh database at the same moment", async () => {
        const blank = await backend.blank();
        const [a, b] = await Promise.all([blank.open(), blank.open()]);
        opened.push(a, b);
        const raw = await blank.raw();
        rawSessions.push(raw);
        expect((await raw.query("SELECT version FROM schema_migrations ORDER BY version")).map((row) => Number(row.version))).toEqual(VERSIONS);
        // Both instances work on the one schema.
        await a.saveTerminal(terminal("m1"));
        expect((await b.getTerminal("m1"))?.name).toBe("Counter m1");
        // A later start finds nothing to do.
        opened.push(await blank.open());
        expect(Number((await raw.query("SELECT count(*) AS n FROM schema_migrations"))[0]?.n)).toBe(VERSIONS.length);
      });
    });

    it("is what openStore opens from the app's options", async () => {
      const blank = await backend.blank();
      const { store: opened, kind } = await openStore(blank.openOptions);
      expect(kind).toBe(backend.name);
      await opened.setSetting("k", "v");
      await opened.close();
      const again = await openStore(blank.openOptions);
      expect(await again.store.getSetting("k")).toBe("v");
      await again.store.close();
    });

    describe("settings and sequences", () => {
      it("stores, overwrites and misses settings", async () => {
        expect(await store.getSetting("shop.name")).toBeUndefined();
        await store.setSetting("shop.name", "Bakeriet");
        await store.setSetting("shop.name", "Bakeriet på hjørnet");
        expect(await store.getSetting("shop.name")).toBe("Bakeriet på hjørnet");
      });

      it("counts each sequence from 1", async () => {
        expect([await store.nextSequence("receipt"), await store.nextSequence("receipt"), await store.nextSequence("receipt")]).toEqual([1, 2, 3]);
        expect(await store.nextSequence("other")).toBe(1);
      });

      it("never hands out a receipt number twice under 50 concurrent calls from two instances", async () => {
        const other = await another();
        const numbers = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? store : other).nextSequence("receipt")));
        expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        expect(numbers.every((n) => typeof n === "number")).toBe(true);
      });
    });

    describe("terminals", () => {
      it("lists by creation time and finds by id and display token", async () => {
        await store.saveTerminal(terminal("t0", { createdAt: iso(T0 - 1000) }));
        expect((await store.listTerminals()).map((t) => t.id)).toEqual(["t0", "t1", "t2"]);
        expect(await store.getTerminal("t1")).toEqual(terminal("t1"));
        expect((await store.getTerminalByDisplayToken("token-t2"))?.id).toBe("t2");
        expect(await store.getTerminal("nope")).toBeUndefined();
        expect(await store.getTerminalByDisplayToken("nope")).toBeUndefined();
      });

      it("saveTerminal updates the details but keeps the stored display token", async () => {
        await store.saveTerminal(terminal("t1", { name: "Kassa 1", language: "en", currency: "EUR", posId: "pos-a", displayToken: "stale-token" }));
        expect(await store.getTerminal("t1")).toEqual(terminal("t1", { name: "Kassa 1", language: "en", currency: "EUR", posId: "pos-a" }));
        expect(await store.getTerminalByDisplayToken("stale-token")).toBeUndefined();
      });

      it("keeps whether the display chimes, on unless turned off", async () => {
        await store.saveTerminal(terminal("t1", { chime: false }));
        expect((await store.getTerminal("t1"))?.chime).toBe(false);
        await store.saveTerminal(terminal("t1", { chime: true }));
        expect((await store.getTerminal("t1"))?.chime).toBe(true);
        const { chime: _omitted, ...withoutChime } = terminal("t4");
        await store.saveTerminal(withoutChime);
        expect((await store.getTerminal("t4"))?.chime).toBe(true);
      });

      it("insertTerminal is false for a taken id and changes nothing", async () => {
        expect(await store.insertTerminal(terminal("t3"))).toBe(true);
        expect(await store.insertTerminal(terminal("t3", { name: "Other", displayToken: "token-other" }))).toBe(false);
        expect((await store.getTerminal("t3"))?.name).toBe("Counter t3");
      });

      it("setDisplayToken replaces the link; false for an unknown terminal", async () => {
        expect(await store.setDisplayToken("t1", "fresh-token")).toBe(true);
        expect(await store.getTerminalByDisplayToken("token-t1")).toBeUndefined();
        expect((await store.getTerminalByDisplayToken("fresh-token"))?.id).toBe("t1");
        expect(await store.setDisplayToken("nope", "x")).toBe(false);
      });
    });

    describe("products", () => {
      const product = (id: string, name: string, extra: Partial<Product> = {}): Product => ({
        id,
        name,
        unitPrice: 3500,
        currency: "NOK",
        taxRate: 1500,
        createdAt: iso(T0),
        updatedAt: iso(T0),
        ...extra,
      });

      it("saves, updates, lists by name ignoring ASCII case, and deletes", async () => {
        for (const [id, name] of [["p1", "banan"], ["p2", "Appelsin"], ["p3", "Øl"], ["p4", "cola"], ["p5", "Banan"], ["p6", "Ærlig kaffe"]] as const) {
          await store.saveProduct(product(id, name));
        }
        expect((await store.listProducts()).map((p) => p.name)).toEqual(["Appelsin", "banan", "Banan", "cola", "Ærlig kaffe", "Øl"]);

        await store.saveProduct(product("p4", "Cola Zero", { unitPrice: 3900, taxRate: 2500, updatedAt: iso(T0 + 1000), createdAt: iso(T0 + 5000) }));
        expect(await store.getProduct("p4")).toEqual(product("p4", "Cola Zero", { unitPrice: 3900, taxRate: 2500, updatedAt: iso(T0 + 1000) }));

        expect(await store.deleteProduct("p4")).toBe(true);
        expect(await store.deleteProduct("p4")).toBe(false);
        expect(await store.getProduct("p4")).toBeUndefined();
      });
    });

    describe("sales", () => {
      it("keeps the number a push sale was sent to, through transitions", async () => {
        const { sale, attempt, event } = newSale("s-push");
        await store.insertSale({ ...sale, customerPhone: "4791234567" }, attempt, event);
        expect((await store.getSale("s-push"))?.customerPhone).toBe("4791234567");
        await store.transitionSale("s-push", ["pending"], { state: "cancelled" }, { type: "test", source: "api" });
        expect(await store.getSale("s-push")).toMatchObject({ state: "cancelled", customerPhone: "4791234567" });
        const qr = newSale("s-qr", { terminalId: "t2" });
        await store.insertSale(qr.sale, qr.attempt, qr.event);
        expect(await store.getSale("s-qr")).toEqual(qr.sale);
      });

      it("stores a sale whole, with its first attempt and event", async () => {
        const { sale, attempt, event } = newSale("s1", { idempotencyKey: "order-1", autoCapture: false });
        await store.insertSale(sale, attempt, event);
        expect(await store.getSale("s1")).toEqual(sale);
        expect(await store.getSaleByIdempotencyKey("order-1")).toEqual(sale);
        expect(await store.getAttempt(attempt.id)).toEqual(attempt);
        const events = await store.listEvents("s1");
        expect(events).toEqual([{ id: expect.any(Number), saleId: "s1", attemptId: attempt.id, type: "sale.created", source: "api", toState: "pending", detail: { amount: 4990, lines: 1 }, at: sale.createdAt }]);
        expect((await store.getSale("s1"))?.autoCapture).toBe(false);
        const automatic = newSale("s2", { terminalId: "t2", autoCapture: true });
        await store.insertSale(automatic.sale, automatic.attempt, automatic.event);
        expect((await store.getSale("s2"))?.autoCapture).toBe(true);
        expect(await store.getSale("nope")).toBeUndefined();
      });

      it("keeps the largest amounts as exact numbers, and their sums past 2^31", async () => {
        for (let i = 0; i < 40; i += 1) {
          const { sale, attempt, event } = newSale(`big-${i}`, { state: "captured", amount: 65_000_000, createdAt: iso(T0 + i) });
          await store.insertSale({ ...sale, capturedAmount: 65_000_000 }, attempt, event);
        }
        const big = await store.getSale("big-0");
        expect(big?.amount).toBe(65_000_000);
        expect(big?.capturedAmount).toBe(65_000_000);
        expect(await store.summarizeSales({})).toEqual([{ state: "captured", currency: "NOK", count: 40, amount: 2_600_000_000 }]);
      });

      it("rolls the whole insert back when a part of it fails", async () => {
        const first = newSale("s1");
        await store.insertSale(first.sale, first.attempt, first.event);
        await store.transitionSale("s1", ["pending"], { state: "cancelled" }, { type: "sale.cancelled", source: "cashier" });
        // The attempt's reference is taken: the sale must not be stored without its attempt.
        const second = newSale("s2");
        await expect(store.insertSale(second.sale, { ...second.attempt, reference: first.attempt.reference }, second.event)).rejects.toThrow();
        expect(await store.getSale("s2")).toBeUndefined();
        expect(await store.getActiveSale("t1")).toBeUndefined();
        expect(await store.listEvents("s2")).toEqual([]);
      });

      it("allows one active sale per terminal", async () => {
        const first = newSale("s1");
        await store.insertSale(first.sale, first.attempt, first.event);
        expect((await store.getActiveSale("t1"))?.id).toBe("s1");
        expect(await store.getActiveSale("t2")).toBeUndefined();

        const second = newSale("s2");
        const error = await storeErrorOf(store.insertSale(second.sale, second.attempt, second.event));
        expect(error.code).toBe("activeSaleConflict");
        expect(error.details).toEqual({ terminalId: "t1", activeSaleId: "s1" });
        expect(await store.getSale("s2")).toBeUndefined();

        // A sale that is already over does not hold its terminal.
        const over = newSale("s3", { terminalId: "t2", state: "captured" });
        await store.insertSale(over.sale, over.attempt, over.event);
        expect(await store.getActiveSale("t2")).toBeUndefined();
        const elsewhere = newSale("s4", { terminalId: "t2" });
        await store.insertSale(elsewhere.sale, elsewhere.attempt, elsewhere.event);
        expect((await store.getActiveSale("t1"))?.id).toBe("s1");
        expect((await store.getActiveSale("t2"))?.id).toBe("s4");
      });

      it("lets exactly one of two instances start a sale on a terminal at the same moment", async () => {
        const other = await another();
        for (const round of [1, 2, 3, 4, 5]) {
          const terminalId = `race-${round}`;
          await store.saveTerminal(terminal(terminalId));
          const a = newSale(`a-${round}`, { terminalId });
          const b = newSale(`b-${round}`, { terminalId });
          const results = await Promise.allSettled([store.insertSale(a.sale, a.attempt, a.event), other.insertSale(b.sale, b.attempt, b.event)]);
          const won = results.flatMap((result, i) => (result.status === "fulfilled" ? [i === 0 ? a.sale.id : b.sale.id] : []));
          expect(won).toHaveLength(1);
          const failure = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
          expect(isStoreError(failure.reason, "activeSaleConflict")).toBe(true);
          expect((failure.reason as StoreError).details).toEqual({ terminalId, activeSaleId: won[0] });
          expect((await other.getActiveSale(terminalId))?.id).toBe(won[0]);
        }
      });

      it("reports the sale another connection committed while this insert waited", async () => {
        const raw = await rawSession();
        await raw.exec(backend.name === "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN");
        await raw.exec(
          `INSERT INTO sales (id, terminal_id, receipt_number, currency, amount, description, lines, state, auto_capture,
             current_attempt_id, attempt_count, idempotency_key, active_terminal_id, created_at, updated_at)
           VALUES ('elsewhere', 't1', 'R-x', 'NOK', 100, 'x', '[]', 'pending', '0', 'x-a1', 1, 'order-9', 't1', '${iso(T0)}', '${iso(T0)}')`,
        );
        const mine = newSale("mine");
        const insert = storeErrorOf(store.insertSale(mine.sale, mine.attempt, mine.event));
        await database.writerIsWaiting();
        await raw.exec("COMMIT");
        const error = await insert;
        expect(error.code).toBe("activeSaleConflict");
        expect(error.details).toEqual({ terminalId: "t1", activeSaleId: "elsewhere" });
      });

      it("replays by idempotency key and reports a key taken by a concurrent request", async () => {
        const first = newSale("s1", { idempotencyKey: "order-1" });
        await store.insertSale(first.sale, first.attempt, first.event);
        expect((await store.getSaleByIdempotencyKey("order-1"))?.id).toBe("s1");
        expect(await store.getSaleByIdempotencyKey("order-2")).toBeUndefined();

        const again = newSale("s2", { terminalId: "t2", idempotencyKey: "order-1" });
        const error = await storeErrorOf(store.insertSale(again.sale, again.attempt, again.event));
        expect(error.code).toBe("duplicateKey");
        expect(error.details).toEqual({ key: "idempotencyKey" });
        expect(await store.getSale("s2")).toBeUndefined();

        // Two instances, same key, different terminals, same moment: one stores it.
        const other = await another();
        await store.saveTerminal(terminal("t3"));
        const a = newSale("a", { terminalId: "t2", idempotencyKey: "order-7" });
        const b = newSale("b", { terminalId: "t3", idempotencyKey: "order-7" });
        const results = await Promise.allSettled([store.insertSale(a.sale, a.attempt, a.event), other.insertSale(b.sale, b.attempt, b.event)]);
        expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
        const failure = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
        expect(isStoreError(failure.reason, "duplicateKey")).toBe(true);
      });

      it("shows the terminal's newest sale when none is active, the later id first on a tie", async () => {
        expect(await store.getShownSale("t1")).toBeUndefined();
        const older = newSale("s1", { state: "captured", createdAt: iso(T0) });
        const newer = newSale("s2", { state: "expired", createdAt: iso(T0 + 1000) });
        const tied = newSale("s0", { state: "cancelled", createdAt: iso(T0 + 1000) });
        for (const { sale, attempt, event } of [older, newer, tied]) await store.insertSale(sale, attempt, event);
        expect((await store.getShownSale("t1"))?.sale.id).toBe("s2");
        expect(await store.getShownSale("t2")).toBeUndefined();
      });

      it("gives what a display shows in one read: the active sale, else the newest, with its attempt and newest event", async () => {
        expect(await store.getShownSale("t1")).toBeUndefined();
        const separately = async () => {
          const sale = (await store.getActiveSale("t1")) ?? (await store.listSales({ terminalId: "t1", limit: 1 })).items[0];
          return sale && { sale, attempt: await store.getAttempt(sale.currentAttemptId), latestEventId: await store.latestEventIdForSale(sale.id) };
        };
        // Ended, and newer than the active sale below: the active one is still what is shown.
        const ended = newSale("s-ended", { state: "captured", createdAt: iso(T0 + 2000) });
        const active = newSale("s-active", { createdAt: iso(T0 + 1000) });
        for (const { sale, attempt, event } of [ended, active]) await store.insertSale(sale, attempt, event);
        await store.updateAttempt("s-active-a1", { state: "CREATED", qrUrl: "https://qr.example/x", pollCount: 3 });
        await store.appendEvent({ saleId: "s-active", type: "note", source: "system" });
        const shown = await store.getShownSale("t1");
        expect(shown?.sale.id).toBe("s-active");
        expect(shown?.attempt).toMatchObject({ id: "s-active-a1", state: "CREATED", qrUrl: "https://qr.example/x", pollCount: 3 });
        expect(shown?.latestEventId).toBeGreaterThan(0);
        expect(shown).toEqual(await separately());

        // Once it ends, the newest sale is shown again.
        await store.transitionSale("s-active", ["pending"], { state: "cancelled", endedAt: iso(T0 + 3000) }, { type: "sale.cancelled", source: "cashier" });
        expect((await store.getShownSale("t1"))?.sale.id).toBe("s-ended");
        expect(await store.getShownSale("t1")).toEqual(await separately());
        expect(await store.getShownSale("t2")).toBeUndefined();
      });
    });

    describe("transitionSale (compare-and-set)", () => {
      beforeEach(async () => {
        const { sale, attempt, event } = newSale("s1");
        await store.insertSale(sale, attempt, event);
      });

      it("applies the patch and appends the event when the sale is in one of `from`", async () => {
        const updated = await store.transitionSale(
          "s1",
          ["pending", "authorized"],
          { state: "authorized", updatedAt: iso(T0 + 1000), failureReason: undefined },
          { type: "payment.authorized", source: "webhook", detail: { pspReference: "psp-1" }, at: iso(T0 + 1000) },
        );
        expect(updated).toMatchObject({ id: "s1", state: "authorized", updatedAt: iso(T0 + 1000) });
        expect(await store.getSale("s1")).toEqual(updated);
        expect((await store.listEvents("s1")).map((e) => [e.type, e.fromState, e.toState, e.source, e.detail])).toEqual([
          ["sale.created", undefined, "pending", "api", { amount: 4990, lines: 1 }],
          ["payment.authorized", "pending", "authorized", "webhook", { pspReference: "psp-1" }],
        ]);
        expect((await store.getActiveSale("t1"))?.id).toBe("s1");
      });

      it("does nothing and returns undefined for a stale `from`, appending no event", async () => {
        await store.transitionSale("s1", ["pending"], { state: "cancelled", endedAt: iso(T0 + 1000) }, { type: "sale.cancelled", source: "cashier" });
        const before = await store.getSale("s1");
        expect(await store.transitionSale("s1", ["pending"], { state: "authorized" }, { type: "payment.authorized", source: "webhook" })).toBeUndefined();
        expect(await store.getSale("s1")).toEqual(before);
        expect((await store.listEvents("s1")).map((e) => e.type)).toEqual(["sale.created", "sale.cancelled"]);
      });

      it("fails with notFound for an unknown sale", async () => {
        expect((await storeErrorOf(store.transitionSale("nope", ["pending"], { state: "cancelled" }, { type: "x", source: "system" }))).code).toBe("notFound");
      });

      it("frees the terminal when the sale ends, and clears optional fields given as undefined", async () => {
        await store.transitionSale("s1", ["pending"], { state: "failed", failureReason: "declined", endedAt: iso(T0 + 1) }, { type: "sale.failed", source: "poll" });
        expect(await store.getActiveSale("t1")).toBeUndefined();
        const next = newSale("s2");
        await store.insertSale(next.sale, next.attempt, next.event);
        expect((await store.getActiveSale("t1"))?.id).toBe("s2");
        const cleared = await store.transitionSale("s1", ["failed"], { failureReason: undefined, endedAt: undefined }, { type: "note", source: "system" });
        expect(cleared?.failureReason).toBeUndefined();
        expect((await store.getSale("s1"))?.endedAt).toBeUndefined();
      });

      it("keeps the patch and the event together: when the event cannot be stored, neither is", async () => {
        const broken = { type: null, source: "system" } as unknown as NewSaleEvent;
        await expect(store.transitionSale("s1", ["pending"], { state: "cancelled" }, broken)).rejects.toThrow();
        expect((await store.getSale("s1"))?.state).toBe("pending");
        expect(await store.listEvents("s1")).toHaveLength(1);
      });

      it("refuses to make a second sale of the terminal active", async () => {
        await store.transitionSale("s1", ["pending"], { state: "expired" }, { type: "sale.expired", source: "system" });
        const next = newSale("s2");
        await store.insertSale(next.sale, next.attempt, next.event);
        const error = await storeErrorOf(store.transitionSale("s1", ["expired"], { state: "pending" }, { type: "sale.retried", source: "cashier" }));
        expect(error.code).toBe("activeSaleConflict");
        expect(error.details).toEqual({ terminalId: "t1", activeSaleId: "s2" });
        expect((await store.getSale("s1"))?.state).toBe("expired");
        expect((await store.listEvents("s1")).map((e) => e.type)).toEqual(["sale.created", "sale.expired"]);
      });

      it("lets exactly one of two instances make the same transition at the same moment", async () => {
        const other = await another();
        for (const round of [1, 2, 3, 4, 5]) {
          const id = `race-${round}`;
          const terminalId = `rt-${round}`;
          await store.saveTerminal(terminal(terminalId));
          const { sale, attempt, event } = newSale(id, { terminalId });
          await store.insertSale(sale, attempt, event);
          const results = await Promise.all([
            store.transitionSale(id, ["pending"], { state: "authorized" }, { type: "by.a", source: "webhook" }),
            other.transitionSale(id, ["pending"], { state: "cancelled" }, { type: "by.b", source: "cashier" }),
          ]);
          expect(results.filter((result) => result !== undefined)).toHaveLength(1);
          const events = await store.listEvents(id);
          expect(events).toHaveLength(2);
          expect(events[1]?.fromState).toBe("pending");
          expect((await store.getSale(id))?.state).toBe(events[1]?.toState);
        }
      });

      it.runIf(backend.name === "postgresql")("is one statement on PostgreSQL: one round trip, not a transaction of five", async () => {
        const query = vi.spyOn(pg.Client.prototype, "query");
        try {
          await store.transitionSale("s1", ["pending"], { state: "authorized" }, { type: "payment.authorized", source: "webhook" });
          expect(query).toHaveBeenCalledTimes(1);
          query.mockClear();
          expect(await store.transitionSale("s1", ["pending"], { state: "cancelled" }, { type: "sale.cancelled", source: "cashier" })).toBeUndefined();
          expect(query).toHaveBeenCalledTimes(1);
        } finally {
          query.mockRestore();
        }
        expect((await store.listEvents("s1")).map((e) => [e.type, e.fromState, e.toState])).toEqual([
          ["sale.created", undefined, "pending"],
          ["payment.authorized", "pending", "authorized"],
        ]);
      });

      it("sees a change another connection committed while it waited, and then does not apply", async () => {
        const raw = await rawSession();
        await raw.exec(backend.name === "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN");
        await raw.exec("UPDATE sales SET state = 'authorized' WHERE id = 's1'");
        const transition = store.transitionSale("s1", ["pending"], { state: "cancelled" }, { type: "sale.cancelled", source: "cashier" });
        await database.writerIsWaiting();
        await raw.exec("COMMIT");
        expect(await transition).toBeUndefined();
        expect((await store.getSale("s1"))?.state).toBe("authorized");
        expect(await store.listEvents("s1")).toHaveLength(1);
      });
    });

    describe("attempts", () => {
      beforeEach(async () => {
        const { sale, attempt, event } = newSale("s1");
        await store.insertSale(sale, attempt, event);
      });

      it("insertAttempt restarts an ended sale with a new attempt", async () => {
        await store.transitionSale("s1", ["pending"], { state: "expired", failureReason: "timeout", endedAt: iso(T0 + 60_000) }, { type: "sale.expired", source: "system" });
        const next = attemptFor("s1", "s1-a2", T0 + 120_000);
        const sale = await store.insertAttempt("s1", next, { type: "attempt.created", source: "cashier" });
        expect(sale).toMatchObject({ id: "s1", state: "pending", currentAttemptId: "s1-a2", attemptCount: 2, updatedAt: next.createdAt });
        expect(sale.failureReason).toBeUndefined();
        expect(sale.endedAt).toBeUndefined();
        expect(await store.getSale("s1")).toEqual(sale);
        expect((await store.getActiveSale("t1"))?.id).toBe("s1");
        expect((await store.listAttempts("s1")).map((a) => a.id)).toEqual(["s1-a1", "s1-a2"]);
        expect((await store.listEvents("s1")).at(-1)).toMatchObject({ type: "attempt.created", fromState: "expired", toState: "pending", attemptId: "s1-a2" });
      });

      it("insertAttempt fails when another sale holds the terminal, or the sale is unknown", async () => {
        await store.transitionSale("s1", ["pending"], { state: "expired" }, { type: "sale.expired", source: "system" });
        const other = newSale("s2");
        await store.insertSale(other.sale, other.attempt, other.event);
        const error = await storeErrorOf(store.insertAttempt("s1", attemptFor("s1", "s1-a2", T0 + 1), { type: "attempt.created", source: "cashier" }));
        expect(error.code).toBe("activeSaleConflict");
        expect(error.details).toEqual({ terminalId: "t1", activeSaleId: "s2" });
        expect(await store.getAttempt("s1-a2")).toBeUndefined();
        expect((await storeErrorOf(store.insertAttempt("nope", attemptFor("nope", "n-a1", T0), { type: "x", source: "system" }))).code).toBe("notFound");
      });

      it("finds attempts by id and reference, and updates the fields a patch names", async () => {
        expect((await store.getAttemptByReference("ref-s1-a1"))?.id).toBe("s1-a1");
        expect(await store.getAttemptByReference("nope")).toBeUndefined();
        await store.updateAttempt("s1-a1", { state: "CREATED", qrUrl: "https://qr.example/1", pollCount: 2, lastPolledAt: iso(T0 + 9), nextPollAt: iso(T0 + 10) });
        expect(await store.getAttempt("s1-a1")).toMatchObject({ state: "CREATED", qrUrl: "https://qr.example/1", pollCount: 2, lastPolledAt: iso(T0 + 9), nextPollAt: iso(T0 + 10) });
        await store.updateAttempt("s1-a1", { qrUrl: undefined, cancelReason: "expired" });
        expect(await store.getAttempt("s1-a1")).toMatchObject({ state: "CREATED", qrUrl: undefined, cancelReason: "expired" });
        await store.updateAttempt("s1-a1", {});
        expect((await store.getAttempt("s1-a1"))?.pollCount).toBe(2);
      });

      it("lists open attempts: of unfinished sales, of unknown create outcome, and stray approvals, by next poll time", async () => {
        const at = (seconds: number) => iso(T0 + seconds * 1000);
        // s1 (t1): pending, its current attempt is open.
        await store.updateAttempt("s1-a1", { state: "CREATED", nextPollAt: at(50) });
        // s2 (t2): authorized.
        const s2 = newSale("s2", { terminalId: "t2", nextPollAt: at(20) });
        await store.insertSale(s2.sale, s2.attempt, s2.event);
        await store.updateAttempt("s2-a1", { state: "AUTHORIZED" });
        await store.transitionSale("s2", ["pending"], { state: "authorized" }, { type: "x", source: "poll" });
        // s3 (t3): captured, its attempt settled.
        await store.saveTerminal(terminal("t3"));
        const s3 = newSale("s3", { terminalId: "t3", nextPollAt: at(5) });
        await store.insertSale(s3.sale, s3.attempt, s3.event);
        await store.updateAttempt("s3-a1", { state: "AUTHORIZED" });
        await store.transitionSale("s3", ["pending"], { state: "captured" }, { type: "x", source: "poll" });
        // s4 (t4): three attempts; the first was approved after it was replaced, the second was cancelled.
        await store.saveTerminal(terminal("t4"));
        const s4 = newSale("s4", { terminalId: "t4", nextPollAt: at(40) });
        await store.insertSale(s4.sale, s4.attempt, s4.event);
        await store.updateAttempt("s4-a1", { state: "AUTHORIZED" });
        await store.transitionSale("s4", ["pending"], { state: "expired" }, { type: "x", source: "system" });
        await store.insertAttempt("s4", { ...attemptFor("s4", "s4-a2", T0), nextPollAt: at(10) }, { type: "x", source: "cashier" });
        await store.updateAttempt("s4-a2", { state: "AUTHORIZED", cancelReason: "superseded" });
        await store.transitionSale("s4", ["pending"], { state: "expired" }, { type: "x", source: "system" });
        await store.insertAttempt("s4", { ...attemptFor("s4", "s4-a3", T0), nextPollAt: at(30) }, { type: "x", source: "cashier" });
        // s5 (t5): failed while its create call's outcome is unknown.
        await store.saveTerminal(terminal("t5"));
        const s5 = newSale("s5", { terminalId: "t5", nextPollAt: at(15) });
        await store.insertSale(s5.sale, s5.attempt, s5.event);
        await store.updateAttempt("s5-a1", { state: "CREATE_FAILED" });
        await store.transitionSale("s5", ["pending"], { state: "failed" }, { type: "x", source: "system" });
        // s6 (t6): cancelled before its create call came back, with a tie on the poll time.
        await store.saveTerminal(terminal("t6"));
        const s6 = newSale("s6", { terminalId: "t6", nextPollAt: at(15) });
        await store.insertSale(s6.sale, s6.attempt, s6.event);
        await store.transitionSale("s6", ["pending"], { state: "cancelled" }, { type: "x", source: "cashier" });

        expect((await store.listOpenAttempts()).map((a) => a.id)).toEqual(["s5-a1", "s6-a1", "s2-a1", "s4-a3", "s4-a1", "s1-a1"]);
      });

      it("lists a settled sale's attempt while it is marked for a recheck, and clears only the mark it was given", async () => {
        const at = (seconds: number) => iso(T0 + seconds * 1000);
        await store.updateAttempt("s1-a1", { state: "AUTHORIZED", nextPollAt: at(5) });
        await store.transitionSale("s1", ["pending"], { state: "captured" }, { type: "x", source: "poll" });
        expect(await store.listOpenAttempts()).toEqual([]);
        const other = await another();
        await other.updateAttempt("s1-a1", { recheckSince: at(1), nextPollAt: at(60) });
        expect(await store.listOpenAttempts()).toEqual([expect.objectContaining({ id: "s1-a1", recheckSince: at(1), nextPollAt: at(60) })]);
        await store.updateAttempt("s1-a1", { recheckSince: at(2) });
        await other.clearAttemptRecheck("s1-a1", at(1));
        expect((await store.getAttempt("s1-a1"))?.recheckSince).toBe(at(2));
        await other.clearAttemptRecheck("s1-a1", at(2));
        expect((await store.getAttempt("s1-a1"))?.recheckSince).toBeUndefined();
        expect(await store.listOpenAttempts()).toEqual([]);
      });
    });

    describe("the event log", () => {
      it("keeps events in the order they were appended, across sales and instances", async () => {
        const other = await another();
        const one = newSale("s1");
        const two = newSale("s2", { terminalId: "t2" });
        await store.insertSale(one.sale, one.attempt, one.event);
        await other.insertSale(two.sale, two.attempt, two.event);
        await other.appendEvent({ saleId: "s1", type: "note.1", source: "cashier", detail: { nested: { list: [1, "to", null] } }, at: iso(T0 - 5000) });
        await store.appendEvent({ saleId: "s1", type: "note.2", source: "system" });
        const events = await store.listEvents("s1");
        expect(events.map((e) => e.type)).toEqual(["sale.created", "note.1", "note.2"]);
        expect(events[1]).toMatchObject({ detail: { nested: { list: [1, "to", null] } }, at: iso(T0 - 5000), attemptId: undefined });
        expect(events[2]?.detail).toBeUndefined();
        expect(Date.parse(events[2]!.at)).not.toBeNaN();
        const ids = [...events.map((e) => e.id), ...(await store.listEvents("s2")).map((e) => e.id)];
        expect(new Set(ids).size).toBe(ids.length);
        expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((x, y) => x - y));
        await expect(store.appendEvent({ type: "orphan", source: "system" })).rejects.toThrow(/saleId/);
      });

      it("latestEventIdForSale is the newest event id of the sale, 0 when none", async () => {
        expect(await store.latestEventIdForSale("s1")).toBe(0);
        const one = newSale("s1");
        const two = newSale("s2", { terminalId: "t2" });
        await store.insertSale(one.sale, one.attempt, one.event);
        await store.insertSale(two.sale, two.attempt, two.event);
        await store.appendEvent({ saleId: "s1", type: "note", source: "system" });
        const last = (await store.listEvents("s1")).at(-1)!.id;
        expect(await store.latestEventIdForSale("s1")).toBe(last);
        await store.appendEvent({ saleId: "s2", type: "note", source: "system" });
        expect(await store.latestEventIdForSale("s1")).toBe(last);
        expect(await store.latestEventIdForSale("s2")).toBe((await store.listEvents("s2")).at(-1)!.id);
        expect(await store.latestEventIdForSale("s2")).toBeGreaterThan(last);
        expect(await store.latestEventIdForSale("nope")).toBe(0);
      });
    });

    describe("listing and summing sales", () => {
      const states: SaleState[] = ["captured", "cancelled", "expired", "refunded", "failed"];
      beforeEach(async () => {
        // 25 ended sales on two terminals, groups of three sharing a creation time, inserted out of order.
        const order = Array.from({ length: 25 }, (_, i) => (i * 7) % 25);
        for (const i of order) {
          const { sale, attempt, event } = newSale(`s${String(i).padStart(2, "0")}`, {
            terminalId: i % 2 === 0 ? "t1" : "t2",
            state: states[i % states.length],
            createdAt: iso(T0 + Math.floor(i / 3) * 60_000),
            amount: 1000 + i,
            currency: i % 5 === 0 ? "EUR" : "NOK",
          });
          await store.insertSale(sale, attempt, event);
        }
      });

      const expectedOrder = () =>
        Array.from({ length: 25 }, (_, i) => ({ id: `s${String(i).padStart(2, "0")}`, createdAt: iso(T0 + Math.floor(i / 3) * 60_000) }))
          .sort((x, y) => (x.createdAt === y.createdAt ? (x.id < y.id ? 1 : -1) : x.createdAt < y.createdAt ? 1 : -1))
          .map((x) => x.id);

      it("pages newest first without duplicates or gaps", async () => {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.listSales({ limit: 7, cursor });
          seen.push(...page.items.map((s) => s.id));
          cursor = page.nextCursor ?? undefined;
          pages += 1;
        } while (cursor);
        expect(pages).toBe(4);
        expect(seen).toEqual(expectedOrder());
        expect((await store.listSales({})).items.map((s) => s.id)).toEqual(expectedOrder());
      });

      it("filters by terminal, state and time, also while paging", async () => {
        const t1 = await store.listSales({ terminalId: "t1", limit: 5 });
        expect(t1.items.every((s) => s.terminalId === "t1")).toBe(true);
        const rest = await store.listSales({ terminalId: "t1", limit: 50, cursor: t1.nextCursor! });
        expect([...t1.items, ...rest.items].map((s) => s.id)).toEqual(expectedOrder().filter((id) => Number(id.slice(1)) % 2 === 0));
        expect(rest.nextCursor).toBeNull();

        expect((await store.listSales({ state: "expired" })).items.map((s) => s.id)).toEqual(expectedOrder().filter((id) => Number(id.slice(1)) % 5 === 2));
        const window = await store.listSales({ from: iso(T0 + 60_000), to: iso(T0 + 180_000) });
        expect(window.items.map((s) => s.id)).toEqual(["s08", "s07", "s06", "s05", "s04", "s03"]);
      });

      it("clamps the page size to 1..200", async () => {
        expect((await store.listSales({ limit: 0 })).items).toHaveLength(1);
        expect((await store.listSales({ limit: 10_000 })).items).toHaveLength(25);
      });

      it("refuses a cursor it did not hand out", async () => {
        const nul = Buffer.from("\u0000\u0000|s01").toString("base64url");
        const noBar = Buffer.from("2026-05-01T10:00:00.000Z").toString("base64url");
        for (const garbage of ["garbage", "%%%", nul, noBar, "AAAA", "w4g"]) {
          const error = await storeErrorOf(store.listSales({ cursor: garbage }));
          expect(error.code, garbage).toBe("invalidCursor");
        }
      });

      it("summarizes count and amount per state and currency", async () => {
        const summary = await store.summarizeSales({});
        const expected = new Map<string, { state: SaleState; currency: string; count: number; amount: number }>();
        for (let i = 0; i < 25; i += 1) {
          const state = states[i % states.length]!;
          const currency = i % 5 === 0 ? "EUR" : "NOK";
          const entry = expected.get(`${state}|${currency}`) ?? { state, currency, count: 0, amount: 0 };
          entry.count += 1;
          entry.amount += 1000 + i;
          expected.set(`${state}|${currency}`, entry);
        }
        expect(summary).toEqual([...expected.values()].sort((x, y) => (x.state === y.state ? (x.currency < y.currency ? -1 : 1) : x.state < y.state ? -1 : 1)));
        expect(await store.summarizeSales({ terminalId: "t2", from: iso(T0), to: iso(T0 + 60_000) })).toEqual([
          { state: "cancelled", currency: "NOK", count: 1, amount: 1001 },
        ]);
        expect(await store.summarizeSales({ terminalId: "t9" })).toEqual([]);
      });
    });

    describe("refunds", () => {
      it("stores, lists in order and updates refunds", async () => {
        const { sale, attempt, event } = newSale("s1", { state: "captured" });
        await store.insertSale({ ...sale, capturedAmount: sale.amount }, attempt, event);
        await store.insertRefund({ id: "r2", saleId: "s1", amount: 500, state: "pending", createdAt: iso(T0 + 2000) });
        await store.insertRefund({ id: "r1", saleId: "s1", amount: 1000, state: "pending", createdAt: iso(T0 + 1000) });
        await store.updateRefund("r1", "done");
        expect(await store.listRefunds("s1")).toEqual([
          { id: "r1", saleId: "s1", amount: 1000, state: "done", createdAt: iso(T0 + 1000) },
          { id: "r2", saleId: "s1", amount: 500, state: "pending", createdAt: iso(T0 + 2000) },
        ]);
        expect(await store.listRefunds("nope")).toEqual([]);
      });
    });

    describe("webhook dedupe", () => {
      it("records an id once, forgets it on request, and prunes old records", async () => {
        const other = await another();
        expect(await store.markWebhookProcessed("w1", iso(T0))).toBe(true);
        expect(await other.markWebhookProcessed("w1", iso(T0 + 1))).toBe(false);
        await store.forgetWebhook("w1");
        expect(await other.markWebhookProcessed("w1", iso(T0 + 2))).toBe(true);
        await store.markWebhookProcessed("w2", iso(T0 + 10));
        await store.markWebhookProcessed("w3", iso(T0 + 20));
        expect(await store.pruneProcessedWebhooks(iso(T0 + 10))).toBe(1);
        expect(await store.pruneProcessedWebhooks(iso(T0 + 10))).toBe(0);
        expect(await store.markWebhookProcessed("w1", iso(T0 + 30))).toBe(true);
        expect(await store.markWebhookProcessed("w2", iso(T0 + 30))).toBe(false);
      });

      it("lets one of many concurrent deliveries of the same webhook through", async () => {
        const other = await another();
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? store : other).markWebhookProcessed("w-same", iso(T0))));
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe("leases", () => {
      it("has one holder at a time across instances; renews, expires, and is released", async () => {
        const other = await another();
        expect(await store.acquireLease("poller", "A", 10_000, T0)).toBe(true);
        expect(await other.acquireLease("poller", "B", 10_000, T0 + 1_000)).toBe(false);
        // A renews, so B's later try still fails.
        expect(await store.acquireLease("poller", "A", 10_000, T0 + 9_000)).toBe(true);
        expect(await other.acquireLease("poller", "B", 10_000, T0 + 15_000)).toBe(false);
        // A stops renewing; once its lease runs out B takes over.
        expect(await other.acquireLease("poller", "B", 10_000, T0 + 19_000)).toBe(true);
        expect(await store.acquireLease("poller", "A", 10_000, T0 + 19_500)).toBe(false);
        // Releasing someone else's lease does nothing; releasing one's own frees it at once.
        await store.releaseLease("poller", "A");
        expect(await store.acquireLease("poller", "A", 10_000, T0 + 20_000)).toBe(false);
        await other.releaseLease("poller", "B");
        expect(await store.acquireLease("poller", "A", 10_000, T0 + 20_000)).toBe(true);
        // Leases are independent by name.
        expect(await other.acquireLease("expiry", "B", 10_000, T0 + 20_000)).toBe(true);
      });

      it("goes to exactly one of many instances trying at the same moment", async () => {
        const instances = [store, await another(), await another()];
        for (const round of [1, 2, 3]) {
          const results = await Promise.all(
            Array.from({ length: 12 }, (_, i) => instances[i % instances.length]!.acquireLease(`race-${round}`, `holder-${i}`, 10_000, T0)),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
        }
        // Epoch milliseconds beyond 2^31 are kept exactly.
        expect(await store.acquireLease("far", "A", 1, 4_102_444_800_000)).toBe(true);
        expect(await store.acquireLease("far", "B", 1, 4_102_444_800_000)).toBe(false);
        expect(await store.acquireLease("far", "B", 1, 4_102_444_800_001)).toBe(true);
      });
    });

    describe("rate limits", () => {
      it("count one key's hits in a window across instances, with the oldest; clear and prune them", async () => {
        const other = await another();
        expect(await store.countRateLimitHits("sign-in", "10.0.0.1", 0)).toEqual({ count: 0 });
        await store.recordRateLimitHit("sign-in", "10.0.0.1", T0);
        await other.recordRateLimitHit("sign-in", "10.0.0.1", T0 + 1_000);
        await other.recordRateLimitHit("sign-in", "10.0.0.1", T0 + 1_000);
        await store.recordRateLimitHit("sign-in", "10.0.0.2", T0 + 500);
        await store.recordRateLimitHit("pairing", "10.0.0.1", T0 + 500);
        expect(await other.countRateLimitHits("sign-in", "10.0.0.1", T0 - 1)).toEqual({ count: 3, oldestMs: T0 });
        // The window starts after `sinceMs`.
        expect(await store.countRateLimitHits("sign-in", "10.0.0.1", T0)).toEqual({ count: 2, oldestMs: T0 + 1_000 });
        await store.clearRateLimitHits("sign-in", "10.0.0.1");
        expect(await other.countRateLimitHits("sign-in", "10.0.0.1", 0)).toEqual({ count: 0 });
        expect(await store.countRateLimitHits("sign-in", "10.0.0.2", 0)).toEqual({ count: 1, oldestMs: T0 + 500 });
        // Pruning drops hits up to and including the time given.
        expect(await store.pruneRateLimitHits(T0 + 500)).toBe(2);
        expect(await store.pruneRateLimitHits(T0 + 500)).toBe(0);
        expect(await store.countRateLimitHits("pairing", "10.0.0.1", 0)).toEqual({ count: 0 });
      });
    });

    describe("display presence and live carts", () => {
      const seen = (displayId: string, atMs: number, extra: Partial<DisplayPresenceSeen> = {}): DisplayPresenceSeen => ({
        displayId,
        terminalId: "t1",
        kind: "link",
        userAgent: "Kiosk/1.0",
        screen: "1080x1920",
        atMs,
        ...extra,
      });

      it("records displays seen across instances, newest first, keeps the screen an empty report does not know, and marks disconnects", async () => {
        const other = await another();
        await store.recordDisplaySeen(seen("d1", T0));
        await other.recordDisplaySeen(seen("d2", T0 + 2_000, { kind: "paired", terminalId: "t1" }));
        await store.recordDisplaySeen(seen("d3", T0 + 1_000, { terminalId: "t2" }));
        await other.recordDisplaySeen(seen("d1", T0 + 3_000, { screen: "" }));
        expect(await store.listDisplayPresence("t1", 0)).toEqual([
          { displayId: "d1", terminalId: "t1", kind: "link", userAgent: "Kiosk/1.0", screen: "1080x1920", connectedAt: iso(T0), lastSeenAtMs: T0 + 3_000 },
          { displayId: "d2", terminalId: "t1", kind: "paired", userAgent: "Kiosk/1.0", screen: "1080x1920", connectedAt: iso(T0 + 2_000), lastSeenAtMs: T0 + 2_000 },
        ]);
        expect((await store.listDisplayPresence("t1", T0 + 2_500)).map((p) => p.displayId)).toEqual(["d1"]);
        await other.recordDisplayDisconnected("d1", T0 + 4_000);
        expect((await store.listDisplayPresence("t1", 0))[0]).toMatchObject({ displayId: "d1", disconnectedAtMs: T0 + 4_000 });
        // Back again: connected from now, no longer disconnected.
        await store.recordDisplaySeen(seen("d1", T0 + 9_000));
        const back = (await store.listDisplayPresence("t1", 0))[0]!;
        expect(back).toMatchObject({ displayId: "d1", connectedAt: iso(T0 + 9_000), lastSeenAtMs: T0 + 9_000 });
        expect(back.disconnectedAtMs).toBeUndefined();
        expect(await store.pruneDisplayPresence(T0 + 5_000)).toBe(2);
        expect((await store.listDisplayPresence("t2", 0))).toEqual([]);
      });

      it("keeps Vipps' QR image of an attempt once, and prunes old ones", async () => {
        const other = await another();
        expect(await store.getQrImage("att_1")).toBeUndefined();
        await store.saveQrImage("att_1", { contentType: "image/svg+xml", body: "<svg/>" }, iso(T0));
        await other.saveQrImage("att_1", { contentType: "image/svg+xml", body: "<svg>second</svg>" }, iso(T0 + 1));
        expect(await other.getQrImage("att_1")).toEqual({ contentType: "image/svg+xml", body: "<svg/>" });
        await store.saveQrImage("att_2", { contentType: "image/svg+xml", body: "<svg/>" }, iso(T0 + 5_000));
        expect(await store.pruneQrImages(iso(T0 + 1_000))).toBe(1);
        expect(await store.getQrImage("att_1")).toBeUndefined();
        expect(await store.getQrImage("att_2")).toBeDefined();
      });

      it("keeps one cart per terminal, replaced whole, and clears it", async () => {
        const other = await another();
        expect(await store.getCart("t1")).toBeUndefined();
        await store.saveCart("t1", { currency: "NOK", lines: [{ name: "Kaffe", quantity: 1 }] }, iso(T0));
        await other.saveCart("t1", { currency: "NOK", lines: [] }, iso(T0 + 1_000));
        expect(await store.getCart("t1")).toEqual({ cart: { currency: "NOK", lines: [] }, updatedAt: iso(T0 + 1_000) });
        expect(await other.clearCart("t1")).toBe(true);
        expect(await store.clearCart("t1")).toBe(false);
        expect(await store.getCart("t1")).toBeUndefined();
      });
    });

    describe("display devices and pairings", () => {
      const device = (id: string, terminalId: string, createdAt: string, extra: Partial<DisplayDevice> = {}): DisplayDevice => ({
        id,
        terminalId,
        tokenHash: `hash-of-${id}`,
        label: `Display ${id}`,
        createdAt,
        ...extra,
      });

      it("lists devices oldest first, per terminal or all, revoked ones included", async () => {
        expect(await store.listDevices()).toEqual([]);
        await store.saveDevice(device("d-late", "t1", iso(T0 + 3000)));
        await store.saveDevice(device("d-other", "t2", iso(T0 + 2000)));
        await store.saveDevice(device("d-early", "t1", iso(T0)));
        await store.saveDevice(device("d-revoked", "t1", iso(T0 + 1000), { revokedAt: iso(T0 + 1500) }));
        expect((await store.listDevices("t1")).map((d) => d.id)).toEqual(["d-early", "d-revoked", "d-late"]);
        expect((await store.listDevices()).map((d) => d.id)).toEqual(["d-early", "d-revoked", "d-other", "d-late"]);
        expect(await store.listDevices("t9")).toEqual([]);
        expect((await store.listDevices("t2"))[0]).toEqual({ ...device("d-other", "t2", iso(T0 + 2000)), revokedAt: undefined });
      });

      it("revokes once, keeps the first time, finds by token hash, and keeps the revocation on a fresh save", async () => {
        await store.saveDevice(device("d1", "t1", iso(T0)));
        expect(await store.revokeDevice("nope", iso(T0 + 1))).toBe(false);
        expect(await store.revokeDevice("d1", iso(T0 + 1000))).toBe(true);
        expect(await store.revokeDevice("d1", iso(T0 + 2000))).toBe(true);
        expect((await store.getDeviceByTokenHash("hash-of-d1"))?.revokedAt).toBe(iso(T0 + 1000));
        const fresh = (await store.getDeviceByTokenHash("hash-of-d1"))!;
        await store.saveDevice({ ...fresh, label: "Renamed", tokenHash: "ignored-on-update" });
        expect(await store.getDeviceByTokenHash("hash-of-d1")).toMatchObject({ label: "Renamed", revokedAt: iso(T0 + 1000) });
        expect(await store.getDeviceByTokenHash("nope")).toBeUndefined();
      });

      it("finds the newest unclaimed pairing by code and records its claim", async () => {
        await store.savePairing({ id: "p-old", code: "ABCD23", expiresAt: iso(T0 + 1000) });
        await store.savePairing({ id: "p-new", code: "ABCD23", expiresAt: iso(T0 + 5000) });
        await store.savePairing({ id: "p-x", code: "ZZZZ99", expiresAt: iso(T0 + 9000) });
        expect(await store.getPairingByCode("ABCD23")).toEqual({ id: "p-new", code: "ABCD23", expiresAt: iso(T0 + 5000), terminalId: undefined, deviceToken: undefined, claimedAt: undefined });
        await store.savePairing({ id: "p-new", code: "ABCD23", expiresAt: iso(T0 + 5000), terminalId: "t1", deviceToken: "device-token" });
        expect((await store.getPairingByCode("ABCD23"))?.id).toBe("p-old");
        expect(await store.getPairing("p-new")).toMatchObject({ terminalId: "t1", deviceToken: "device-token", claimedAt: undefined });
        await store.savePairing({ id: "p-new", code: "ABCD23", expiresAt: iso(T0 + 5000), terminalId: "t1", claimedAt: iso(T0 + 100) });
        expect(await store.getPairing("p-new")).toMatchObject({ terminalId: "t1", deviceToken: undefined, claimedAt: iso(T0 + 100) });
        expect(await store.getPairingByCode("NONE00")).toBeUndefined();
        expect(await store.getPairing("nope")).toBeUndefined();
      });

      it("deletes pairings that ran out unused, and keeps live and completed ones", async () => {
        await store.savePairing({ id: "p-stale", code: "ABCD23", expiresAt: iso(T0 + 1000) });
        await store.savePairing({ id: "p-live", code: "EFGH34", expiresAt: iso(T0 + 9000) });
        await store.savePairing({ id: "p-done", code: "JKMN46", expiresAt: iso(T0 + 1000), terminalId: "t1", claimedAt: iso(T0 + 500) });
        expect(await store.pruneExpiredPairings(iso(T0 + 2000))).toBe(1);
        expect(await store.getPairing("p-stale")).toBeUndefined();
        expect(await store.getPairing("p-live")).toBeDefined();
        expect(await store.getPairing("p-done")).toBeDefined();
      });
    });

    // --- Go-live evidence (issue 10): outgoing Vipps requests and the event log summed up ----------
    describe("go-live evidence: Vipps requests and the event log", () => {
      const request = (operation: string, at: number, extra: Partial<NewVippsRequestRecord> = {}): NewVippsRequestRecord => ({
        operation,
        method: "POST",
        path: "/epayment/v1/payments",
        attempt: 1,
        systemHeaders: { "Vipps-System-Name": "kassa-display", "Vipps-System-Plugin-Name": "kassa-display-pos" },
        summary: { customerInteraction: "CUSTOMER_PRESENT", receipt: { orderLines: 2 } },
        at: iso(at),
        ...extra,
      });

      it("records requests across instances, newest first, and prunes each operation to its newest few", async () => {
        const other = await another();
        for (let i = 0; i < 5; i += 1) await (i % 2 ? other : store).recordVippsRequest(request("createPayment", T0 + i * 1000, { reference: `ref-${i}` }), 3);
        await other.recordVippsRequest(request("getPayment", T0 + 10_000, { method: "GET", path: "/epayment/v1/payments/ref-4", reference: "ref-4", attempt: 2 }), 3);
        await store.recordVippsRequest(request("fetchAccessToken", T0 + 11_000, { path: "/accesstoken/get", summary: {} }), 3);

        const creates = await store.listVippsRequests({ operation: "createPayment" });
        expect(creates.map((r) => r.reference)).toEqual(["ref-4", "ref-3", "ref-2"]);
        expect(creates[0]).toEqual({
          id: expect.any(Number),
          operation: "createPayment",
          method: "POST",
          path: "/epayment/v1/payments",
          reference: "ref-4",
          attempt: 1,
          systemHeaders: { "Vipps-System-Name": "kassa-display", "Vipps-System-Plugin-Name": "kassa-display-pos" },
          summary: { customerInteraction: "CUSTOMER_PRESENT", receipt: { orderLines: 2 } },
          at: iso(T0 + 4000),
        });
        // The pruning of one operation leaves the others alone.
        const all = await other.listVippsRequests();
        expect(all.map((r) => r.operation)).toEqual(["fetchAccessToken", "getPayment", "createPayment", "createPayment", "createPayment"]);
        expect(all[0]?.reference).toBeUndefined();
        expect(all[1]).toMatchObject({ method: "GET", attempt: 2, reference: "ref-4" });
        expect((await store.listVippsRequests({ limit: 2 })).map((r) => r.operation)).toEqual(["fetchAccessToken", "getPayment"]);
        expect(await store.listVippsRequests({ operation: "refundPayment" })).toEqual([]);
      });

      it("keeps at least the newest few of each operation and never more than twice as many, however many are recorded", async () => {
        const other = await another();
        const keep = 4;
        const counts: number[] = [];
        for (let i = 0; i < 30; i += 1) {
          await (i % 2 ? other : store).recordVippsRequest(request(i % 3 ? "getPayment" : "capturePayment", T0 + i * 1000, { reference: `ref-${i}` }), keep);
          const gets = await store.listVippsRequests({ operation: "getPayment" });
          const captures = await store.listVippsRequests({ operation: "capturePayment" });
          // The newest `keep` (or all so far) of each are always there, newest first.
          const made = Array.from({ length: i + 1 }, (_, n) => n);
          expect(gets.slice(0, keep).map((r) => r.reference)).toEqual(made.filter((n) => n % 3).reverse().slice(0, keep).map((n) => `ref-${n}`));
          expect(captures.slice(0, keep).map((r) => r.reference)).toEqual(made.filter((n) => n % 3 === 0).reverse().slice(0, keep).map((n) => `ref-${n}`));
          counts.push(gets.length, captures.length);
        }
        expect(Math.max(...counts)).toBeLessThanOrEqual(2 * keep);
        // Pruned along the way: 20 gets and 10 captures were recorded.
        expect((await store.listVippsRequests({ operation: "getPayment" })).length).toBeLessThan(20);
        expect((await store.listVippsRequests({ operation: "capturePayment" })).length).toBeLessThan(10);
      });

      it("sums the event log per type and source, and lists the newest events of some types across sales", async () => {
        expect(await store.countSaleEvents()).toEqual([]);
        expect(await store.listRecentSaleEvents({ types: ["payment.captured"], limit: 5 })).toEqual([]);
        const other = await another();
        const one = newSale("s1", { createdAt: iso(T0) });
        const two = newSale("s2", { terminalId: "t2", createdAt: iso(T0 + 1000) });
        await store.insertSale(one.sale, one.attempt, one.event);
        await other.insertSale(two.sale, two.attempt, two.event);
        await store.appendEvent({ saleId: "s1", type: "payment.authorized", source: "webhook", at: iso(T0 + 2000) });
        await other.appendEvent({ saleId: "s2", type: "payment.authorized", source: "poll", at: iso(T0 + 3000) });
        await store.appendEvent({ saleId: "s1", type: "payment.captured", source: "webhook", detail: { capturedAmount: 4990 }, at: iso(T0 + 4000) });
        await other.appendEvent({ saleId: "s2", type: "payment.authorized", source: "poll", at: iso(T0 + 5000) });

        expect(await other.countSaleEvents()).toEqual([
          { type: "payment.authorized", source: "poll", count: 2, lastAt: iso(T0 + 5000) },
          { type: "payment.authorized", source: "webhook", count: 1, lastAt: iso(T0 + 2000) },
          { type: "payment.captured", source: "webhook", count: 1, lastAt: iso(T0 + 4000) },
          { type: "sale.created", source: "api", count: 2, lastAt: iso(T0 + 1000) },
        ]);
        const recent = await store.listRecentSaleEvents({ types: ["payment.captured", "payment.authorized"], limit: 3 });
        expect(recent.map((e) => [e.saleId, e.type, e.source])).toEqual([
          ["s2", "payment.authorized", "poll"],
          ["s1", "payment.captured", "webhook"],
          ["s2", "payment.authorized", "poll"],
        ]);
        expect(recent[1]).toMatchObject({ detail: { capturedAmount: 4990 }, at: iso(T0 + 4000) });
        expect(await store.listRecentSaleEvents({ types: [], limit: 3 })).toEqual([]);
      });
    });
  });
}

conformance(sqliteBackend());
conformance(postgresBackend());

describe("openStore without its database", () => {
  it("fails, and says why, when PostgreSQL cannot be reached", async () => {
    await expect(openStore({ dataDir: tmpdir(), databaseUrl: "postgresql://postgres@127.0.0.1:1/nothing" })).rejects.toThrow(/ECONNREFUSED/);
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
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(index + 1, "2026-01-01T00:00:00.000Z");
    });
    const { sale } = newSale("old-sale", { idempotencyKey: "order-old", autoCapture: true });
    db.prepare("INSERT INTO terminals VALUES ('t1', 'Counter t1', 't1', 'nb', 'NOK', 'token-t1', ?)").run(iso(T0));
    db.prepare(
      `INSERT INTO sales (id, terminal_id, receipt_number, currency, amount, description, lines, state, auto_capture,
         current_attempt_id, attempt_count, idempotency_key, request_hash, active_terminal_id, created_at, updated_at)
       VALUES (?, 't1', ?, 'NOK', ?, ?, ?, 'pending', 1, ?, 1, 'order-old', ?, 't1', ?, ?)`,
    ).run(sale.id, sale.receiptNumber, sale.amount, sale.description, JSON.stringify(sale.lines), sale.currentAttemptId, sale.requestHash, sale.createdAt, sale.updatedAt);
    db.prepare("INSERT INTO sale_events (sale_id, type, source, to_state, detail, at) VALUES ('old-sale', 'sale.created', 'api', 'pending', '{\"amount\":4990}', ?)").run(sale.createdAt);
    db.close();
    return dataDir;
  }

  it("opens without running versions 1 and 2 again, and reads what it wrote", async () => {
    const dataDir = earlierDataDir("both", [EARLIER_VERSION_1, EARLIER_VERSION_2]);
    const { store } = await openStore({ dataDir });
    try {
      expect(await store.getSale("old-sale")).toEqual(newSale("old-sale", { idempotencyKey: "order-old", autoCapture: true }).sale);
      expect((await store.listEvents("old-sale"))[0]?.detail).toEqual({ amount: 4990 });
      const error = await storeErrorOf(store.insertSale(newSale("new-sale").sale, newSale("new-sale").attempt, newSale("new-sale").event));
      expect(error.details).toEqual({ terminalId: "t1", activeSaleId: "old-sale" });
      expect(await store.acquireLease("poller", "A", 1000, T0)).toBe(true);
    } finally {
      await store.close();
    }
    const db = new BetterSqlite3(path.join(dataDir, "kassa.sqlite"), { readonly: true });
    const applied = db.prepare("SELECT version, applied_at FROM schema_migrations ORDER BY version").all() as { version: number; applied_at: string }[];
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
      expect((await store.getSale("old-sale"))?.state).toBe("pending");
      expect(await store.acquireLease("poller", "A", 1000, T0)).toBe(true);
    } finally {
      await store.close();
    }
    const db = new BetterSqlite3(path.join(dataDir, "kassa.sqlite"), { readonly: true });
    const applied = db.prepare("SELECT version, applied_at FROM schema_migrations ORDER BY version").all() as { version: number; applied_at: string }[];
    db.close();
    expect(applied.map((row) => row.version)).toEqual(VERSIONS);
    expect(applied[0]).toEqual({ version: 1, applied_at: "2026-01-01T00:00:00.000Z" });
    expect(applied[1]?.applied_at).not.toBe("2026-01-01T00:00:00.000Z");
  });
});
