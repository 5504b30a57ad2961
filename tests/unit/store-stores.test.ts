/**
 * The stores repository's slice of the store conformance suite (tests/support/store-conformance.ts),
 * on SQLite and PostgreSQL.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { RetailStore } from "@/lib/entities/retail-store";
import type { Repositories } from "@/lib/store/repositories";
import { conformance, iso, newSale, storeErrorOf, T0, terminal } from "../support/store-conformance";

// After store 1, which the migration makes when the test database is made.
const LATER = iso(Date.now() + 60_000);

const storeB = (extra: Partial<RetailStore> = {}): RetailStore => ({
  id: "store-b",
  name: "Bergen",
  msn: "654321",
  currency: "NOK",
  timeZone: "Europe/Oslo",
  language: "nb",
  address: "Torgallmenningen 1, 5014 Bergen",
  organisationNumber: "987654321",
  vipps: { clientId: "client-b", sealedSecrets: "v1.sealed" },
  createdAt: LATER,
  updatedAt: iso(T0 + 1000),
  ...extra,
});

conformance("Stores repository", (context) => {
  let repositories: Repositories;
  beforeEach(() => {
    repositories = context.store;
  });

  describe("stores", () => {
    it("starts with the placeholder store 1, which start-up fills once, stamping older sales with its MSN", async () => {
      const [first] = await repositories.stores.listStores();
      expect(first).toMatchObject({ id: "store-1", msn: "", name: "" });
      await repositories.counters.saveTerminal(terminal("t1"));
      const { sale, attempt, event } = newSale("s-old");
      await repositories.sales.insertSale(sale, attempt, event);

      const fields = {
        name: "Oslo",
        msn: "123456",
        currency: "NOK" as const,
        timeZone: "Europe/Oslo",
        language: "nb" as const,
        updatedAt: iso(T0 + 5000),
      };
      expect(await repositories.stores.fillFirstStore(fields)).toBe(true);
      expect(await repositories.stores.fillFirstStore({ ...fields, msn: "999999" })).toBe(false);
      expect(await repositories.stores.getStore("store-1")).toMatchObject({ name: "Oslo", msn: "123456" });
      expect(await repositories.sales.getSale("s-old")).toMatchObject({ storeId: "store-1", msn: "123456" });
    });

    it("creates, reads by id and MSN, lists oldest first and saves changes", async () => {
      expect(await repositories.stores.insertStore(storeB())).toBe(true);
      expect(await repositories.stores.insertStore(storeB({ name: "Again", msn: "111111" }))).toBe(false);
      expect(await repositories.stores.getStore("store-b")).toEqual(storeB());
      expect(await repositories.stores.getStoreByMsn("654321")).toEqual(storeB());
      expect((await repositories.stores.listStores()).map((store) => store.id)).toEqual(["store-1", "store-b"]);

      const changed = storeB({
        name: "Bergen sentrum",
        vipps: undefined,
        address: undefined,
        updatedAt: iso(T0 + 9000),
      });
      expect(await repositories.stores.saveStore({ ...changed, createdAt: iso(T0 + 99_000) })).toBe(true);
      expect(await repositories.stores.getStore("store-b")).toEqual(changed);
      expect(await repositories.stores.saveStore(storeB({ id: "nowhere", msn: "222222" }))).toBe(false);
    });

    it("refuses a second store with the same MSN", async () => {
      await repositories.stores.insertStore(storeB());
      const error = await storeErrorOf(repositories.stores.insertStore(storeB({ id: "store-c" })));
      expect(error.code).toBe("duplicateKey");
      expect(error.details.key).toBe("msn");
      await repositories.stores.insertStore(storeB({ id: "store-c", msn: "777777" }));
      const onSave = await storeErrorOf(repositories.stores.saveStore(storeB({ id: "store-c" })));
      expect(onSave.details.key).toBe("msn");
    });

    it("keeps each terminal's store and each sale's store and MSN, and filters sales by store", async () => {
      await repositories.stores.insertStore(storeB());
      await repositories.counters.saveTerminal(terminal("t1"));
      await repositories.counters.saveTerminal(terminal("tb", { storeId: "store-b" }));
      expect(await repositories.counters.getTerminal("tb")).toMatchObject({ storeId: "store-b" });
      const a = newSale("s-a", { terminalId: "t1" });
      const b = newSale("s-b", { terminalId: "tb" });
      await repositories.sales.insertSale({ ...a.sale, msn: "123456" }, a.attempt, a.event);
      await repositories.sales.insertSale({ ...b.sale, storeId: "store-b", msn: "654321" }, b.attempt, b.event);
      expect(await repositories.sales.getSale("s-b")).toMatchObject({ storeId: "store-b", msn: "654321" });
      const ofB = await repositories.sales.listSales({ storeId: "store-b" });
      expect(ofB.items.map((sale) => sale.id)).toEqual(["s-b"]);
      const summary = await repositories.sales.summarizeSales({ storeId: "store-1" });
      expect(summary.reduce((count, row) => count + row.count, 0)).toBe(1);
    });
  });
});
