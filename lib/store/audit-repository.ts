import "server-only";
import type { Kysely, Selectable } from "kysely";
import type { AuditEntry, AuditFilter, NewAuditEntry } from "@/lib/entities/staff";
import type { StoreConnection } from "./connect";
import type { AuditRepository } from "./repositories";
import type { Database } from "./schema";

/** The audit log on Kysely, SQLite and PostgreSQL alike: appended to, read newest first. */
export class KyselyAuditRepository implements AuditRepository {
  private readonly db: Kysely<Database>;

  constructor(connection: StoreConnection) {
    this.db = connection.db;
  }

  async appendAudit(entry: NewAuditEntry) {
    const { actor } = entry;
    const row = await this.db
      .insertInto("audit_log")
      .values({
        at: entry.at,
        action: entry.action,
        actor_type: actor.type,
        actor_id: actor.id,
        actor_name: actor.type === "staff" ? actor.username : actor.name,
        target: entry.target,
        sale_id: entry.saleId ?? null,
        store_id: entry.storeId ?? null,
        device: entry.device ?? null,
        address: entry.address,
        detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { ...entry, id: Number(row.id) };
  }

  async listAudit(filter: AuditFilter) {
    let query = this.db.selectFrom("audit_log").selectAll();
    if (filter.saleId !== undefined) query = query.where("sale_id", "=", filter.saleId);
    if (filter.actor !== undefined) query = query.where("actor_name", "=", filter.actor);
    if (filter.from !== undefined) query = query.where("at", ">=", filter.from);
    if (filter.to !== undefined) query = query.where("at", "<", filter.to);
    const { storeIds, orDeploymentWideBy: by } = filter;
    if (storeIds !== undefined) {
      query = query.where((eb) =>
        eb.or([
          ...(storeIds.length > 0 ? [eb("store_id", "in", storeIds)] : []),
          ...(by
            ? [eb.and([eb("store_id", "is", null), eb("actor_type", "=", by.type), eb("actor_id", "=", by.id)])]
            : []),
        ]),
      );
    }
    if (filter.beforeId !== undefined) query = query.where("id", "<", filter.beforeId);
    const rows = await query.orderBy("id", "desc").limit(filter.limit).execute();
    return rows.map(toAuditEntry);
  }
}

function toAuditEntry(r: Selectable<Database["audit_log"]>): AuditEntry {
  const actor =
    r.actor_type === "staff"
      ? { type: "staff" as const, id: r.actor_id, username: r.actor_name }
      : { type: "api-key" as const, id: r.actor_id, name: r.actor_name };
  return {
    id: Number(r.id),
    at: r.at,
    action: r.action,
    actor,
    target: r.target,
    ...(r.sale_id === null ? {} : { saleId: r.sale_id }),
    ...(r.store_id === null ? {} : { storeId: r.store_id }),
    ...(r.device === null ? {} : { device: r.device }),
    address: r.address,
    ...(r.detail === null ? {} : { detail: JSON.parse(r.detail) as Record<string, unknown> }),
  };
}
