import type Database from "better-sqlite3";
import { connectSqlite, type StoreConnection } from "@/lib/store/connect";
import { type KyselyStore, openMigrated } from "@/lib/store/index";

/**
 * A fresh, migrated store on a private in-memory SQLite database: the real store without a file.
 * Opening it is asynchronous (migrations), so tests `await memoryStore()` before using it. Pass a
 * subclass to stage failures around the real methods: `await memoryStore(StagedStore)`.
 */
export async function memoryStore(): Promise<KyselyStore>;
export async function memoryStore<T extends KyselyStore>(Kind: new (connection: StoreConnection) => T): Promise<T>;
export async function memoryStore(Kind?: new (connection: StoreConnection) => KyselyStore): Promise<KyselyStore> {
  return openMigrated(connectSqlite(":memory:"), Kind);
}

/** The store and the better-sqlite3 handle under it, for tests that check the rows themselves. */
export async function memoryStoreWithDatabase(): Promise<{ store: KyselyStore; database: Database.Database }> {
  const connection = connectSqlite(":memory:");
  return { store: await openMigrated(connection), database: connection.database };
}
