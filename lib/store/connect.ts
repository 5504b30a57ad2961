import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import BetterSqlite3 from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type QueryResult,
  SqliteDialect,
  SqliteDriver,
} from "kysely";
import pg from "pg";
import type { Database } from "./schema";

export type StoreDialect = "sqlite" | "postgresql";

/** A Kysely instance and which database it talks to, for the few places that must differ. */
export interface StoreConnection {
  db: Kysely<Database>;
  dialect: StoreDialect;
}

/** How long a new PostgreSQL connection may take before the query that wanted it fails. */
export const PG_CONNECT_TIMEOUT_MS = 5_000;

/** How long a write waits for another connection's write lock on SQLite before it gives up. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/**
 * SQLite through better-sqlite3. The file's directory is created when missing; ":memory:" gives a
 * private in-memory database. The raw handle is returned as well, for tests that look at rows.
 */
export function connectSqlite(file: string): StoreConnection & { database: BetterSqlite3.Database } {
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  // The constructor's timeout only covers the pragmas below (switching to WAL needs a lock).
  const database = new BetterSqlite3(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("foreign_keys = ON");
  // better-sqlite3 waits for a lock synchronously, which would stop the one event loop that the
  // lock's holder (another store in this process, mid-transaction) needs to finish; the dialect
  // below waits asynchronously instead.
  database.pragma("busy_timeout = 0");
  return { db: new Kysely<Database>({ dialect: new StoreSqliteDialect(database) }), dialect: "sqlite", database };
}

/**
 * PostgreSQL through a pg.Pool of its own. Its int8 columns and aggregates (COUNT, SUM of an
 * INTEGER, the event log's BIGINT ids, lease times in epoch ms) come back as numbers: every such
 * value here is far below 2^53. The parser is set on this pool only, not pg's global type table,
 * so other pg users in the process keep pg's defaults.
 */
export function connectPostgres(connectionString: string, options: { maxConnections?: number } = {}): StoreConnection {
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    // An unreachable server (a dropped packet, not a refusal) would otherwise leave a query, or the
    // start-up, waiting for a connection for as long as the kernel tries: minutes.
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === pg.types.builtins.INT8 && format !== "binary"
          ? Number
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection that the server drops emits 'error' on the pool; unhandled, that would end
  // the process. The next query simply gets a new connection.
  pool.on("error", () => undefined);
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: "postgresql" };
}

/**
 * Kysely's SQLite dialect with two changes. Transactions start with BEGIN IMMEDIATE, so a
 * transaction holds the write lock from its first statement: a read-then-write transaction can
 * never fail half-way because another connection wrote in between, and it serialises migrations.
 * And a statement that finds the database locked by another connection is retried after a short
 * asynchronous pause, up to SQLITE_BUSY_TIMEOUT_MS, in place of SQLite's blocking busy handler.
 */
class StoreSqliteDialect extends SqliteDialect {
  constructor(private readonly database: BetterSqlite3.Database) {
    super({ database });
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.database);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  /** SQLite has one connection; Kysely's mutex (in super.acquireConnection) hands it out in turn. */
  private connection: BusyRetryConnection | undefined;

  constructor(private readonly database: BetterSqlite3.Database) {
    super({ database });
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const plain = await super.acquireConnection();
    this.connection ??= new BusyRetryConnection(new CachedStatementConnection(plain, this.database), this.database);
    return this.connection;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

/** Statements kept prepared, by SQL text: far more than the store's distinct queries. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Runs each statement from a cache of prepared ones, as better-sqlite3 recommends, instead of
 * preparing it anew on every call as Kysely's SQLite connection does: preparing was the heaviest
 * single cost of a sale in the burst profile (bench/burst.ts). The store's queries are a few dozen
 * SQL texts with their values bound as parameters, so the cache stays small. Streaming keeps Kysely's own path: an
 * iterating statement cannot run anything else meanwhile.
 */
class CachedStatementConnection implements DatabaseConnection {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly plain: DatabaseConnection,
    private readonly database: BetterSqlite3.Database,
  ) {}

  private prepared(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      // Past the bound something builds SQL texts without end; start over rather than keep order
      // for an LRU on every call (the store's own texts are far fewer).
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      statement = this.database.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.prepared(query.sql);
    const parameters = query.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.plain.streamQuery<R>(query, chunkSize);
  }
}

class BusyRetryConnection implements DatabaseConnection {
  constructor(
    private readonly inner: DatabaseConnection,
    private readonly database: BetterSqlite3.Database,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
    for (let pauseMs = 1; ; pauseMs = Math.min(pauseMs * 2, 25)) {
      try {
        return await this.inner.executeQuery<R>(query);
      } catch (error) {
        // Only a statement outside a transaction (BEGIN IMMEDIATE itself, or an autocommit write)
        // may be repeated: when it found the database busy it did nothing.
        if (!isBusy(error) || this.database.inTransaction || Date.now() >= deadline) throw error;
        await sleep(pauseMs + Math.random() * pauseMs);
      }
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}
