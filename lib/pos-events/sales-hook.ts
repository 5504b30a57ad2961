import "server-only";
import type { SalesRepository } from "@/lib/store/repositories";

/**
 * The sales repository, telling `written` the sale's id after each committed write that may have
 * appended a POS event (a new sale, a transition that applied), so that the instances are rung
 * once it can be read (PosEvents.ring). Everything else passes straight through.
 */
export function reportingSaleWrites(sales: SalesRepository, written: (saleId: string) => void): SalesRepository {
  const hooked: Partial<SalesRepository> = {
    async insertSale(sale, attempt, event) {
      await sales.insertSale(sale, attempt, event);
      written(sale.id);
    },
    async transitionSale(id, from, patch, event) {
      const updated = await sales.transitionSale(id, from, patch, event);
      if (updated) written(id);
      return updated;
    },
  };
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(sales, {
    get(target, property) {
      if (property in hooked) return hooked[property as keyof SalesRepository];
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (!bound.has(property)) bound.set(property, value.bind(target));
      return bound.get(property);
    },
  });
}
