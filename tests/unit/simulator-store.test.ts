// The simulator's database: statements are prepared once per SQL text and stay correct when reused.
import { describe, expect, it } from "vitest";
import { getMeta, openDatabase, setMeta } from "@/lib/simulator/store";

describe("simulator database", () => {
  it("prepares a statement once and reuses it, with each call's own parameters", () => {
    const db = openDatabase(":memory:");
    const sql = "SELECT value FROM sim_meta WHERE key = ?";
    expect(db.prepare(sql)).toBe(db.prepare(sql));
    setMeta(db, "a", "1");
    setMeta(db, "b", "2");
    setMeta(db, "a", "3");
    expect([getMeta(db, "a"), getMeta(db, "b"), getMeta(db, "c")]).toEqual(["3", "2", undefined]);
    db.close();
  });

  it("starts its cache over past the bound instead of growing without one", () => {
    const db = openDatabase(":memory:");
    const first = db.prepare("SELECT 0 AS n");
    for (let i = 1; i <= 500; i++) db.prepare(`SELECT ${i}`);
    expect(db.prepare("SELECT 0 AS n")).not.toBe(first);
    expect(db.prepare("SELECT 0 AS n").get()).toEqual({ n: 0 });
    db.close();
  });
});
