/**
 * The catalogue repository's slice of the store conformance suite (tests/support/store-conformance.ts),
 * on SQLite and PostgreSQL.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { Product } from "@/lib/entities/product";
import type { CatalogueRepository } from "@/lib/store/repositories";
import { conformance, iso, T0 } from "../support/store-conformance";

conformance("Catalogue repository", (context) => {
  let store: CatalogueRepository;
  beforeEach(() => {
    store = context.store.catalogue;
  });

  describe("products", () => {
    const product = (id: string, name: string, extra: Partial<Product> = {}): Product => ({
      id,
      name,
      unitPrice: 3500,
      currency: "NOK",
      taxRate: 1500,
      createdAt: iso(T0),
      updatedAt: iso(T0),
      ...extra,
    });

    it("saves, updates, lists by name ignoring ASCII case, and deletes", async () => {
      for (const [id, name] of [
        ["p1", "banan"],
        ["p2", "Appelsin"],
        ["p3", "Øl"],
        ["p4", "cola"],
        ["p5", "Banan"],
        ["p6", "Ærlig kaffe"],
      ] as const) {
        await store.saveProduct(product(id, name));
      }
      expect((await store.listProducts()).map((p) => p.name)).toEqual([
        "Appelsin",
        "banan",
        "Banan",
        "cola",
        "Ærlig kaffe",
        "Øl",
      ]);

      await store.saveProduct(
        product("p4", "Cola Zero", {
          unitPrice: 3900,
          taxRate: 2500,
          updatedAt: iso(T0 + 1000),
          createdAt: iso(T0 + 5000),
        }),
      );
      expect(await store.getProduct("p4")).toEqual(
        product("p4", "Cola Zero", { unitPrice: 3900, taxRate: 2500, updatedAt: iso(T0 + 1000) }),
      );

      expect(await store.deleteProduct("p4")).toBe(true);
      expect(await store.deleteProduct("p4")).toBe(false);
      expect(await store.getProduct("p4")).toBeUndefined();
    });
  });
});
