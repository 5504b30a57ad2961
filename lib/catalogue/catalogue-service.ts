import "server-only";
import { randomBytes } from "node:crypto";
import type { Clock } from "@/lib/clock";
import { DomainError } from "@/lib/errors";
import type { ProductInput, ProductPatch, ProductView } from "@/lib/contracts/catalogue";
import type { Product } from "@/lib/sales/types";
import type { CatalogueRepository } from "@/lib/store/repositories";

export const productView = (product: Product): ProductView => ({
  id: product.id,
  name: product.name,
  unitPrice: product.unitPrice,
  currency: product.currency,
  taxRate: product.taxRate,
});

/** The shop's products, which the till offers as buttons. */
export class CatalogueService {
  constructor(private readonly deps: { catalogue: CatalogueRepository; clock: Clock }) {}

  private nowIso(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  async list(): Promise<ProductView[]> {
    return (await this.deps.catalogue.listProducts()).map(productView);
  }

  async create(input: ProductInput): Promise<ProductView> {
    const now = this.nowIso();
    const product: Product = { id: `prod_${randomBytes(6).toString("hex")}`, ...input, createdAt: now, updatedAt: now };
    await this.deps.catalogue.saveProduct(product);
    return productView(product);
  }

  async update(id: string, patch: ProductPatch): Promise<ProductView> {
    const product = await this.deps.catalogue.getProduct(id);
    if (!product) throw new DomainError("notFound", `No product with id ${id}`);
    const updated: Product = {
      ...product,
      ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)),
      updatedAt: this.nowIso(),
    };
    await this.deps.catalogue.saveProduct(updated);
    return productView(updated);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.deps.catalogue.deleteProduct(id))) throw new DomainError("notFound", `No product with id ${id}`);
  }
}
