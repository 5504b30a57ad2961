import "server-only";
import type { Kysely, Selectable } from "kysely";
import type { Product } from "@/lib/entities/product";
import type { StoreConnection } from "./connect";
import type { CatalogueRepository } from "./repositories";
import type { Database } from "./schema";

/** The catalogue on Kysely, SQLite and PostgreSQL alike. */
export class KyselyCatalogueRepository implements CatalogueRepository {
  private readonly db: Kysely<Database>;

  constructor(connection: StoreConnection) {
    this.db = connection.db;
  }

  async listProducts() {
    // lower() folds ASCII only on both (SQLite's lower, PostgreSQL's under COLLATE "C"), like NOCASE.
    const rows = await this.db
      .selectFrom("products")
      .selectAll()
      .orderBy((eb) => eb.fn("lower", ["name"]))
      .orderBy("id")
      .execute();
    return rows.map(toProduct);
  }

  async getProduct(id: string) {
    const row = await this.db.selectFrom("products").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toProduct(row) : undefined;
  }

  async saveProduct(p: Product) {
    await this.db
      .insertInto("products")
      .values({
        id: p.id,
        name: p.name,
        unit_price: p.unitPrice,
        currency: p.currency,
        tax_rate: p.taxRate,
        created_at: p.createdAt,
        updated_at: p.updatedAt,
      })
      .onConflict((oc) =>
        oc.column("id").doUpdateSet((eb) => ({
          name: eb.ref("excluded.name"),
          unit_price: eb.ref("excluded.unit_price"),
          currency: eb.ref("excluded.currency"),
          tax_rate: eb.ref("excluded.tax_rate"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }

  async deleteProduct(id: string) {
    const result = await this.db.deleteFrom("products").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

const toProduct = (r: Selectable<Database["products"]>): Product => ({
  id: r.id,
  name: r.name,
  unitPrice: r.unit_price,
  currency: r.currency,
  taxRate: r.tax_rate,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
