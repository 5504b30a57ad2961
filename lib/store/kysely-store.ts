import "server-only";
import { type ExpressionBuilder, type Insertable, type Kysely, type Selectable, sql, type Updateable } from "kysely";
import { StoreError } from "@/lib/errors";
import type { DisplayDevice, DisplayKind, DisplayPairing, DisplayPresence, DisplayPresenceSeen } from "@/lib/entities/display";
import type { Product } from "@/lib/entities/product";
import {
  ACTIVE_SALE_STATES,
  type AttemptState,
  type NewSaleEvent,
  type PaymentAttempt,
  type Refund,
  type Sale,
  type SaleEvent,
  type SaleEventCount,
  type SaleFilter,
  type SaleState,
  type SaleSummary,
} from "@/lib/entities/sale";
import type { Terminal } from "@/lib/entities/terminal";
import type { NewVippsRequestRecord, VippsRequestRecord } from "@/lib/entities/vipps-request";
import type { StoreConnection, StoreDialect } from "./connect";
import { precompiled } from "./precompiled";
import { type AttemptsTable, type Database, PG_CONSTRAINTS, type SalesTable } from "./schema";
import type { Store } from "./store";

type SaleRow = Selectable<SalesTable>;

/**
 * The Store on Kysely, one implementation for SQLite and PostgreSQL. The queries are the same on
 * both; where the databases differ (row locks, booleans, JSON, how a unique violation is named)
 * a small helper below asks `dialect`. Atomic operations are single statements (upserts with
 * ON CONFLICT, nextSequence, acquireLease, markWebhookProcessed) or transactions that lock what they
 * read (SELECT … FOR UPDATE on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE, which
 * holds the database's write lock throughout). Open it with openStore (index.ts), which migrates.
 */
export class KyselyStore implements Store {
  private readonly db: Kysely<Database>;
  private readonly dialect: StoreDialect;
  /** The reads every sale makes several times over (each publish, webhook and poll), compiled once. */
  private readonly hot;

  constructor(connection: StoreConnection) {
    this.db = connection.db;
    this.dialect = connection.dialect;
    const db = this.db;
    this.hot = {
      setting: precompiled(db, 1, (key: string) => db.selectFrom("settings").select("value").where("key", "=", key)),
      terminal: precompiled(db, 1, (id: string) => db.selectFrom("terminals").selectAll().where("id", "=", id)),
      sale: precompiled(db, 1, (id: string) => db.selectFrom("sales").selectAll().where("id", "=", id)),
      activeSale: precompiled(db, 1, (terminalId: string) => activeSaleQuery(db, terminalId)),
      attempt: precompiled(db, 1, (id: string) => db.selectFrom("attempts").selectAll().where("id", "=", id)),
      attemptByReference: precompiled(db, 1, (reference: string) => db.selectFrom("attempts").selectAll().where("reference", "=", reference)),
      cart: precompiled(db, 1, (terminalId: string) => db.selectFrom("terminal_carts").select(["cart", "updated_at"]).where("terminal_id", "=", terminalId)),
      latestEventId: precompiled(db, 1, (saleId: string) => db.selectFrom("sale_events").select((eb) => eb.fn.max("id").as("id")).where("sale_id", "=", saleId)),
      // The active sale, else the newest: each an index look-up, then the sale's row by its key.
      shownSale: precompiled(db, 1, (terminalId: string) =>
        db
          .selectFrom("sales as s")
          .leftJoin("attempts as a", "a.id", "s.current_attempt_id")
          .selectAll("s")
          .select(ATTEMPT_COLUMNS.map((column) => `a.${column} as ${SHOWN_ATTEMPT_PREFIX}${column}` as const))
          .select((eb) => eb.selectFrom("sale_events as e").select((e) => e.fn.max("e.id").as("id")).whereRef("e.sale_id", "=", "s.id").as(SHOWN_VERSION))
          .where("s.id", "=", (eb) =>
            eb.fn.coalesce(
              eb.selectFrom("sales").select("id").where("active_terminal_id", "=", terminalId).limit(1),
              eb.selectFrom("sales").select("id").where("terminal_id", "=", terminalId).orderBy("created_at", "desc").orderBy("id", "desc").limit(1),
            ),
          ),
      ),
    };
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  async getSetting(key: string) {
    const [row] = await this.hot.setting(key);
    return row?.value;
  }

  async nextSequence(name: string) {
    // One statement: the row lock of the upsert makes concurrent callers take turns.
    const row = await this.db
      .insertInto("settings")
      .values({ key: `sequence.${name}`, value: "1" })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: sql`CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT)` }))
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

  async listTerminals() {
    const rows = await this.db.selectFrom("terminals").selectAll().orderBy("created_at").orderBy("id").execute();
    return rows.map(toTerminal);
  }

  async getTerminal(id: string) {
    const [row] = await this.hot.terminal(id);
    return row ? toTerminal(row) : undefined;
  }

  async getTerminalByDisplayToken(token: string) {
    const row = await this.db.selectFrom("terminals").selectAll().where("display_token", "=", token).executeTakeFirst();
    return row ? toTerminal(row) : undefined;
  }

  async insertTerminal(t: Terminal) {
    const result = await this.db
      .insertInto("terminals")
      .values(terminalRow(t, (value) => this.bool(value)))
      .onConflict((oc) => oc.column("id").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async saveTerminal(t: Terminal) {
    // The display token is left out of the update on purpose: see Store.saveTerminal.
    await this.db
      .insertInto("terminals")
      .values(terminalRow(t, (value) => this.bool(value)))
      .onConflict((oc) =>
        oc.column("id").doUpdateSet((eb) => ({
          name: eb.ref("excluded.name"),
          pos_id: eb.ref("excluded.pos_id"),
          language: eb.ref("excluded.language"),
          currency: eb.ref("excluded.currency"),
          chime: eb.ref("excluded.chime"),
        })),
      )
      .execute();
  }

  async setDisplayToken(id: string, token: string) {
    const result = await this.db.updateTable("terminals").set({ display_token: token }).where("id", "=", id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
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

  async insertSale(sale: Sale, attempt: PaymentAttempt, event: NewSaleEvent) {
    try {
      await this.db.transaction().execute(async (trx) => {
        const active = await activeSale(trx, sale.terminalId);
        if (active) throw activeSaleConflict(sale.terminalId, active.id);
        await trx
          .insertInto("sales")
          .values({ id: sale.id, ...this.saleRow(sale), active_terminal_id: isActive(sale.state) ? sale.terminalId : null })
          .execute();
        await trx.insertInto("attempts").values(attemptRow(attempt)).execute();
        await this.insertEvent(trx, sale.id, { ...event, attemptId: event.attemptId ?? attempt.id });
      });
    } catch (error) {
      // A concurrent insert that won shows up only as a unique violation (on PostgreSQL the
      // SELECT above cannot see its uncommitted row); its transaction has ended by then.
      throw await this.uniqueViolationAsStoreError(error, sale.terminalId);
    }
  }

  async getSale(id: string) {
    const [row] = await this.hot.sale(id);
    return row ? this.toSale(row) : undefined;
  }

  async getSaleByIdempotencyKey(key: string) {
    const row = await this.db.selectFrom("sales").selectAll().where("idempotency_key", "=", key).executeTakeFirst();
    return row ? this.toSale(row) : undefined;
  }

  async getActiveSale(terminalId: string) {
    const [row] = await this.hot.activeSale(terminalId);
    return row ? this.toSale(row) : undefined;
  }

  async getShownSale(terminalId: string) {
    const [row] = await this.hot.shownSale(terminalId);
    if (!row) return undefined;
    const record = row as unknown as Record<string, unknown>;
    const sale: Record<string, unknown> = {};
    const attempt: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(record)) {
      if (column === SHOWN_VERSION) continue;
      if (column.startsWith(SHOWN_ATTEMPT_PREFIX)) attempt[column.slice(SHOWN_ATTEMPT_PREFIX.length)] = value;
      else sale[column] = value;
    }
    return {
      sale: this.toSale(sale as SaleRow),
      attempt: attempt.id === null || attempt.id === undefined ? undefined : toAttempt(attempt as Selectable<AttemptsTable>),
      latestEventId: Number(record[SHOWN_VERSION] ?? 0),
    };
  }

  async listSales(filter: SaleFilter) {
    const requested = filter.limit !== undefined && Number.isFinite(filter.limit) ? Math.trunc(filter.limit) : 50;
    const limit = Math.min(Math.max(requested, 1), 200);
    let cursor: { createdAt: string; id: string } | undefined;
    if (filter.cursor !== undefined && filter.cursor !== "") {
      cursor = decodeCursor(filter.cursor);
      if (!cursor) throw new StoreError("invalidCursor", "cursor is not one this store returned");
    }
    const rows = await this.db
      .selectFrom("sales")
      .selectAll()
      .where((eb) => salesMatching(eb, filter))
      .$if(cursor !== undefined, (query) =>
        query.where((eb) =>
          eb.or([
            eb("created_at", "<", cursor!.createdAt),
            eb.and([eb("created_at", "=", cursor!.createdAt), eb("id", "<", cursor!.id)]),
          ]),
        ),
      )
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map((row) => this.toSale(row));
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null };
  }

  async summarizeSales(filter: Omit<SaleFilter, "cursor" | "limit" | "state">): Promise<SaleSummary[]> {
    const rows = await this.db
      .selectFrom("sales")
      .select((eb) => ["state", "currency", eb.fn.countAll<number>().as("count"), eb.fn.sum<number>("amount").as("amount")])
      .where((eb) => salesMatching(eb, filter))
      .groupBy(["state", "currency"])
      .orderBy("state")
      .orderBy("currency")
      .execute();
    return rows.map((row) => ({ state: row.state, currency: row.currency, count: Number(row.count), amount: Number(row.amount) }));
  }

  async transitionSale(id: string, from: readonly SaleState[], patch: Partial<Omit<Sale, "id">>, event: NewSaleEvent) {
    if (this.dialect === "postgresql") return this.transitionSaleInOneStatement(id, from, patch, event);
    let terminalId = "";
    try {
      return await this.db.transaction().execute(async (trx) => {
        const row = await this.lockSale(trx, id);
        if (!row) throw saleNotFound(id);
        const current = this.toSale(row);
        terminalId = current.terminalId;
        // The compare of compare-and-set: the row is locked, so the state cannot change under us.
        if (!from.includes(current.state)) return undefined;
        const next: Sale = { ...current, ...patch, id };
        const updated = await trx
          .updateTable("sales")
          .set({ ...this.saleRow(next), active_terminal_id: isActive(next.state) ? next.terminalId : null })
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await this.insertEvent(trx, id, { fromState: current.state, toState: next.state, ...event });
        return this.toSale(updated);
      });
    } catch (error) {
      throw await this.uniqueViolationAsStoreError(error, terminalId);
    }
  }

  /**
   * transitionSale on PostgreSQL, as one statement instead of a transaction of five round trips
   * (BEGIN, SELECT … FOR UPDATE, UPDATE, INSERT event, COMMIT): the same compare-and-set, with the
   * row lock held for one statement rather than across four network waits. `previous` locks the
   * row and reads its state (the newest, once any other writer has committed); `changed` updates
   * it only if that state is one of `from`; `logged` writes the event from what changed, so no
   * event is written when nothing changed. Only the patch's columns are set, as the transaction
   * sets them from the locked row plus the patch.
   */
  private async transitionSaleInOneStatement(id: string, from: readonly SaleState[], patch: Partial<Omit<Sale, "id">>, event: NewSaleEvent) {
    // saleRow maps field by field, so a patch maps to its own columns; only those are picked.
    const mapped: Record<string, unknown> = this.saleRow(patch as Sale);
    const assignments = (Object.keys(patch) as (keyof typeof SALE_COLUMNS)[])
      .filter((field) => field in SALE_COLUMNS)
      .map((field) => sql`${sql.ref(SALE_COLUMNS[field])} = ${mapped[SALE_COLUMNS[field]] ?? null}`);
    // Right-hand sides read the row as it was: the new state and terminal decide the active mark.
    const nextState = patch.state !== undefined ? sql`CAST(${patch.state} AS TEXT)` : sql.ref("sales.state");
    const nextTerminal = patch.terminalId !== undefined ? sql`CAST(${patch.terminalId} AS TEXT)` : sql.ref("sales.terminal_id");
    const activeStates = sql.join(ACTIVE_SALE_STATES.map((state) => sql.lit(state)));
    assignments.push(sql`active_terminal_id = CASE WHEN ${nextState} IN (${activeStates}) THEN ${nextTerminal} ELSE NULL END`);
    const detail = event.detail ? JSON.stringify(event.detail) : null;
    try {
      // One row if the sale exists; previous_state is NULL in it when the compare failed.
      const { rows } = await sql<SaleRow & { previous_state: SaleState | null }>`
        WITH previous AS (
          SELECT id, state FROM sales WHERE id = ${id} FOR UPDATE
        ), changed AS (
          UPDATE sales SET ${sql.join(assignments)}
          FROM previous
          WHERE sales.id = previous.id AND previous.state IN (${sql.join(from.map((state) => sql`${state}`))})
          RETURNING sales.*, previous.state AS previous_state
        ), logged AS (
          INSERT INTO sale_events (sale_id, attempt_id, type, source, from_state, to_state, detail, at)
          SELECT id, CAST(${event.attemptId ?? null} AS TEXT), ${event.type}, ${event.source}, previous_state, state,
            CAST(${detail} AS JSON), ${event.at ?? new Date().toISOString()}
          FROM changed
        )
        SELECT changed.* FROM previous LEFT JOIN changed ON changed.id = previous.id`.execute(this.db);
      const row = rows[0];
      if (!row) throw saleNotFound(id);
      if (row.previous_state === null) return undefined;
      return this.toSale(row);
    } catch (error) {
      if (this.violatedUnique(error) !== "activeTerminal") throw error;
      // The failed statement changed nothing; the sale's terminal names the conflict.
      throw await this.uniqueViolationAsStoreError(error, (await this.getSale(id))?.terminalId ?? "");
    }
  }

  async insertAttempt(saleId: string, attempt: PaymentAttempt, event: NewSaleEvent) {
    let terminalId = "";
    try {
      return await this.db.transaction().execute(async (trx) => {
        const row = await this.lockSale(trx, saleId);
        if (!row) throw saleNotFound(saleId);
        const sale = this.toSale(row);
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
        await this.insertEvent(trx, saleId, { fromState: sale.state, toState: "pending", attemptId: attempt.id, ...event });
        return this.toSale(updated);
      });
    } catch (error) {
      throw await this.uniqueViolationAsStoreError(error, terminalId);
    }
  }

  async getAttempt(id: string) {
    const [row] = await this.hot.attempt(id);
    return row ? toAttempt(row) : undefined;
  }

  async getAttemptByReference(reference: string) {
    const [row] = await this.hot.attemptByReference(reference);
    return row ? toAttempt(row) : undefined;
  }

  async listAttempts(saleId: string) {
    const rows = await this.db.selectFrom("attempts").selectAll().where("sale_id", "=", saleId).orderBy("created_at").orderBy("id").execute();
    return rows.map(toAttempt);
  }

  async updateAttempt(id: string, patch: Partial<Omit<PaymentAttempt, "id" | "saleId" | "reference">>) {
    const row = attemptPatch(patch);
    if (Object.keys(row).length === 0) return;
    await this.db.updateTable("attempts").set(row).where("id", "=", id).execute();
  }

  async clearAttemptRecheck(id: string, since: string): Promise<void> {
    await this.db.updateTable("attempts").set({ recheck_since: null }).where("id", "=", id).where("recheck_since", "=", since).execute();
  }

  async listOpenAttempts() {
    // Four look-ups, each by an index over what is open now (migrations 9 and 10), not one OR over every
    // attempt ever made; an attempt that matches more than one is listed once.
    const [current, unsettled, superseded, recheck] = await Promise.all([
      // The current attempt of each active sale: found terminal by terminal, through the unique
      // active_terminal_id that is set exactly while a sale is active.
      this.db
        .selectFrom("sales as s")
        .innerJoin("attempts as a", "a.id", "s.current_attempt_id")
        .selectAll("a")
        .where("s.active_terminal_id", "in", (eb) => eb.selectFrom("terminals").select("id"))
        .where("s.state", "in", ACTIVE_SALE_STATES)
        .execute(),
      // Attempts whose create call has not settled. The values are written into the SQL, not bound:
      // SQLite uses a partial index only when the query's own text implies the index's condition.
      this.db
        .selectFrom("attempts as a")
        .selectAll("a")
        .where("a.state", "in", [sql.lit<AttemptState>("CREATING"), sql.lit<AttemptState>("CREATE_FAILED")])
        .execute(),
      // Approved attempts a later attempt of their sale replaced, not yet released at Vipps.
      this.db
        .selectFrom("attempts as a")
        .innerJoin("sales as s", "s.id", "a.sale_id")
        .selectAll("a")
        .where("a.sale_id", "in", (eb) => eb.selectFrom("sales").select("id").where("attempt_count", ">", sql.lit(1)))
        .where("a.state", "=", "AUTHORIZED")
        .where("a.cancel_reason", "is", null)
        .whereRef("a.id", "<>", "s.current_attempt_id")
        .execute(),
      // Attempts owed a GET, however settled their sale (PaymentAttempt.recheckSince).
      this.db.selectFrom("attempts as a").selectAll("a").where("a.recheck_since", "is not", null).execute(),
    ]);
    const open = new Map([...current, ...unsettled, ...superseded, ...recheck].map((row) => [row.id, row]));
    return [...open.values()]
      .sort((x, y) => (x.next_poll_at < y.next_poll_at ? -1 : x.next_poll_at > y.next_poll_at ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
      .map(toAttempt);
  }

  async appendEvent(event: NewSaleEvent) {
    if (!event.saleId) throw new Error("appendEvent needs a saleId");
    await this.insertEvent(this.db, event.saleId, event);
  }

  async listEvents(saleId: string) {
    const rows = await this.db.selectFrom("sale_events").selectAll().where("sale_id", "=", saleId).orderBy("id").execute();
    return rows.map(toEvent);
  }

  async insertRefund(refund: Refund) {
    await this.db
      .insertInto("refunds")
      .values({ id: refund.id, sale_id: refund.saleId, amount: refund.amount, state: refund.state, created_at: refund.createdAt })
      .execute();
  }

  async updateRefund(id: string, state: Refund["state"]) {
    await this.db.updateTable("refunds").set({ state }).where("id", "=", id).execute();
  }

  async listRefunds(saleId: string) {
    const rows = await this.db.selectFrom("refunds").selectAll().where("sale_id", "=", saleId).orderBy("created_at").orderBy("id").execute();
    return rows.map((r): Refund => ({ id: r.id, saleId: r.sale_id, amount: r.amount, state: r.state, createdAt: r.created_at }));
  }

  async markWebhookProcessed(id: string, receivedAt: string) {
    const result = await this.db
      .insertInto("processed_webhooks")
      .values({ id, received_at: receivedAt })
      .onConflict((oc) => oc.column("id").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async pruneProcessedWebhooks(receivedBefore: string) {
    const result = await this.db.deleteFrom("processed_webhooks").where("received_at", "<", receivedBefore).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async forgetWebhook(id: string) {
    await this.db.deleteFrom("processed_webhooks").where("id", "=", id).execute();
  }

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
          .where((eb) => eb.or([eb("leases.holder", "=", eb.ref("excluded.holder")), eb("leases.expires_at_ms", "<=", nowMs)])),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async recordRateLimitHit(bucket: string, key: string, atMs: number): Promise<void> {
    await this.db.insertInto("rate_limit_hits").values({ bucket, key, at_ms: atMs }).execute();
  }

  async countRateLimitHits(bucket: string, key: string, sinceMs: number): Promise<{ count: number; oldestMs?: number }> {
    const row = await this.db
      .selectFrom("rate_limit_hits")
      .select((eb) => [eb.fn.countAll().as("count"), eb.fn.min("at_ms").as("oldest")])
      .where("bucket", "=", bucket)
      .where("key", "=", key)
      .where("at_ms", ">", sinceMs)
      .executeTakeFirst();
    const count = Number(row?.count ?? 0);
    return count > 0 ? { count, oldestMs: Number(row?.oldest) } : { count };
  }

  async clearRateLimitHits(bucket: string, key: string): Promise<void> {
    await this.db.deleteFrom("rate_limit_hits").where("bucket", "=", bucket).where("key", "=", key).execute();
  }

  async pruneRateLimitHits(beforeMs: number): Promise<number> {
    const result = await this.db.deleteFrom("rate_limit_hits").where("at_ms", "<=", beforeMs).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async recordDisplaySeen(presence: DisplayPresenceSeen): Promise<void> {
    const connectedAt = new Date(presence.atMs).toISOString();
    await this.db
      .insertInto("display_presence")
      .values({
        display_id: presence.displayId,
        terminal_id: presence.terminalId,
        kind: presence.kind,
        user_agent: presence.userAgent,
        screen: presence.screen,
        connected_at: connectedAt,
        last_seen_at_ms: presence.atMs,
        disconnected_at_ms: null,
      })
      .onConflict((oc) =>
        oc.column("display_id").doUpdateSet((eb) => ({
          terminal_id: eb.ref("excluded.terminal_id"),
          kind: eb.ref("excluded.kind"),
          user_agent: eb.ref("excluded.user_agent"),
          // What the display last said about its screen wins; an empty report keeps the old one.
          screen: sql<string>`CASE WHEN excluded.screen = '' THEN display_presence.screen ELSE excluded.screen END`,
          // A display that was gone and is back counts as connected from now.
          connected_at: sql<string>`CASE WHEN display_presence.disconnected_at_ms IS NULL THEN display_presence.connected_at ELSE excluded.connected_at END`,
          last_seen_at_ms: eb.ref("excluded.last_seen_at_ms"),
          disconnected_at_ms: null,
        })),
      )
      .execute();
  }

  async recordDisplayDisconnected(displayId: string, atMs: number): Promise<void> {
    await this.db.updateTable("display_presence").set({ disconnected_at_ms: atMs }).where("display_id", "=", displayId).execute();
  }

  async listDisplayPresence(terminalId: string, sinceMs: number): Promise<DisplayPresence[]> {
    const rows = await this.db
      .selectFrom("display_presence")
      .selectAll()
      .where("terminal_id", "=", terminalId)
      .where("last_seen_at_ms", ">=", sinceMs)
      .orderBy("last_seen_at_ms", "desc")
      .execute();
    return rows.map((row) => ({
      displayId: row.display_id,
      terminalId: row.terminal_id,
      kind: row.kind as DisplayKind,
      userAgent: row.user_agent,
      screen: row.screen,
      connectedAt: row.connected_at,
      lastSeenAtMs: Number(row.last_seen_at_ms),
      ...(row.disconnected_at_ms !== null ? { disconnectedAtMs: Number(row.disconnected_at_ms) } : {}),
    }));
  }

  async pruneDisplayPresence(beforeMs: number): Promise<number> {
    const result = await this.db.deleteFrom("display_presence").where("last_seen_at_ms", "<", beforeMs).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async saveQrImage(attemptId: string, image: { contentType: string; body: string }, createdAt: string): Promise<void> {
    await this.db
      .insertInto("qr_images")
      .values({ attempt_id: attemptId, content_type: image.contentType, body: image.body, created_at: createdAt })
      .onConflict((oc) => oc.column("attempt_id").doNothing())
      .execute();
  }

  async getQrImage(attemptId: string): Promise<{ contentType: string; body: string } | undefined> {
    const row = await this.db.selectFrom("qr_images").select(["content_type", "body"]).where("attempt_id", "=", attemptId).executeTakeFirst();
    return row ? { contentType: row.content_type, body: row.body } : undefined;
  }

  async pruneQrImages(createdBefore: string): Promise<number> {
    const result = await this.db.deleteFrom("qr_images").where("created_at", "<", createdBefore).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async getCart(terminalId: string): Promise<{ cart: unknown; updatedAt: string } | undefined> {
    const [row] = await this.hot.cart(terminalId);
    return row ? { cart: JSON.parse(row.cart) as unknown, updatedAt: row.updated_at } : undefined;
  }

  async saveCart(terminalId: string, cart: unknown, updatedAt: string): Promise<void> {
    await this.db
      .insertInto("terminal_carts")
      .values({ terminal_id: terminalId, cart: JSON.stringify(cart), updated_at: updatedAt })
      .onConflict((oc) => oc.column("terminal_id").doUpdateSet((eb) => ({ cart: eb.ref("excluded.cart"), updated_at: eb.ref("excluded.updated_at") })))
      .execute();
  }

  async clearCart(terminalId: string): Promise<boolean> {
    const result = await this.db.deleteFrom("terminal_carts").where("terminal_id", "=", terminalId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db.deleteFrom("leases").where("name", "=", name).where("holder", "=", holder).execute();
  }

  async latestEventIdForSale(saleId: string): Promise<number> {
    // The index on (sale_id, id) answers this from its last entry for the sale.
    const [row] = await this.hot.latestEventId(saleId);
    return Number(row?.id ?? 0);
  }

  async saveDevice(d: DisplayDevice) {
    await this.db
      .insertInto("display_devices")
      .values({
        id: d.id,
        terminal_id: d.terminalId,
        token_hash: d.tokenHash,
        label: d.label,
        created_at: d.createdAt,
        revoked_at: d.revokedAt ?? null,
      })
      .onConflict((oc) =>
        oc.column("id").doUpdateSet((eb) => ({
          terminal_id: eb.ref("excluded.terminal_id"),
          label: eb.ref("excluded.label"),
          revoked_at: eb.ref("excluded.revoked_at"),
        })),
      )
      .execute();
  }

  async getDeviceByTokenHash(tokenHash: string) {
    const row = await this.db.selectFrom("display_devices").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
    return row ? toDevice(row) : undefined;
  }

  async listDevices(terminalId?: string) {
    const rows = await this.db
      .selectFrom("display_devices")
      .selectAll()
      .$if(terminalId !== undefined, (query) => query.where("terminal_id", "=", terminalId!))
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(toDevice);
  }

  async revokeDevice(id: string, revokedAt: string) {
    const result = await this.db
      .updateTable("display_devices")
      .set((eb) => ({ revoked_at: eb.fn.coalesce("revoked_at", eb.val(revokedAt)) }))
      .where("id", "=", id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async savePairing(p: DisplayPairing) {
    await this.db
      .insertInto("display_pairings")
      .values({
        id: p.id,
        code: p.code,
        expires_at: p.expiresAt,
        terminal_id: p.terminalId ?? null,
        device_token: p.deviceToken ?? null,
        claimed_at: p.claimedAt ?? null,
      })
      .onConflict((oc) =>
        oc.column("id").doUpdateSet((eb) => ({
          terminal_id: eb.ref("excluded.terminal_id"),
          device_token: eb.ref("excluded.device_token"),
          claimed_at: eb.ref("excluded.claimed_at"),
        })),
      )
      .execute();
  }

  async pruneExpiredPairings(expiredBefore: string): Promise<number> {
    const result = await this.db.deleteFrom("display_pairings").where("expires_at", "<", expiredBefore).where("terminal_id", "is", null).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async getPairingByCode(code: string) {
    const row = await this.db
      .selectFrom("display_pairings")
      .selectAll()
      .where("code", "=", code)
      .where("terminal_id", "is", null)
      .orderBy("expires_at", "desc")
      .limit(1)
      .executeTakeFirst();
    return row ? toPairing(row) : undefined;
  }

  async getPairing(id: string) {
    const row = await this.db.selectFrom("display_pairings").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toPairing(row) : undefined;
  }

  // --- Go-live evidence: outgoing Vipps requests and the event log summed up ---------------

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

  async countSaleEvents(): Promise<SaleEventCount[]> {
    const rows = await this.db
      .selectFrom("sale_events")
      .select((eb) => ["type", "source", eb.fn.countAll<number>().as("count"), eb.fn.max("at").as("last_at")])
      .groupBy(["type", "source"])
      .orderBy("type")
      .orderBy("source")
      .execute();
    return rows.map((row) => ({ type: row.type, source: row.source, count: Number(row.count), lastAt: String(row.last_at) }));
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

  // --- Where the dialects differ -------------------------------------------------------------

  /**
   * Reads a sale for changing it in this transaction. PostgreSQL locks the row (other writers
   * wait; we then read the committed state); SQLite has no FOR UPDATE and needs none, since the
   * BEGIN IMMEDIATE transaction already excludes every other writer.
   */
  private lockSale(trx: Kysely<Database>, id: string): Promise<SaleRow | undefined> {
    const query = trx.selectFrom("sales").selectAll().where("id", "=", id);
    return (this.dialect === "postgresql" ? query.forUpdate() : query).executeTakeFirst();
  }

  /** SQLite keeps booleans as 0/1; PostgreSQL has a boolean column. */
  private bool(value: boolean): number | boolean {
    return this.dialect === "postgresql" ? value : value ? 1 : 0;
  }

  /** Which of the unique constraints the store reports was violated, if any. */
  private violatedUnique(error: unknown): "idempotencyKey" | "activeTerminal" | undefined {
    const failure = error as { code?: unknown; constraint?: unknown; message?: unknown } | null;
    if (this.dialect === "postgresql") {
      // unique_violation, with the constraint named by the migration.
      if (failure?.code !== "23505") return undefined;
      if (failure.constraint === PG_CONSTRAINTS.salesIdempotencyKey) return "idempotencyKey";
      if (failure.constraint === PG_CONSTRAINTS.salesActiveTerminal) return "activeTerminal";
      return undefined;
    }
    // better-sqlite3 names the violated column only in the message; the code says it is a unique one.
    if (failure?.code !== "SQLITE_CONSTRAINT_UNIQUE") return undefined;
    const message = String(failure.message);
    if (message.endsWith("sales.idempotency_key")) return "idempotencyKey";
    if (message.endsWith("sales.active_terminal_id")) return "activeTerminal";
    return undefined;
  }

  /** Turns the unique violations callers handle into StoreErrors; anything else is returned as it is. */
  private async uniqueViolationAsStoreError(error: unknown, terminalId: string): Promise<unknown> {
    switch (this.violatedUnique(error)) {
      case "idempotencyKey":
        return new StoreError("duplicateKey", "The idempotency key is taken", { key: "idempotencyKey" });
      case "activeTerminal":
        // Read after the failed transaction ended, so the winner's commit is visible.
        return activeSaleConflict(terminalId, (await activeSale(this.db, terminalId))?.id ?? "unknown");
      default:
        return error;
    }
  }

  // --- Rows to and from the domain ------------------------------------------------------------

  private saleRow(s: Sale): Omit<Insertable<SalesTable>, "id" | "active_terminal_id"> {
    return {
      terminal_id: s.terminalId,
      receipt_number: s.receiptNumber,
      currency: s.currency,
      amount: s.amount,
      description: s.description,
      lines: JSON.stringify(s.lines),
      state: s.state,
      auto_capture: this.bool(s.autoCapture),
      captured_amount: s.capturedAmount,
      refunded_amount: s.refundedAmount,
      current_attempt_id: s.currentAttemptId,
      attempt_count: s.attemptCount,
      failure_reason: s.failureReason ?? null,
      idempotency_key: s.idempotencyKey ?? null,
      request_hash: s.requestHash ?? null,
      created_at: s.createdAt,
      updated_at: s.updatedAt,
      ended_at: s.endedAt ?? null,
      customer_phone: s.customerPhone ?? null,
    };
  }

  private toSale(r: SaleRow): Sale {
    return {
      id: r.id,
      terminalId: r.terminal_id,
      receiptNumber: r.receipt_number,
      currency: r.currency,
      amount: r.amount,
      description: r.description,
      lines: fromJson(r.lines),
      state: r.state,
      autoCapture: r.auto_capture === true || r.auto_capture === 1,
      capturedAmount: r.captured_amount,
      refundedAmount: r.refunded_amount,
      currentAttemptId: r.current_attempt_id,
      attemptCount: r.attempt_count,
      failureReason: r.failure_reason ?? undefined,
      idempotencyKey: r.idempotency_key ?? undefined,
      requestHash: r.request_hash ?? undefined,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      endedAt: r.ended_at ?? undefined,
      ...(r.customer_phone ? { customerPhone: r.customer_phone } : {}),
    };
  }

  private async insertEvent(db: Kysely<Database>, saleId: string, event: NewSaleEvent): Promise<void> {
    await db
      .insertInto("sale_events")
      .values({
        sale_id: saleId,
        attempt_id: event.attemptId ?? null,
        type: event.type,
        source: event.source,
        from_state: event.fromState ?? null,
        to_state: event.toState ?? null,
        detail: event.detail ? JSON.stringify(event.detail) : null,
        at: event.at ?? new Date().toISOString(),
      })
      .execute();
  }
}

const isActive = (state: SaleState) => ACTIVE_SALE_STATES.includes(state);

/** Every column of attempts, for reads that join them to their sale under prefixed names. */
const ATTEMPT_COLUMNS = [
  "id",
  "sale_id",
  "reference",
  "state",
  "qr_url",
  "created_at",
  "expires_at",
  "next_poll_at",
  "poll_count",
  "last_polled_at",
  "cancel_reason",
  "recheck_since",
] as const satisfies readonly (keyof AttemptsTable)[];
// A column added to attempts and not listed above fails to compile here.
const attemptColumnsComplete: [Exclude<keyof AttemptsTable, (typeof ATTEMPT_COLUMNS)[number]>] extends [never] ? true : never = true;
void attemptColumnsComplete;
const SHOWN_ATTEMPT_PREFIX = "attempt__";
const SHOWN_VERSION = "shown_sale_version";

/** Each field of a sale and the column that holds it (saleRow and toSale convert the values). */
const SALE_COLUMNS = {
  terminalId: "terminal_id",
  receiptNumber: "receipt_number",
  currency: "currency",
  amount: "amount",
  description: "description",
  lines: "lines",
  state: "state",
  autoCapture: "auto_capture",
  capturedAmount: "captured_amount",
  refundedAmount: "refunded_amount",
  currentAttemptId: "current_attempt_id",
  attemptCount: "attempt_count",
  failureReason: "failure_reason",
  idempotencyKey: "idempotency_key",
  requestHash: "request_hash",
  createdAt: "created_at",
  updatedAt: "updated_at",
  endedAt: "ended_at",
  customerPhone: "customer_phone",
} as const satisfies Record<keyof Omit<Sale, "id">, keyof SalesTable>;

const activeSaleConflict = (terminalId: string, activeSaleId: string) =>
  new StoreError("activeSaleConflict", `Terminal ${terminalId} already has an active sale (${activeSaleId})`, { terminalId, activeSaleId });
const saleNotFound = (saleId: string) => new StoreError("notFound", `Sale ${saleId} not found`, { saleId });

function activeSaleQuery(db: Kysely<Database>, terminalId: string) {
  return db.selectFrom("sales").selectAll().where("active_terminal_id", "=", terminalId);
}

function activeSale(db: Kysely<Database>, terminalId: string): Promise<SaleRow | undefined> {
  return activeSaleQuery(db, terminalId).executeTakeFirst();
}

function salesMatching(eb: ExpressionBuilder<Database, "sales">, filter: Omit<SaleFilter, "cursor" | "limit">) {
  const conditions = [];
  if (filter.terminalId) conditions.push(eb("terminal_id", "=", filter.terminalId));
  if (filter.state) conditions.push(eb("state", "=", filter.state));
  if (filter.from) conditions.push(eb("created_at", ">=", filter.from));
  if (filter.to) conditions.push(eb("created_at", "<", filter.to));
  return eb.and(conditions);
}

/** SQLite hands JSON back as the TEXT it stored; PostgreSQL's pg parses json columns itself. */
function fromJson<T>(value: string | T): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

function encodeCursor(sale: Sale): string {
  return Buffer.from(`${sale.createdAt}|${sale.id}`, "utf8").toString("base64url");
}

/**
 * Only a cursor this store could have made is accepted: anything that does not survive the round
 * trip (bytes that are not UTF-8, a NUL, which PostgreSQL refuses in text) is an invalid cursor,
 * not a database error.
 */
function decodeCursor(cursor: string): { createdAt: string; id: string } | undefined {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const bar = text.indexOf("|");
  if (bar <= 0 || bar === text.length - 1 || text.includes("\u0000")) return undefined;
  if (Buffer.from(text, "utf8").toString("base64url") !== cursor) return undefined;
  return { createdAt: text.slice(0, bar), id: text.slice(bar + 1) };
}

function terminalRow(t: Terminal, bool: (value: boolean) => number | boolean): Insertable<Database["terminals"]> {
  return {
    id: t.id,
    name: t.name,
    pos_id: t.posId,
    language: t.language,
    currency: t.currency,
    display_token: t.displayToken,
    created_at: t.createdAt,
    chime: bool(t.chime !== false),
  };
}

const toTerminal = (r: Selectable<Database["terminals"]>): Terminal => ({
  id: r.id,
  name: r.name,
  posId: r.pos_id,
  language: r.language,
  currency: r.currency,
  displayToken: r.display_token,
  createdAt: r.created_at,
  chime: r.chime === true || r.chime === 1,
});

const toProduct = (r: Selectable<Database["products"]>): Product => ({
  id: r.id,
  name: r.name,
  unitPrice: r.unit_price,
  currency: r.currency,
  taxRate: r.tax_rate,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function attemptRow(a: PaymentAttempt): Insertable<AttemptsTable> {
  return {
    id: a.id,
    sale_id: a.saleId,
    reference: a.reference,
    state: a.state,
    qr_url: a.qrUrl ?? null,
    created_at: a.createdAt,
    expires_at: a.expiresAt,
    next_poll_at: a.nextPollAt,
    poll_count: a.pollCount,
    last_polled_at: a.lastPolledAt ?? null,
    cancel_reason: a.cancelReason ?? null,
    recheck_since: a.recheckSince ?? null,
  };
}

/** The columns a patch names; an optional field given as undefined is cleared, as before. */
function attemptPatch(patch: Partial<Omit<PaymentAttempt, "id" | "saleId" | "reference">>): Updateable<AttemptsTable> {
  const row: Updateable<AttemptsTable> = {};
  if (patch.state !== undefined) row.state = patch.state;
  if ("qrUrl" in patch) row.qr_url = patch.qrUrl ?? null;
  if (patch.createdAt !== undefined) row.created_at = patch.createdAt;
  if (patch.expiresAt !== undefined) row.expires_at = patch.expiresAt;
  if (patch.nextPollAt !== undefined) row.next_poll_at = patch.nextPollAt;
  if (patch.pollCount !== undefined) row.poll_count = patch.pollCount;
  if ("lastPolledAt" in patch) row.last_polled_at = patch.lastPolledAt ?? null;
  if ("cancelReason" in patch) row.cancel_reason = patch.cancelReason ?? null;
  if ("recheckSince" in patch) row.recheck_since = patch.recheckSince ?? null;
  return row;
}

const toAttempt = (r: Selectable<AttemptsTable>): PaymentAttempt => ({
  id: r.id,
  saleId: r.sale_id,
  reference: r.reference,
  state: r.state,
  qrUrl: r.qr_url ?? undefined,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  nextPollAt: r.next_poll_at,
  pollCount: r.poll_count,
  lastPolledAt: r.last_polled_at ?? undefined,
  cancelReason: r.cancel_reason ?? undefined,
  ...(r.recheck_since ? { recheckSince: r.recheck_since } : {}),
});

const toEvent = (r: Selectable<Database["sale_events"]>): SaleEvent => ({
  id: Number(r.id),
  saleId: r.sale_id,
  attemptId: r.attempt_id ?? undefined,
  type: r.type,
  source: r.source,
  fromState: r.from_state ?? undefined,
  toState: r.to_state ?? undefined,
  detail: r.detail ? fromJson<Record<string, unknown>>(r.detail) : undefined,
  at: r.at,
});

const toDevice = (r: Selectable<Database["display_devices"]>): DisplayDevice => ({
  id: r.id,
  terminalId: r.terminal_id,
  tokenHash: r.token_hash,
  label: r.label,
  createdAt: r.created_at,
  revokedAt: r.revoked_at ?? undefined,
});

const toPairing = (r: Selectable<Database["display_pairings"]>): DisplayPairing => ({
  id: r.id,
  code: r.code,
  expiresAt: r.expires_at,
  terminalId: r.terminal_id ?? undefined,
  deviceToken: r.device_token ?? undefined,
  claimedAt: r.claimed_at ?? undefined,
});
