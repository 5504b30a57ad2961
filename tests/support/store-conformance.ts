/**
 * The conformance suite's harness: each repository's slice (tests/unit/store-*.test.ts) runs
 * against each backend, SQLite (a file in a temp dir) and PostgreSQL (a throwaway database made
 * for the run, dropped afterwards). Same tests, same expectations: whatever the app relies on must
 * hold on both, including what it relies on when several app instances (separate store instances,
 * separate connections) act at the same moment.
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
import { afterAll, afterEach, beforeAll, beforeEach, describe } from "vitest";
import type { Currency } from "@/lib/entities/money";
import type { NewSaleEvent, PaymentAttempt, Sale, SaleState } from "@/lib/entities/sale";
import type { Terminal } from "@/lib/entities/terminal";
import { isStoreError, type StoreError } from "@/lib/errors";
import { openPostgresStore, openSqliteStore } from "@/lib/store/index";
import { MIGRATIONS } from "@/lib/store/migrations";
import type { Store } from "@/lib/store/store";

/** The server the throwaway databases are made on; the same variable as tests/support/pg-database.ts. */
const PG_ADMIN_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
/** Every schema version the store knows, oldest first. */
export const VERSIONS = MIGRATIONS.map((migration) => migration.version);

// --- Fixtures ------------------------------------------------------------------------------------

export const T0 = Date.parse("2026-05-01T10:00:00.000Z");
export const iso = (ms: number) => new Date(ms).toISOString();

export const terminal = (id: string, extra: Partial<Terminal> = {}): Terminal => ({
  id,
  name: `Counter ${id}`,
  posId: id,
  language: "nb",
  currency: "NOK",
  displayToken: `token-${id}`,
  createdAt: iso(T0),
  chime: true,
  storeId: "store-1",
  ...extra,
});

export interface SaleOptions {
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
export function newSale(id: string, o: SaleOptions = {}): { sale: Sale; attempt: PaymentAttempt; event: NewSaleEvent } {
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
      {
        id: "l1",
        name: "Kaffe ☕",
        quantity: 1,
        unitPrice: amount,
        taxRate: 2500,
        totalAmount: amount,
        taxAmount: Math.round(amount / 5),
        productId: "p-kaffe",
      },
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
    storeId: "store-1",
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
  return {
    sale,
    attempt,
    event: { type: "sale.created", source: "api", toState: sale.state, detail: { amount, lines: 1 }, at: createdAt },
  };
}

export const attemptFor = (saleId: string, id: string, at: number): PaymentAttempt => ({
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

export async function storeErrorOf(promise: Promise<unknown>): Promise<StoreError> {
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
export interface RawSession {
  exec(sql: string): Promise<void>;
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export interface TestDatabase {
  /** What the app would pass to openStore to reach this database. */
  openOptions: { dataDir: string; databaseUrl?: string };
  /** Opens one more store instance (its own connection or pool) on this database. */
  open(): Promise<Store>;
  raw(): Promise<RawSession>;
  /** Resolves once some other connection is waiting for a lock the raw session holds. */
  writerIsWaiting(): Promise<void>;
}

export interface Backend {
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
    ready.status === 0
      ? undefined
      : `pg_isready -d ${PG_ADMIN_URL} failed: ${(ready.error?.message ?? `${ready.stdout}${ready.stderr}`).trim()}`;
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
        const { rows } = await admin!.query(
          "SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = $1",
          [name],
        );
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
        const free = [...pending.keys()].filter(
          (table) => ![...pending.values()].some((references) => references.includes(table)),
        );
        if (free.length === 0) throw new Error(`foreign keys form a cycle among ${[...pending.keys()].join(", ")}`);
        for (const table of free) {
          order.push(table);
          pending.delete(table);
        }
      }
      // The rows migrations seed (store 1's placeholder) are put back, as a migrated database has them.
      const seeds = MIGRATIONS.flatMap((migration) => migration.postgresql).filter((statement) =>
        statement.trimStart().startsWith("INSERT INTO"),
      );
      await cleaner!.query(
        `BEGIN; ${order.map((table) => `DELETE FROM ${table};`).join(" ")} ${seeds.map((seed) => `${seed};`).join(" ")} COMMIT`,
      );
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

/** What a slice of the suite works with, for the test that is running. */
export interface ConformanceContext {
  backend: Backend;
  /** The test's database, empty and migrated but for terminals t1 and t2. */
  database: TestDatabase;
  /** An app instance on the test's database. */
  store: Store;
  /** Another app instance on the same database: a store with its own connection(s). */
  another(): Promise<Store>;
  /** A connection outside the store, closed after the test. */
  rawSession(): Promise<RawSession>;
  /** Stores and sessions a test opened itself, closed after it. */
  opened: Store[];
  rawSessions: RawSession[];
}

/** Runs a slice of the suite on each backend, each test on a fresh database. */
export function conformance(subject: string, slice: (context: ConformanceContext) => void): void {
  for (const backend of [sqliteBackend(), postgresBackend()]) {
    const title = backend.unavailable
      ? `${subject} conformance: ${backend.name} (SKIPPED: ${backend.unavailable})`
      : `${subject} conformance: ${backend.name}`;
    if (backend.unavailable) console.warn(`[store-conformance] ${title}`);

    describe.skipIf(backend.unavailable !== undefined)(title, () => {
      const context = {
        backend,
        opened: [] as Store[],
        rawSessions: [] as RawSession[],
        async another() {
          const instance = await context.database.open();
          context.opened.push(instance);
          return instance;
        },
        async rawSession() {
          const session = await context.database.raw();
          context.rawSessions.push(session);
          return session;
        },
      } as ConformanceContext;

      beforeAll(() => backend.setUp());
      afterAll(() => backend.tearDown());

      beforeEach(async () => {
        context.database = await backend.fresh();
        context.store = await context.another();
        await context.store.counters.saveTerminal(terminal("t1"));
        await context.store.counters.saveTerminal(terminal("t2"));
      });

      afterEach(async () => {
        for (const session of context.rawSessions.splice(0)) await session.close();
        for (const instance of context.opened.splice(0)) await instance.close();
      });

      slice(context);
    });
  }
}
