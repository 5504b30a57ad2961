import "server-only";
import path from "node:path";
import { sql } from "kysely";
import { connectPostgres, connectSqlite, type StoreConnection } from "./connect";
import { KyselyStore } from "./kysely-store";
import { migrate } from "./migrations";
import type { Store } from "./store";

export type StoreKind = "sqlite" | "postgresql";

/**
 * The app's store: PostgreSQL when a database URL is given (several app instances may share it),
 * else the SQLite file kassa.sqlite in the data directory (created when missing). The schema is
 * migrated before this returns.
 */
export async function openStore(options: {
  dataDir: string;
  databaseUrl?: string;
}): Promise<{ store: Store; kind: StoreKind; ping: () => Promise<void> }> {
  const file = path.join(options.dataDir, "kassa.sqlite");
  const kind: StoreKind = options.databaseUrl ? "postgresql" : "sqlite";
  // Named without the URL's credentials: this message is printed when the app cannot start.
  const where = options.databaseUrl ? `PostgreSQL at ${databaseName(options.databaseUrl)}` : `SQLite at ${file}`;
  try {
    const connection = options.databaseUrl ? connectPostgres(options.databaseUrl) : connectSqlite(file);
    const store = await openMigrated(connection);
    const { db } = connection;
    // The cheapest round trip to the database, for the health check.
    return { store, kind, ping: async () => void (await sql`select 1`.execute(db)) };
  } catch (error) {
    throw new Error(`Cannot open the store (${where}): ${reasonOf(error)}`, { cause: error });
  }
}

/** host:port/database, never the user or password. */
function databaseName(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.host}${url.pathname}`;
  } catch {
    return "the DATABASE_URL";
  }
}

/** One line: a connection to "localhost" that fails on every address is an AggregateError with no message. */
function reasonOf(error: unknown): string {
  const first = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  const message =
    first instanceof Error ? first.message || String((first as { code?: unknown }).code ?? first.name) : String(first);
  return message.split("\n")[0] ?? message;
}

/** A migrated store on a SQLite file (":memory:" for a private in-memory database). */
export function openSqliteStore(file: string): Promise<KyselyStore> {
  return openMigrated(connectSqlite(file));
}

/** A migrated store on a PostgreSQL database, with a connection pool of its own. */
export function openPostgresStore(
  databaseUrl: string,
  options: { maxConnections?: number } = {},
): Promise<KyselyStore> {
  return openMigrated(connectPostgres(databaseUrl, options));
}

/** Migrates, then builds the store; `Kind` lets tests build a store of their own on the connection. */
export async function openMigrated<T = KyselyStore>(
  connection: StoreConnection,
  Kind: new (connection: StoreConnection) => T = KyselyStore as new (
    connection: StoreConnection,
  ) => T,
): Promise<T> {
  try {
    await migrate(connection);
  } catch (error) {
    // The migration's failure is the one to report; should closing fail after it, both are.
    const closing = await connection.db.destroy().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    throw closing === undefined
      ? error
      : new AggregateError(
          [error, closing],
          "Migrating the store failed, and closing its connection afterwards failed too",
        );
  }
  return new Kind(connection);
}

export { KyselyStore };
