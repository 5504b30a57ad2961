import "server-only";
import path from "node:path";
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
export async function openStore(options: { dataDir: string; databaseUrl?: string }): Promise<{ store: Store; kind: StoreKind }> {
  if (options.databaseUrl) return { store: await openPostgresStore(options.databaseUrl), kind: "postgresql" };
  return { store: await openSqliteStore(path.join(options.dataDir, "kassa.sqlite")), kind: "sqlite" };
}

/** A migrated store on a SQLite file (":memory:" for a private in-memory database). */
export function openSqliteStore(file: string): Promise<KyselyStore> {
  return openMigrated(connectSqlite(file));
}

/** A migrated store on a PostgreSQL database, with a connection pool of its own. */
export function openPostgresStore(databaseUrl: string, options: { maxConnections?: number } = {}): Promise<KyselyStore> {
  return openMigrated(connectPostgres(databaseUrl, options));
}

/** Migrates, then builds the store; `Kind` lets tests build a store of their own on the connection. */
export async function openMigrated<T = KyselyStore>(
  connection: StoreConnection,
  Kind: new (connection: StoreConnection) => T = KyselyStore as new (connection: StoreConnection) => T,
): Promise<T> {
  try {
    await migrate(connection);
  } catch (error) {
    await connection.db.destroy().catch(() => undefined);
    throw error;
  }
  return new Kind(connection);
}

export { KyselyStore };
