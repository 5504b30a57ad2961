import "server-only";
import { type Kysely, sql } from "kysely";
import type { NewVippsRequestRecord, VippsRequestRecord } from "@/lib/entities/vipps-request";
import type { StoreConnection } from "./connect";
import type { OperationsRepository } from "./repositories";
import type { Database } from "./schema";

/**
 * Leases, rate limits, webhook dedupe and the Vipps request records on Kysely, SQLite and
 * PostgreSQL alike. What must be atomic across instances is one statement each: acquireLease and
 * markWebhookProcessed are upserts whose row counts say who won.
 */
export class KyselyOperationsRepository implements OperationsRepository {
  private readonly db: Kysely<Database>;
  private readonly dialect: StoreConnection["dialect"];

  constructor(connection: StoreConnection) {
    this.db = connection.db;
    this.dialect = connection.dialect;
  }

  // --- Leases ------------------------------------------------------------------------------------

  async acquireLease(name: string, holder: string, ttlMs: number, nowMs: number): Promise<boolean> {
    // One statement: insert, or take over an expired lease, or renew our own. When another
    // holder's lease is still running the WHERE leaves the row alone and no row counts as written.
    const result = await this.db
      .insertInto("leases")
      .values({ name, holder, expires_at_ms: nowMs + ttlMs })
      .onConflict((oc) =>
        oc
          .column("name")
          .doUpdateSet((eb) => ({ holder: eb.ref("excluded.holder"), expires_at_ms: eb.ref("excluded.expires_at_ms") }))
          .where((eb) =>
            eb.or([eb("leases.holder", "=", eb.ref("excluded.holder")), eb("leases.expires_at_ms", "<=", nowMs)]),
          ),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db.deleteFrom("leases").where("name", "=", name).where("holder", "=", holder).execute();
  }

  // --- Rate limits -------------------------------------------------------------------------------

  async recordRateLimitHit(bucket: string, key: string, atMs: number): Promise<void> {
    await this.db.insertInto("rate_limit_hits").values({ bucket, key, at_ms: atMs }).execute();
  }

  async countRateLimitHits(
    bucket: string,
    key: string,
    sinceMs: number,
  ): Promise<{ count: number; oldestMs?: number }> {
    return countHits(this.db, bucket, key, sinceMs);
  }

  async takeRateLimitToken(
    bucket: string,
    key: string,
    atMs: number,
    sinceMs: number,
    limit: number,
  ): Promise<{ taken: boolean; oldestMs?: number }> {
    // Counting and recording in two statements let 6–7 parallel guesses past a limit of 5 on
    // PostgreSQL. In one transaction that first takes a lock on (bucket, key), the count a caller
    // sees includes every hit recorded before it. SQLite's BEGIN IMMEDIATE is that lock already.
    return this.db.transaction().execute(async (trx) => {
      if (this.dialect === "postgresql") {
        await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`rate:${bucket}:${key}`}, 0))`.execute(trx);
      }
      const { count, oldestMs } = await countHits(trx, bucket, key, sinceMs);
      if (count >= limit) return { taken: false, oldestMs };
      await trx.insertInto("rate_limit_hits").values({ bucket, key, at_ms: atMs }).execute();
      return { taken: true, oldestMs: oldestMs ?? atMs };
    });
  }

  async clearRateLimitHits(bucket: string, key: string): Promise<void> {
    await this.db.deleteFrom("rate_limit_hits").where("bucket", "=", bucket).where("key", "=", key).execute();
  }

  async pruneRateLimitHits(beforeMs: number): Promise<number> {
    const result = await this.db.deleteFrom("rate_limit_hits").where("at_ms", "<=", beforeMs).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  // --- Webhook dedupe ----------------------------------------------------------------------------

  async markWebhookProcessed(id: string, receivedAt: string) {
    const result = await this.db
      .insertInto("processed_webhooks")
      .values({ id, received_at: receivedAt })
      .onConflict((oc) => oc.column("id").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async forgetWebhook(id: string) {
    await this.db.deleteFrom("processed_webhooks").where("id", "=", id).execute();
  }

  async pruneProcessedWebhooks(receivedBefore: string) {
    const result = await this.db
      .deleteFrom("processed_webhooks")
      .where("received_at", "<", receivedBefore)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  // --- Go-live evidence: outgoing Vipps requests ---------------------------------------------------

  async recordVippsRequest(request: NewVippsRequestRecord, keepPerOperation: number): Promise<void> {
    const keep = Math.max(1, Math.trunc(keepPerOperation));
    const { id } = await this.db
      .insertInto("vipps_requests")
      .values({
        operation: request.operation,
        method: request.method,
        path: request.path,
        reference: request.reference ?? null,
        attempt: request.attempt,
        system_headers: JSON.stringify(request.systemHeaders),
        summary: JSON.stringify(request.summary),
        at: request.at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    // Only the newest few of each operation are kept: evidence, not an access log. Pruned at every
    // keep-th record (by id, so across instances too), not at each: a delete and a transaction per
    // payment call were three of a sale's statements. Between prunes no operation gains more than
    // `keep` rows.
    if (Number(id) % keep !== 0) return;
    await sql`
      DELETE FROM vipps_requests WHERE id IN (
        SELECT id FROM (
          SELECT id, ROW_NUMBER() OVER (PARTITION BY operation ORDER BY id DESC) AS newer FROM vipps_requests
        ) AS ranked WHERE newer > ${keep}
      )`.execute(this.db);
  }

  async listVippsRequests(filter: { operation?: string; limit?: number } = {}): Promise<VippsRequestRecord[]> {
    const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 1), 500);
    const rows = await this.db
      .selectFrom("vipps_requests")
      .selectAll()
      .$if(filter.operation !== undefined, (query) => query.where("operation", "=", filter.operation!))
      .orderBy("id", "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      operation: r.operation,
      method: r.method,
      path: r.path,
      ...(r.reference !== null ? { reference: r.reference } : {}),
      attempt: Number(r.attempt),
      systemHeaders: JSON.parse(r.system_headers) as Record<string, string>,
      summary: JSON.parse(r.summary) as Record<string, unknown>,
      at: r.at,
    }));
  }
}

/** One key's hits in a bucket after `sinceMs`, with the oldest of them; on the store or in a transaction. */
async function countHits(
  db: Kysely<Database>,
  bucket: string,
  key: string,
  sinceMs: number,
): Promise<{ count: number; oldestMs?: number }> {
  const row = await db
    .selectFrom("rate_limit_hits")
    .select((eb) => [eb.fn.countAll().as("count"), eb.fn.min("at_ms").as("oldest")])
    .where("bucket", "=", bucket)
    .where("key", "=", key)
    .where("at_ms", ">", sinceMs)
    .executeTakeFirst();
  const count = Number(row?.count ?? 0);
  return count > 0 ? { count, oldestMs: Number(row?.oldest) } : { count };
}
