import "server-only";
import type { Kysely, Selectable } from "kysely";
import type { Scope } from "@/lib/entities/principal";
import type { ApiKey } from "@/lib/entities/staff";
import type { StoreConnection } from "./connect";
import type { ApiKeysRepository } from "./repositories";
import type { Database } from "./schema";

/** Named API keys on Kysely, SQLite and PostgreSQL alike; only their hashes are stored. */
export class KyselyApiKeysRepository implements ApiKeysRepository {
  private readonly db: Kysely<Database>;

  constructor(connection: StoreConnection) {
    this.db = connection.db;
  }

  async insertApiKey(k: ApiKey) {
    await this.db
      .insertInto("api_keys")
      .values({
        id: k.id,
        name: k.name,
        key_hash: k.keyHash,
        scopes: JSON.stringify(k.scopes),
        store_ids: k.storeIds === null ? null : JSON.stringify(k.storeIds),
        created_at: k.createdAt,
        revoked_at: k.revokedAt,
      })
      .execute();
  }

  async getApiKeyByHash(keyHash: string) {
    const row = await this.db
      .selectFrom("api_keys")
      .selectAll()
      .where("key_hash", "=", keyHash)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return row ? toApiKey(row) : undefined;
  }

  async getApiKey(id: string) {
    const row = await this.db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toApiKey(row) : undefined;
  }

  async listApiKeys() {
    return (await this.db.selectFrom("api_keys").selectAll().orderBy("created_at").orderBy("id").execute()).map(
      toApiKey,
    );
  }

  async revokeApiKey(id: string, at: string) {
    const result = await this.db
      .updateTable("api_keys")
      .set({ revoked_at: at })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async setApiKeyHash(id: string, keyHash: string) {
    const result = await this.db
      .updateTable("api_keys")
      .set({ key_hash: keyHash })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

const toApiKey = (r: Selectable<Database["api_keys"]>): ApiKey => ({
  id: r.id,
  name: r.name,
  keyHash: r.key_hash,
  scopes: JSON.parse(r.scopes) as Scope[],
  storeIds: r.store_ids === null ? null : (JSON.parse(r.store_ids) as string[]),
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});
