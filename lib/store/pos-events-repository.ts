import "server-only";
import { type Kysely, type Selectable, sql } from "kysely";
import type {
  DeliveryOutcome,
  NewPosEvent,
  PosEvent,
  PosEventType,
  WebhookDelivery,
  WebhookEndpoint,
} from "@/lib/entities/pos-event";
import type { StoreConnection, StoreDialect } from "./connect";
import { fromJson } from "./dialect";
import { insertPosEvent } from "./pos-event-statements";
import type { PosEventsRepository } from "./repositories";
import { type SaleRow, toSale } from "./sale-rows";
import type { Database, PosEventsTable, WebhookDeliveriesTable, WebhookEndpointsTable } from "./schema";

const MAX_PAGE = 500;
const clamp = (limit: number) => Math.min(Math.max(Math.trunc(limit) || 1, 1), MAX_PAGE);

function toPosEvent(row: Selectable<PosEventsTable>): PosEvent {
  return {
    seq: Number(row.seq),
    id: row.id,
    type: row.type as PosEventType,
    subject: row.subject,
    createdAt: row.created_at,
    ...(row.data !== null ? { data: JSON.parse(row.data) as unknown } : {}),
    ...(row.sale_row !== null ? { sale: toSale(fromJson(row.sale_row) as unknown as SaleRow) } : {}),
    ...(row.refund_amount !== null ? { refundAmount: Number(row.refund_amount) } : {}),
  };
}

function toEndpoint(row: Selectable<WebhookEndpointsTable>): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as PosEventType[],
    description: row.description,
    secret: row.secret,
    createdAt: row.created_at,
  };
}

type DeliveryRow = Selectable<WebhookDeliveriesTable> & { event_id: string; event_type: string };

function toDelivery(row: DeliveryRow): WebhookDelivery {
  const optional = <T>(value: T | null) => value ?? undefined;
  return {
    endpointId: row.endpoint_id,
    eventSeq: Number(row.event_seq),
    eventId: row.event_id,
    eventType: row.event_type as PosEventType,
    subject: row.subject,
    state: row.state as WebhookDelivery["state"],
    attempts: Number(row.attempts),
    createdAt: row.created_at,
    firstAttemptAt: optional(row.first_attempt_at),
    lastAttemptAt: optional(row.last_attempt_at),
    nextAttemptAtMs: row.next_attempt_at_ms === null ? undefined : Number(row.next_attempt_at_ms),
    lastStatus: optional(row.last_status),
    lastError: optional(row.last_error),
    lastResponse: optional(row.last_response),
    deliveredAt: optional(row.delivered_at),
  };
}

/**
 * The POS's outbox, its webhook endpoints and their deliveries on Kysely, SQLite and PostgreSQL
 * alike. The sales repository writes the sales' events into the outbox in its own transactions
 * (pos-event-statements.ts); this one reads them, fans them out to the endpoints and keeps the tries.
 */
export class KyselyPosEventsRepository implements PosEventsRepository {
  private readonly db: Kysely<Database>;
  private readonly dialect: StoreDialect;

  constructor(connection: StoreConnection) {
    this.db = connection.db;
    this.dialect = connection.dialect;
  }

  // --- The outbox --------------------------------------------------------------------------------

  async appendPosEvent(event: NewPosEvent): Promise<PosEvent> {
    const id = await this.db.transaction().execute((trx) => insertPosEvent(trx, this.dialect, event));
    const row = await this.db.selectFrom("pos_events").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    return toPosEvent(row);
  }

  async listPosEvents(afterSeq: number, limit: number): Promise<PosEvent[]> {
    const rows = await this.db
      .selectFrom("pos_events")
      .selectAll()
      .where("seq", ">", afterSeq)
      .orderBy("seq")
      .limit(clamp(limit))
      .execute();
    return rows.map(toPosEvent);
  }

  async latestSeq(): Promise<number> {
    const row = await this.db
      .selectFrom("pos_events")
      .select((eb) => eb.fn.max("seq").as("seq"))
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  async setEventData(seq: number, data: unknown): Promise<boolean> {
    const result = await this.db
      .updateTable("pos_events")
      .set({ data: JSON.stringify(data) })
      .where("seq", "=", seq)
      .where("data", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  // --- Endpoints ---------------------------------------------------------------------------------

  async insertEndpoint(endpoint: WebhookEndpoint): Promise<void> {
    // It takes the events that come after it: its deliveries start at the outbox's end.
    await this.db
      .insertInto("webhook_endpoints")
      .values({
        id: endpoint.id,
        url: endpoint.url,
        events: JSON.stringify(endpoint.events),
        description: endpoint.description,
        secret: endpoint.secret,
        created_at: endpoint.createdAt,
        fanned_out_seq: sql<number>`COALESCE((SELECT MAX(seq) FROM pos_events), 0)`,
      })
      .execute();
  }

  async listEndpoints(): Promise<WebhookEndpoint[]> {
    const rows = await this.db
      .selectFrom("webhook_endpoints")
      .selectAll()
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(toEndpoint);
  }

  async getEndpoint(id: string): Promise<WebhookEndpoint | undefined> {
    const row = await this.db.selectFrom("webhook_endpoints").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toEndpoint(row) : undefined;
  }

  async deleteEndpoint(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("webhook_deliveries").where("endpoint_id", "=", id).execute();
      const result = await trx.deleteFrom("webhook_endpoints").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async setEndpointSecret(id: string, secret: string): Promise<boolean> {
    const result = await this.db
      .updateTable("webhook_endpoints")
      .set({ secret })
      .where("id", "=", id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  // --- Deliveries --------------------------------------------------------------------------------

  async fanOut(endpointId: string, createdAt: string, limit: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const query = trx.selectFrom("webhook_endpoints").selectAll().where("id", "=", endpointId);
      const row = await (this.dialect === "postgresql" ? query.forUpdate() : query).executeTakeFirst();
      if (!row) return 0;
      const endpoint = toEndpoint(row);
      const events = await trx
        .selectFrom("pos_events")
        .select(["seq", "type", "subject"])
        .where("seq", ">", Number(row.fanned_out_seq))
        .orderBy("seq")
        .limit(clamp(limit))
        .execute();
      if (events.length === 0) return 0;
      const wanted = events.filter((event) => endpoint.events.includes(event.type as PosEventType));
      if (wanted.length > 0)
        await trx
          .insertInto("webhook_deliveries")
          .values(
            wanted.map((event) => ({
              endpoint_id: endpointId,
              event_seq: Number(event.seq),
              subject: event.subject,
              state: "pending",
              created_at: createdAt,
              next_attempt_at_ms: 0,
            })),
          )
          .onConflict((oc) => oc.columns(["endpoint_id", "event_seq"]).doNothing())
          .execute();
      await trx
        .updateTable("webhook_endpoints")
        .set({ fanned_out_seq: Number(events[events.length - 1]!.seq) })
        .where("id", "=", endpointId)
        .execute();
      return events.length;
    });
  }

  private deliveries() {
    return this.db
      .selectFrom("webhook_deliveries as d")
      .innerJoin("pos_events as e", "e.seq", "d.event_seq")
      .selectAll("d")
      .select(["e.id as event_id", "e.type as event_type"]);
  }

  async dueDeliveries(nowMs: number, limit: number): Promise<WebhookDelivery[]> {
    // In order per sale and endpoint: only the oldest pending delivery of each is ever due.
    const rows = await this.deliveries()
      .where("d.state", "=", "pending")
      .where("d.next_attempt_at_ms", "<=", nowMs)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("webhook_deliveries as earlier")
              .select("earlier.event_seq")
              .where("earlier.state", "=", "pending")
              .whereRef("earlier.endpoint_id", "=", "d.endpoint_id")
              .whereRef("earlier.subject", "=", "d.subject")
              .whereRef("earlier.event_seq", "<", "d.event_seq"),
          ),
        ),
      )
      .orderBy("d.event_seq")
      .limit(clamp(limit))
      .execute();
    return rows.map(toDelivery);
  }

  async recordAttempt(endpointId: string, eventSeq: number, outcome: DeliveryOutcome): Promise<void> {
    await this.db
      .updateTable("webhook_deliveries")
      .set((eb) => ({
        attempts: eb("attempts", "+", 1),
        first_attempt_at: eb.fn.coalesce("first_attempt_at", sql.val(outcome.attemptedAt)),
        last_attempt_at: outcome.attemptedAt,
        last_status: outcome.status ?? null,
        last_error: outcome.error ?? null,
        last_response: outcome.response ?? null,
        state: outcome.delivered ? "delivered" : outcome.nextAttemptAtMs === undefined ? "failed" : "pending",
        next_attempt_at_ms: outcome.delivered ? null : (outcome.nextAttemptAtMs ?? null),
        delivered_at: outcome.delivered ? outcome.attemptedAt : null,
      }))
      .where("endpoint_id", "=", endpointId)
      .where("event_seq", "=", eventSeq)
      .where("state", "=", "pending")
      .execute();
  }

  async retryDelivery(endpointId: string, eventSeq: number, nowMs: number): Promise<boolean> {
    // A new round: its window of retries counts from its next try.
    const result = await this.db
      .updateTable("webhook_deliveries")
      .set({ state: "pending", next_attempt_at_ms: nowMs, first_attempt_at: null, delivered_at: null })
      .where("endpoint_id", "=", endpointId)
      .where("event_seq", "=", eventSeq)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async listDeliveries(filter: { endpointId?: string; limit: number }): Promise<WebhookDelivery[]> {
    const rows = await this.deliveries()
      .$if(filter.endpointId !== undefined, (query) => query.where("d.endpoint_id", "=", filter.endpointId!))
      .orderBy("d.event_seq", "desc")
      .orderBy("d.endpoint_id")
      .limit(clamp(filter.limit))
      .execute();
    return rows.map(toDelivery);
  }
}
