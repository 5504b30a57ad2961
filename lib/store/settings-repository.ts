import "server-only";
import { type Kysely, sql } from "kysely";
import type { StoreConnection } from "./connect";
import { precompiled } from "./precompiled";
import type { SettingsRepository } from "./repositories";
import type { Database } from "./schema";

/** Settings and named counters on Kysely, SQLite and PostgreSQL alike: one table of text values. */
export class KyselySettingsRepository implements SettingsRepository {
  private readonly db: Kysely<Database>;
  /** Read on every display state and webhook (the shop's name, the webhook secret): compiled once. */
  private readonly settingByKey;

  constructor(connection: StoreConnection) {
    const db = (this.db = connection.db);
    this.settingByKey = precompiled(db, 1, (key: string) =>
      db.selectFrom("settings").select("value").where("key", "=", key),
    );
  }

  async getSetting(key: string) {
    const [row] = await this.settingByKey(key);
    return row?.value;
  }

  async nextSequence(name: string) {
    // One statement: the row lock of the upsert makes concurrent callers take turns.
    const row = await this.db
      .insertInto("settings")
      .values({ key: `sequence.${name}`, value: "1" })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet({ value: sql`CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT)` }),
      )
      .returning("value")
      .executeTakeFirstOrThrow();
    return Number(row.value);
  }

  async setSetting(key: string, value: string) {
    await this.db
      .insertInto("settings")
      .values({ key, value })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: (eb) => eb.ref("excluded.value") }))
      .execute();
  }
}
