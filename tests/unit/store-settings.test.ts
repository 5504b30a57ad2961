/**
 * The settings repository's slice of the store conformance suite (tests/support/store-conformance.ts),
 * on SQLite and PostgreSQL.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { SettingsRepository } from "@/lib/store/repositories";
import { conformance } from "../support/store-conformance";

conformance("Settings repository", (context) => {
  let store: SettingsRepository;
  beforeEach(() => {
    store = context.store.settings;
  });
  /** The settings of another app instance on the same database. */
  const another = async () => (await context.another()).settings;

  describe("settings and sequences", () => {
    it("stores, overwrites and misses settings", async () => {
      expect(await store.getSetting("shop.name")).toBeUndefined();
      await store.setSetting("shop.name", "Bakeriet");
      await store.setSetting("shop.name", "Bakeriet på hjørnet");
      expect(await store.getSetting("shop.name")).toBe("Bakeriet på hjørnet");
    });

    it("counts each sequence from 1", async () => {
      expect([
        await store.nextSequence("receipt"),
        await store.nextSequence("receipt"),
        await store.nextSequence("receipt"),
      ]).toEqual([1, 2, 3]);
      expect(await store.nextSequence("other")).toBe(1);
    });

    it("never hands out a receipt number twice under 50 concurrent calls from two instances", async () => {
      const other = await another();
      const numbers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? store : other).nextSequence("receipt")),
      );
      expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(numbers.every((n) => typeof n === "number")).toBe(true);
    });
  });
});
