/**
 * Precompiled queries (lib/store/precompiled.ts): built and compiled once, run with each call's
 * values bound where they belong, next to values fixed when the query was built.
 */
import { describe, expect, it, vi } from "vitest";
import { connectSqlite } from "@/lib/store/connect";
import { openMigrated } from "@/lib/store/index";
import { precompiled } from "@/lib/store/precompiled";
import { TestStore } from "../support/memory-store";

describe("precompiled", () => {
  it("builds and compiles once, and binds each run's values in their places among fixed ones", async () => {
    const connection = connectSqlite(":memory:");
    const store = await openMigrated(connection, TestStore);
    const { db } = connection;
    for (const [key, value] of [
      ["a.1", "one"],
      ["a.2", "two"],
      ["b.1", "three"],
    ] as const)
      await store.setSetting(key, value);
    const build = vi.fn((low: string, high: string) =>
      db
        .selectFrom("settings")
        .select(["key", "value"])
        .where("key", ">=", low)
        .where("value", "<>", "two")
        .where("key", "<=", high)
        .orderBy("key"),
    );
    const between = precompiled(db, 2, build);
    expect(await between("a.0", "a.9")).toEqual([{ key: "a.1", value: "one" }]);
    expect(await between("a.0", "b.9")).toEqual([
      { key: "a.1", value: "one" },
      { key: "b.1", value: "three" },
    ]);
    expect(await between("c", "d")).toEqual([]);
    expect(build).toHaveBeenCalledTimes(1);
    await store.close();
  });
});
