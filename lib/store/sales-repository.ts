import "server-only";
import type { Kysely } from "kysely";
import { posEventForChange } from "@/lib/entities/pos-event";
import type {
  NewSaleEvent,
  PaymentAttempt,
  Refund,
  Sale,
  SaleEvent,
  SaleEventCount,
  SaleFilter,
  SaleState,
  SaleSummary,
} from "@/lib/entities/sale";
import type { StoreConnection, StoreDialect } from "./connect";
import { insertPosEvent } from "./pos-event-statements";
import { precompiled } from "./precompiled";
import type { SalesRepository } from "./repositories";
import { attemptPatch, attemptRow, saleRow, toAttempt, toEvent, toRefund, toSale } from "./sale-rows";
import {
  activeSale,
  activeSaleConflict,
  activeSaleQuery,
  insertEvent,
  isActive,
  lockSale,
  openAttempts,
  saleNotFound,
  salesMatching,
  salesPage,
  shownSaleOf,
  shownSaleQuery,
  transitionInOneStatement,
  uniqueViolationAsStoreError,
  violatedUnique,
} from "./sale-statements";
import type { Database } from "./schema";

/**
 * Sales, their attempts, events, refunds and QR images on Kysely, one implementation for SQLite
 * and PostgreSQL. The atomic writes are transactions that lock what they read (SELECT … FOR UPDATE
 * on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE, which holds the database's write
 * lock throughout), except transitionSale on PostgreSQL, which is one statement.
 */
export class KyselySalesRepository implements SalesRepository {
  private readonly connection: StoreConnection;
  private readonly db: Kysely<Database>;
  private readonly dialect: StoreDialect;
  /** The reads every sale makes several times over (each publish, webhook and poll), compiled once. */
  private readonly hot;

  constructor(connection: StoreConnection) {
    this.connection = connection;
    const db = (this.db = connection.db);
    this.dialect = connection.dialect;
    this.hot = {
      sale: precompiled(db, 1, (id: string) => db.selectFrom("sales").selectAll().where("id", "=", id)),
      activeSale: precompiled(db, 1, (terminalId: string) => activeSaleQuery(db, terminalId)),
      attempt: precompiled(db, 1, (id: string) => db.selectFrom("attempts").selectAll().where("id", "=", id)),
      attemptByReference: precompiled(db, 1, (reference: string) =>
        db.selectFrom("attempts").selectAll().where("reference", "=", reference),
      ),
      latestEventId: precompiled(db, 1, (saleId: string) =>
        db
          .selectFrom("sale_events")
          .select((eb) => eb.fn.max("id").as("id"))
          .where("sale_id", "=", saleId),
      ),
      shownSale: precompiled(db, 1, (terminalId: string) => shownSaleQuery(db, terminalId)),
    };
  }

  // --- Sales -------------------------------------------------------------------------------------

  async insertSale(sale: Sale, attempt: PaymentAttempt, event: NewSaleEvent) {
    try {
      await this.db.transaction().execute(async (trx) => {
        const active = await activeSale(trx, sale.terminalId);
        if (active) throw activeSaleConflict(sale.terminalId, active.id);
        await trx
          .insertInto("sales")
          .values({
            id: sale.id,
            ...saleRow(sale, this.dialect),
            active_terminal_id: isActive(sale.state) ? sale.terminalId : null,
          })
          .execute();
        await trx.insertInto("attempts").values(attemptRow(attempt)).execute();
        await insertEvent(trx, sale.id, { ...event, attemptId: event.attemptId ?? attempt.id });
        await insertPosEvent(trx, this.dialect, {
          type: "sale.created",
          subject: sale.id,
          createdAt: event.at ?? sale.createdAt,
          saleRow: { id: sale.id, ...saleRow(sale, this.dialect) },
        });
      });
    } catch (error) {
      // A concurrent insert that won shows up only as a unique violation (on PostgreSQL the
      // SELECT above cannot see its uncommitted row); its transaction has ended by then.
      throw await uniqueViolationAsStoreError(this.connection, error, sale.terminalId);
    }
  }

  async getSale(id: string) {
    const [row] = await this.hot.sale(id);
    return row ? toSale(row) : undefined;
  }

  async getSaleByIdempotencyKey(key: string) {
    const row = await this.db.selectFrom("sales").selectAll().where("idempotency_key", "=", key).executeTakeFirst();
    return row ? toSale(row) : undefined;
  }

  async getSaleByReceiptId(receiptId: string) {
    const row = await this.db.selectFrom("sales").selectAll().where("receipt_id", "=", receiptId).executeTakeFirst();
    return row ? toSale(row) : undefined;
  }

  async getActiveSale(terminalId: string) {
    const [row] = await this.hot.activeSale(terminalId);
    return row ? toSale(row) : undefined;
  }

  async getShownSale(terminalId: string) {
    const [row] = await this.hot.shownSale(terminalId);
    return row ? shownSaleOf(row) : undefined;
  }

  listSales(filter: SaleFilter) {
    return salesPage(this.db, filter);
  }

  async summarizeSales(filter: Omit<SaleFilter, "cursor" | "limit" | "state">): Promise<SaleSummary[]> {
    const rows = await this.db
      .selectFrom("sales")
      .select((eb) => [
        "state",
        "currency",
        eb.fn.countAll<number>().as("count"),
        eb.fn.sum<number>("amount").as("amount"),
        eb.fn.sum<number>("refunded_amount").as("refunded"),
        eb.fn.sum<number>(eb("captured_amount", "-", eb.ref("refunded_amount"))).as("net"),
      ])
      .where((eb) => salesMatching(eb, filter))
      .groupBy(["state", "currency"])
      .orderBy("state")
      .orderBy("currency")
      .execute();
    return rows.map((row) => ({
      state: row.state,
      currency: row.currency,
      count: Number(row.count),
      amount: Number(row.amount),
      refunded: Number(row.refunded),
      net: Number(row.net),
    }));
  }

  async transitionSale(id: string, from: readonly SaleState[], patch: Partial<Omit<Sale, "id">>, event: NewSaleEvent) {
    if (this.dialect === "postgresql") return this.transitionSaleInOneStatement(id, from, patch, event);
    let terminalId = "";
    try {
      return await this.db.transaction().execute(async (trx) => {
        const row = await lockSale(trx, this.dialect, id);
        if (!row) throw saleNotFound(id);
        const current = toSale(row);
        terminalId = current.terminalId;
        // The compare of compare-and-set: the row is locked, so the state cannot change under us.
        if (!from.includes(current.state)) return undefined;
        const next: Sale = { ...current, ...patch, id };
        const updated = await trx
          .updateTable("sales")
          .set({ ...saleRow(next, this.dialect), active_terminal_id: isActive(next.state) ? next.terminalId : null })
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirstOrThrow();
        // One time for the log's entry and the POS event: the event's data counts the capture
        // deadline from the log up to its own time (SaleViews.viewAt), this entry included.
        const at = event.at ?? new Date().toISOString();
        await insertEvent(trx, id, { fromState: current.state, toState: next.state, ...event, at });
        const posEvent = posEventForChange(current, next);
        if (posEvent)
          await insertPosEvent(trx, this.dialect, {
            type: posEvent,
            subject: id,
            createdAt: at,
            saleRow: updated,
            ...(posEvent === "sale.refunded" ? { refundAmount: next.refundedAmount - current.refundedAmount } : {}),
          });
        return toSale(updated);
      });
    } catch (error) {
      throw await uniqueViolationAsStoreError(this.connection, error, terminalId);
    }
  }

  /** transitionSale on PostgreSQL: the statement, and the StoreError a busy terminal is reported as. */
  private async transitionSaleInOneStatement(
    id: string,
    from: readonly SaleState[],
    patch: Partial<Omit<Sale, "id">>,
    event: NewSaleEvent,
  ) {
    try {
      return await transitionInOneStatement(this.db, id, from, patch, event);
    } catch (error) {
      if (violatedUnique(this.dialect, error) !== "activeTerminal") throw error;
      // The failed statement changed nothing; the sale's terminal names the conflict.
      throw await uniqueViolationAsStoreError(this.connection, error, (await this.getSale(id))?.terminalId ?? "");
    }
  }

  async insertAttempt(saleId: string, attempt: PaymentAttempt, event: NewSaleEvent) {
    let terminalId = "";
    try {
      return await this.db.transaction().execute(async (trx) => {
        const row = await lockSale(trx, this.dialect, saleId);
        if (!row) throw saleNotFound(saleId);
        const sale = toSale(row);
        terminalId = sale.terminalId;
        const active = await activeSale(trx, sale.terminalId);
        if (active && active.id !== saleId) throw activeSaleConflict(sale.terminalId, active.id);
        await trx.insertInto("attempts").values(attemptRow(attempt)).execute();
        const updated = await trx
          .updateTable("sales")
          .set((eb) => ({
            state: "pending",
            current_attempt_id: attempt.id,
            attempt_count: eb("attempt_count", "+", 1),
            active_terminal_id: eb.ref("terminal_id"),
            ended_at: null,
            failure_reason: null,
            updated_at: attempt.createdAt,
          }))
          .where("id", "=", saleId)
          .returningAll()
          .executeTakeFirstOrThrow();
        await insertEvent(trx, saleId, { fromState: sale.state, toState: "pending", attemptId: attempt.id, ...event });
        return toSale(updated);
      });
    } catch (error) {
      throw await uniqueViolationAsStoreError(this.connection, error, terminalId);
    }
  }

  // --- Attempts and their QR images --------------------------------------------------------------

  async getAttempt(id: string) {
    const [row] = await this.hot.attempt(id);
    return row ? toAttempt(row) : undefined;
  }

  async getAttemptByReference(reference: string) {
    const [row] = await this.hot.attemptByReference(reference);
    return row ? toAttempt(row) : undefined;
  }

  async listAttempts(saleId: string) {
    const rows = await this.db
      .selectFrom("attempts")
      .selectAll()
      .where("sale_id", "=", saleId)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(toAttempt);
  }

  async updateAttempt(id: string, patch: Partial<Omit<PaymentAttempt, "id" | "saleId" | "reference">>) {
    const row = attemptPatch(patch);
    if (Object.keys(row).length === 0) return;
    await this.db.updateTable("attempts").set(row).where("id", "=", id).execute();
  }

  async clearAttemptRecheck(id: string, since: string): Promise<void> {
    await this.db
      .updateTable("attempts")
      .set({ recheck_since: null })
      .where("id", "=", id)
      .where("recheck_since", "=", since)
      .execute();
  }

  listOpenAttempts() {
    return openAttempts(this.db);
  }

  async saveQrImage(attemptId: string, image: { contentType: string; body: string }, createdAt: string): Promise<void> {
    await this.db
      .insertInto("qr_images")
      .values({ attempt_id: attemptId, content_type: image.contentType, body: image.body, created_at: createdAt })
      .onConflict((oc) => oc.column("attempt_id").doNothing())
      .execute();
  }

  async getQrImage(attemptId: string): Promise<{ contentType: string; body: string } | undefined> {
    const row = await this.db
      .selectFrom("qr_images")
      .select(["content_type", "body"])
      .where("attempt_id", "=", attemptId)
      .executeTakeFirst();
    return row ? { contentType: row.content_type, body: row.body } : undefined;
  }

  async pruneQrImages(createdBefore: string): Promise<number> {
    const result = await this.db.deleteFrom("qr_images").where("created_at", "<", createdBefore).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  // --- The event log -----------------------------------------------------------------------------

  async appendEvent(event: NewSaleEvent) {
    if (!event.saleId) throw new Error("appendEvent needs a saleId");
    await insertEvent(this.db, event.saleId, event);
  }

  async listEvents(saleId: string) {
    const rows = await this.db
      .selectFrom("sale_events")
      .selectAll()
      .where("sale_id", "=", saleId)
      .orderBy("id")
      .execute();
    return rows.map(toEvent);
  }

  async latestEventIdForSale(saleId: string): Promise<number> {
    // The index on (sale_id, id) answers this from its last entry for the sale.
    const [row] = await this.hot.latestEventId(saleId);
    return Number(row?.id ?? 0);
  }

  async countSaleEvents(): Promise<SaleEventCount[]> {
    const rows = await this.db
      .selectFrom("sale_events")
      .select((eb) => ["type", "source", eb.fn.countAll<number>().as("count"), eb.fn.max("at").as("last_at")])
      .groupBy(["type", "source"])
      .orderBy("type")
      .orderBy("source")
      .execute();
    return rows.map((row) => ({
      type: row.type,
      source: row.source,
      count: Number(row.count),
      lastAt: String(row.last_at),
    }));
  }

  async listRecentSaleEvents(filter: { types: readonly string[]; limit: number }): Promise<SaleEvent[]> {
    if (filter.types.length === 0) return [];
    const limit = Math.min(Math.max(Math.trunc(filter.limit), 1), 500);
    const rows = await this.db
      .selectFrom("sale_events")
      .selectAll()
      .where("type", "in", [...filter.types])
      .orderBy("id", "desc")
      .limit(limit)
      .execute();
    return rows.map(toEvent);
  }

  // --- Refunds -----------------------------------------------------------------------------------

  async insertRefund(refund: Refund) {
    await this.db
      .insertInto("refunds")
      .values({
        id: refund.id,
        sale_id: refund.saleId,
        amount: refund.amount,
        state: refund.state,
        created_at: refund.createdAt,
      })
      .execute();
  }

  async updateRefund(id: string, state: Refund["state"]) {
    await this.db.updateTable("refunds").set({ state }).where("id", "=", id).execute();
  }

  async listRefunds(saleId: string) {
    const rows = await this.db
      .selectFrom("refunds")
      .selectAll()
      .where("sale_id", "=", saleId)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(toRefund);
  }
}
