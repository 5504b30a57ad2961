/**
 * Products through the schemas the API parses with and the catalogue service: a partial update
 * changes what it names and nothing else.
 */
import { describe, expect, it } from "vitest";
import { CatalogueService } from "@/lib/catalogue/catalogue-service";
import { ProductInputSchema, ProductPatchSchema } from "@/lib/contracts/catalogue";
import { FrozenClock } from "../support/frozen-clock";
import { memoryStore } from "../support/memory-store";

describe("the catalogue", () => {
  it("a new price leaves the currency and tax rate as they were", async () => {
    const store = await memoryStore();
    const catalogue = new CatalogueService({
      catalogue: store,
      clock: new FrozenClock(Date.parse("2026-05-01T10:00:00.000Z")),
    });
    const bun = await catalogue.create(
      ProductInputSchema.parse({ name: "Cinnamon bun", unitPrice: 3500, currency: "DKK", taxRate: 1500 }),
    );
    const repriced = await catalogue.update(bun.id, ProductPatchSchema.parse({ unitPrice: 3900 }));
    expect(repriced).toEqual({ id: bun.id, name: "Cinnamon bun", unitPrice: 3900, currency: "DKK", taxRate: 1500 });
    expect((await catalogue.list())[0]).toEqual(repriced);
    await store.close();
  });

  it("a new product still gets the defaults: NOK and 25 %", () => {
    expect(ProductInputSchema.parse({ name: "Coffee", unitPrice: 3900 })).toEqual({
      name: "Coffee",
      unitPrice: 3900,
      currency: "NOK",
      taxRate: 2500,
    });
  });
});
