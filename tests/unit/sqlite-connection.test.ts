/**
 * The SQLite connection under the store: statements are prepared once per SQL text and reused,
 * and reuse changes nothing about what a statement returns, writes or reports.
 */
import { sql } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { connectSqlite } from "@/lib/store/connect";
import { openMigrated } from "@/lib/store/index";
import { TestStore } from "../support/memory-store";

async function countingStore() {
  const connection = connectSqlite(":memory:");
  const store = await openMigrated(connection, TestStore);
  const prepare = vi.spyOn(connection.database, "prepare");
  return { store, connection, prepare };
}

describe("the SQLite connection", () => {
  it("prepares a query once and reuses it for later calls with other values", async () => {
    const { store, prepare } = await countingStore();
    await store.setSetting("a", "1");
    await store.setSetting("b", "2");
    expect(await store.getSetting("a")).toBe("1");
    expect(await store.getSetting("b")).toBe("2");
    expect(await store.getSetting("missing")).toBeUndefined();
    const texts = prepare.mock.calls.map(([text]) => text);
    // One upsert and one select, whatever the number of calls.
    expect(texts).toHaveLength(2);
    expect(new Set(texts).size).toBe(2);
    await store.close();
  });

  it("gives a reused write statement's changed-row count and insert id afresh each time", async () => {
    const { connection } = await countingStore();
    const { db } = connection;
    await sql`CREATE TABLE counted (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL)`.execute(db);
    const insert = (label: string) => sql`INSERT INTO counted (label) VALUES (${label})`.execute(db);
    expect((await insert("x")).insertId).toBe(1n);
    expect((await insert("y")).insertId).toBe(2n);
    const rename = (from: string) => sql`UPDATE counted SET label = 'z' WHERE label = ${from}`.execute(db);
    expect((await rename("x")).numAffectedRows).toBe(1n);
    expect((await rename("x")).numAffectedRows).toBe(0n);
    await db.destroy();
  });

  it("keeps a reused statement usable after it failed", async () => {
    const { connection } = await countingStore();
    const { db } = connection;
    await sql`CREATE TABLE unique_labels (label TEXT PRIMARY KEY)`.execute(db);
    const insert = (label: string) => sql`INSERT INTO unique_labels (label) VALUES (${label})`.execute(db);
    await insert("a");
    await expect(insert("a")).rejects.toThrow(/UNIQUE/);
    await insert("b");
    const rows = await sql<{ label: string }>`SELECT label FROM unique_labels ORDER BY label`.execute(db);
    expect(rows.rows.map((row) => row.label)).toEqual(["a", "b"]);
    await db.destroy();
  });

  it("rolls back a transaction whose statements were all reused", async () => {
    const { store, connection } = await countingStore();
    await store.setSetting("kept", "before");
    await expect(
      connection.db.transaction().execute(async (trx) => {
        await sql`UPDATE settings SET value = 'inside' WHERE key = 'kept'`.execute(trx);
        throw new Error("abandon");
      }),
    ).rejects.toThrow("abandon");
    expect(await store.getSetting("kept")).toBe("before");
    await store.close();
  });

  it("a migration that fails closes the connection and reports the migration's error, with a failed close beside it", async () => {
    const broken = connectSqlite(":memory:");
    broken.database.close();
    const failure = (await openMigrated(broken).catch((error: unknown) => error)) as Error;
    expect(failure.message).toContain("not open");

    const stuck = connectSqlite(":memory:");
    stuck.database.close();
    stuck.db.destroy = async () => {
      throw new Error("cannot close");
    };
    const both = (await openMigrated(stuck).catch((error: unknown) => error)) as AggregateError;
    expect(both).toBeInstanceOf(AggregateError);
    expect(both.errors.map((error: Error) => error.message)).toEqual([
      expect.stringContaining("not open"),
      "cannot close",
    ]);
  });
});
