import "server-only";
import type { Kysely, Selectable } from "kysely";
import type { StaffSession } from "@/lib/entities/staff";
import type { StoreConnection } from "./connect";
import type { SessionsRepository } from "./repositories";
import type { Database } from "./schema";

/** Staff sessions on Kysely, SQLite and PostgreSQL alike. */
export class KyselySessionsRepository implements SessionsRepository {
  private readonly db: Kysely<Database>;

  constructor(connection: StoreConnection) {
    this.db = connection.db;
  }

  async insertSession(s: StaffSession) {
    await this.db
      .insertInto("staff_sessions")
      .values({
        id: s.id,
        token_hash: s.tokenHash,
        staff_id: s.staffId,
        device: s.device,
        address: s.address,
        created_at: s.createdAt,
        last_seen_at: s.lastSeenAt,
        expires_at: s.expiresAt,
        ended_at: s.endedAt,
      })
      .execute();
  }

  async getSessionByTokenHash(tokenHash: string) {
    const row = await this.db
      .selectFrom("staff_sessions")
      .selectAll()
      .where("token_hash", "=", tokenHash)
      .where("ended_at", "is", null)
      .executeTakeFirst();
    return row ? toSession(row) : undefined;
  }

  async getSession(id: string) {
    const row = await this.db.selectFrom("staff_sessions").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toSession(row) : undefined;
  }

  async listLiveSessions(staffId: string, nowIso: string) {
    const rows = await this.db
      .selectFrom("staff_sessions")
      .selectAll()
      .where("staff_id", "=", staffId)
      .where("ended_at", "is", null)
      .where("expires_at", ">", nowIso)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute();
    return rows.map(toSession);
  }

  async hasSessionFrom(staffId: string, address: string, sinceIso: string) {
    const row = await this.db
      .selectFrom("staff_sessions")
      .select("id")
      .where("staff_id", "=", staffId)
      .where("created_at", ">=", sinceIso)
      .where("address", "=", address)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async endSession(id: string, at: string) {
    const result = await this.db
      .updateTable("staff_sessions")
      .set({ ended_at: at })
      .where("id", "=", id)
      .where("ended_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async endSessionsOf(staffId: string, at: string, exceptId?: string) {
    let query = this.db
      .updateTable("staff_sessions")
      .set({ ended_at: at })
      .where("staff_id", "=", staffId)
      .where("ended_at", "is", null);
    if (exceptId !== undefined) query = query.where("id", "!=", exceptId);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async touchSession(id: string, at: string, olderThan: string) {
    await this.db
      .updateTable("staff_sessions")
      .set({ last_seen_at: at })
      .where("id", "=", id)
      .where("last_seen_at", "<", olderThan)
      .execute();
  }
}

const toSession = (r: Selectable<Database["staff_sessions"]>): StaffSession => ({
  id: r.id,
  tokenHash: r.token_hash,
  staffId: r.staff_id,
  device: r.device,
  address: r.address,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  endedAt: r.ended_at,
});
