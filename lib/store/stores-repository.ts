import "server-only";
import type { Insertable, Kysely, Selectable } from "kysely";
import { presentFields } from "@/lib/entities/present-fields";
import { FIRST_STORE_ID, type RetailStore } from "@/lib/entities/retail-store";
import { isStoreError, StoreError } from "@/lib/errors";
import type { StoreConnection } from "./connect";
import type { StoresRepository } from "./repositories";
import type { Database, StoresTable } from "./schema";

/** The chain's stores on Kysely, SQLite and PostgreSQL alike. */
export class KyselyStoresRepository implements StoresRepository {
  private readonly db: Kysely<Database>;

  constructor(private readonly connection: StoreConnection) {
    this.db = connection.db;
  }

  async listStores(): Promise<RetailStore[]> {
    const rows = await this.db.selectFrom("stores").selectAll().orderBy("created_at").orderBy("id").execute();
    return rows.map(toRetailStore);
  }

  async getStore(id: string): Promise<RetailStore | undefined> {
    const row = await this.db.selectFrom("stores").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toRetailStore(row) : undefined;
  }

  async getStoreByMsn(msn: string): Promise<RetailStore | undefined> {
    const row = await this.db.selectFrom("stores").selectAll().where("msn", "=", msn).executeTakeFirst();
    return row ? toRetailStore(row) : undefined;
  }

  async insertStore(store: RetailStore): Promise<boolean> {
    try {
      const result = await this.db
        .insertInto("stores")
        .values(storeRow(store))
        .onConflict((oc) => oc.column("id").doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    } catch (error) {
      throw msnTaken(error, store.msn);
    }
  }

  async saveStore(store: RetailStore): Promise<boolean> {
    const { id: _id, created_at: _createdAt, ...changes } = storeRow(store);
    try {
      const result = await this.db.updateTable("stores").set(changes).where("id", "=", store.id).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    } catch (error) {
      throw msnTaken(error, store.msn);
    }
  }

  async fillFirstStore(store: Omit<RetailStore, "id" | "createdAt" | "vipps">): Promise<boolean> {
    return this.connection.db.transaction().execute(async (trx) => {
      const filled = await trx
        .updateTable("stores")
        .set({
          name: store.name,
          msn: store.msn,
          currency: store.currency,
          time_zone: store.timeZone,
          language: store.language,
          address: store.address ?? null,
          organisation_number: store.organisationNumber ?? null,
          updated_at: store.updatedAt,
        })
        .where("id", "=", FIRST_STORE_ID)
        .where("msn", "=", "")
        .executeTakeFirst();
      if (Number(filled.numUpdatedRows) === 0) return false;
      // Sales made before stores were taken by the one sales unit there was: this one.
      await trx
        .updateTable("sales")
        .set({ msn: store.msn })
        .where("store_id", "=", FIRST_STORE_ID)
        .where("msn", "is", null)
        .execute();
      return true;
    });
  }
}

/** A unique violation on the MSN becomes StoreError "duplicateKey" (details.key = "msn"). */
function msnTaken(error: unknown, msn: string): unknown {
  if (isStoreError(error)) return error;
  const text = `${(error as { constraint?: string }).constraint ?? ""} ${(error as Error).message ?? ""}`;
  if (/stores_msn_key|stores\.msn/.test(text))
    return new StoreError("duplicateKey", `Another store has MSN ${msn}`, { key: "msn" });
  return error;
}

function storeRow(s: RetailStore): Insertable<StoresTable> {
  return {
    id: s.id,
    name: s.name,
    msn: s.msn,
    currency: s.currency,
    time_zone: s.timeZone,
    language: s.language,
    address: s.address ?? null,
    organisation_number: s.organisationNumber ?? null,
    vipps_client_id: s.vipps?.clientId ?? null,
    vipps_secrets: s.vipps?.sealedSecrets ?? null,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

function toRetailStore(r: Selectable<StoresTable>): RetailStore {
  return {
    id: r.id,
    name: r.name,
    msn: r.msn,
    currency: r.currency,
    timeZone: r.time_zone,
    language: r.language,
    ...presentFields({
      address: r.address,
      organisationNumber: r.organisation_number,
      vipps:
        r.vipps_client_id && r.vipps_secrets
          ? { clientId: r.vipps_client_id, sealedSecrets: r.vipps_secrets }
          : undefined,
    }),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
