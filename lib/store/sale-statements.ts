import "server-only";
import { type ExpressionBuilder, type Kysely, type Selectable, sql } from "kysely";
import { StoreError } from "@/lib/errors";
import {
  ACTIVE_SALE_STATES,
  type AttemptState,
  type NewSaleEvent,
  type PaymentAttempt,
  type Sale,
  type SaleFilter,
  type SaleState,
} from "@/lib/entities/sale";
import type { StoreConnection, StoreDialect } from "./connect";
import { posEventCtes } from "./pos-event-statements";
import {
  ATTEMPT_COLUMNS,
  decodeCursor,
  encodeCursor,
  SALE_COLUMNS,
  type SaleRow,
  saleRow,
  toAttempt,
  toSale,
} from "./sale-rows";
import { type AttemptsTable, type Database, PG_CONSTRAINTS } from "./schema";

/*
 * The sales repository's larger statements and what they share: the locks, the one-statement
 * transition of PostgreSQL, the reads that join several tables, and how a unique violation becomes
 * the StoreError callers handle. Where the dialects differ the function is given `dialect`.
 */

export const isActive = (state: SaleState) => ACTIVE_SALE_STATES.includes(state);

export const activeSaleConflict = (terminalId: string, activeSaleId: string) =>
  new StoreError("activeSaleConflict", `Terminal ${terminalId} already has an active sale (${activeSaleId})`, {
    terminalId,
    activeSaleId,
  });
export const saleNotFound = (saleId: string) => new StoreError("notFound", `Sale ${saleId} not found`, { saleId });

export function activeSaleQuery(db: Kysely<Database>, terminalId: string) {
  return db.selectFrom("sales").selectAll().where("active_terminal_id", "=", terminalId);
}

export function activeSale(db: Kysely<Database>, terminalId: string): Promise<SaleRow | undefined> {
  return activeSaleQuery(db, terminalId).executeTakeFirst();
}

export function salesMatching(eb: ExpressionBuilder<Database, "sales">, filter: Omit<SaleFilter, "cursor" | "limit">) {
  const conditions = [];
  if (filter.terminalId) conditions.push(eb("terminal_id", "=", filter.terminalId));
  if (filter.storeId) conditions.push(eb("store_id", "=", filter.storeId));
  if (filter.state) conditions.push(eb("state", "=", filter.state));
  if (filter.from) conditions.push(eb("created_at", ">=", filter.from));
  if (filter.to) conditions.push(eb("created_at", "<", filter.to));
  return eb.and(conditions);
}

/** SalesRepository.listSales: a page of sales, newest first, after the cursor when one is given. */
export async function salesPage(
  db: Kysely<Database>,
  filter: SaleFilter,
): Promise<{ items: Sale[]; nextCursor: string | null }> {
  const requested = filter.limit !== undefined && Number.isFinite(filter.limit) ? Math.trunc(filter.limit) : 50;
  const limit = Math.min(Math.max(requested, 1), 200);
  let cursor: { createdAt: string; id: string } | undefined;
  if (filter.cursor !== undefined && filter.cursor !== "") {
    cursor = decodeCursor(filter.cursor);
    if (!cursor) throw new StoreError("invalidCursor", "cursor is not one this store returned");
  }
  const rows = await db
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
  const items = rows.slice(0, limit).map(toSale);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null };
}

/** The prefix of the attempt's columns, and the name of the newest event id, in shownSaleQuery's row. */
const SHOWN_ATTEMPT_PREFIX = "attempt__";
const SHOWN_VERSION = "shown_sale_version";

/**
 * SalesRepository.getShownSale as one query: the active sale, else the newest, each an index
 * look-up, then the sale's row by its key, joined to its current attempt and its newest event id.
 */
export function shownSaleQuery(db: Kysely<Database>, terminalId: string) {
  return db
    .selectFrom("sales as s")
    .leftJoin("attempts as a", "a.id", "s.current_attempt_id")
    .selectAll("s")
    .select(ATTEMPT_COLUMNS.map((column) => `a.${column} as ${SHOWN_ATTEMPT_PREFIX}${column}` as const))
    .select((eb) =>
      eb
        .selectFrom("sale_events as e")
        .select((e) => e.fn.max("e.id").as("id"))
        .whereRef("e.sale_id", "=", "s.id")
        .as(SHOWN_VERSION),
    )
    .where("s.id", "=", (eb) =>
      eb.fn.coalesce(
        eb.selectFrom("sales").select("id").where("active_terminal_id", "=", terminalId).limit(1),
        eb
          .selectFrom("sales")
          .select("id")
          .where("terminal_id", "=", terminalId)
          .orderBy("created_at", "desc")
          .orderBy("id", "desc")
          .limit(1),
      ),
    );
}

/** Splits a row of shownSaleQuery into the sale, its attempt (if any) and its newest event id. */
export function shownSaleOf(row: object): { sale: Sale; attempt: PaymentAttempt | undefined; latestEventId: number } {
  const record = row as Record<string, unknown>;
  const sale: Record<string, unknown> = {};
  const attempt: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(record)) {
    if (column === SHOWN_VERSION) continue;
    if (column.startsWith(SHOWN_ATTEMPT_PREFIX)) attempt[column.slice(SHOWN_ATTEMPT_PREFIX.length)] = value;
    else sale[column] = value;
  }
  return {
    sale: toSale(sale as SaleRow),
    attempt:
      attempt.id === null || attempt.id === undefined ? undefined : toAttempt(attempt as Selectable<AttemptsTable>),
    latestEventId: Number(record[SHOWN_VERSION] ?? 0),
  };
}

export async function insertEvent(db: Kysely<Database>, saleId: string, event: NewSaleEvent): Promise<void> {
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

// --- Where the dialects differ -------------------------------------------------------------

/**
 * Reads a sale for changing it in this transaction. PostgreSQL locks the row (other writers
 * wait; we then read the committed state); SQLite has no FOR UPDATE and needs none, since the
 * BEGIN IMMEDIATE transaction already excludes every other writer.
 */
export function lockSale(trx: Kysely<Database>, dialect: StoreDialect, id: string): Promise<SaleRow | undefined> {
  const query = trx.selectFrom("sales").selectAll().where("id", "=", id);
  return (dialect === "postgresql" ? query.forUpdate() : query).executeTakeFirst();
}

/** Which of the unique constraints the store reports was violated, if any. */
export function violatedUnique(dialect: StoreDialect, error: unknown): "idempotencyKey" | "activeTerminal" | undefined {
  const failure = error as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  if (dialect === "postgresql") {
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
export async function uniqueViolationAsStoreError(
  connection: StoreConnection,
  error: unknown,
  terminalId: string,
): Promise<unknown> {
  switch (violatedUnique(connection.dialect, error)) {
    case "idempotencyKey":
      return new StoreError("duplicateKey", "The idempotency key is taken", { key: "idempotencyKey" });
    case "activeTerminal":
      // Read after the failed transaction ended, so the winner's commit is visible.
      return activeSaleConflict(terminalId, (await activeSale(connection.db, terminalId))?.id ?? "unknown");
    default:
      return error;
  }
}

/**
 * SalesRepository.transitionSale on PostgreSQL, as one statement instead of a transaction of five
 * round trips (BEGIN, SELECT … FOR UPDATE, UPDATE, INSERT event, COMMIT): the same compare-and-set,
 * with the row lock held for one statement rather than across four network waits. `previous` locks the
 * row and reads its state (the newest, once any other writer has committed); `changed` updates
 * it only if that state is one of `from`; `logged` writes the event from what changed, so no
 * event is written when nothing changed. Only the patch's columns are set, as the transaction
 * sets them from the locked row plus the patch. A unique violation is left to the caller.
 */
export async function transitionInOneStatement(
  db: Kysely<Database>,
  id: string,
  from: readonly SaleState[],
  patch: Partial<Omit<Sale, "id">>,
  event: NewSaleEvent,
): Promise<Sale | undefined> {
  // saleRow maps field by field, so a patch maps to its own columns; only those are picked.
  const mapped: Record<string, unknown> = saleRow(patch as Sale, "postgresql");
  const assignments = (Object.keys(patch) as (keyof typeof SALE_COLUMNS)[])
    .filter((field) => field in SALE_COLUMNS)
    .map((field) => sql`${sql.ref(SALE_COLUMNS[field])} = ${mapped[SALE_COLUMNS[field]] ?? null}`);
  // Right-hand sides read the row as it was: the new state and terminal decide the active mark.
  const nextState = patch.state !== undefined ? sql`CAST(${patch.state} AS TEXT)` : sql.ref("sales.state");
  const nextTerminal =
    patch.terminalId !== undefined ? sql`CAST(${patch.terminalId} AS TEXT)` : sql.ref("sales.terminal_id");
  const activeStates = sql.join(ACTIVE_SALE_STATES.map((state) => sql.lit(state)));
  assignments.push(
    sql`active_terminal_id = CASE WHEN ${nextState} IN (${activeStates}) THEN ${nextTerminal} ELSE NULL END`,
  );
  const detail = event.detail ? JSON.stringify(event.detail) : null;
  const at = event.at ?? new Date().toISOString();
  // One row if the sale exists; previous_state is NULL in it when the compare failed. The POS's
  // event of the change, if it makes one, goes into the outbox in this same statement (posEventCtes).
  const { rows } = await sql<SaleRow & { previous_state: SaleState | null }>`
    WITH previous AS (
      SELECT id, state, refunded_amount FROM sales WHERE id = ${id} FOR UPDATE
    ), changed AS (
      UPDATE sales SET ${sql.join(assignments)}
      FROM previous
      WHERE sales.id = previous.id AND previous.state IN (${sql.join(from.map((state) => sql`${state}`))})
      RETURNING sales.*, previous.state AS previous_state, previous.refunded_amount AS previous_refunded_amount
    ), logged AS (
      INSERT INTO sale_events (sale_id, attempt_id, type, source, from_state, to_state, detail, at)
      SELECT id, CAST(${event.attemptId ?? null} AS TEXT), ${event.type}, ${event.source}, previous_state, state,
        CAST(${detail} AS JSON), ${at}
      FROM changed
    ), ${posEventCtes(at)}
    SELECT changed.* FROM previous LEFT JOIN changed ON changed.id = previous.id`.execute(db);
  const row = rows[0];
  if (!row) throw saleNotFound(id);
  if (row.previous_state === null) return undefined;
  return toSale(row);
}

/** SalesRepository.listOpenAttempts: what the reconciler must ask Vipps about, by next poll time. */
export async function openAttempts(db: Kysely<Database>): Promise<PaymentAttempt[]> {
  // Four look-ups, each by an index over what is open now (migrations 9 and 10), not one OR over every
  // attempt ever made; an attempt that matches more than one is listed once.
  const [current, unsettled, superseded, recheck] = await Promise.all([
    // The current attempt of each active sale: found terminal by terminal, through the unique
    // active_terminal_id that is set exactly while a sale is active.
    db
      .selectFrom("sales as s")
      .innerJoin("attempts as a", "a.id", "s.current_attempt_id")
      .selectAll("a")
      .where("s.active_terminal_id", "in", (eb) => eb.selectFrom("terminals").select("id"))
      .where("s.state", "in", ACTIVE_SALE_STATES)
      .execute(),
    // Attempts whose create call has not settled. The values are written into the SQL, not bound:
    // SQLite uses a partial index only when the query's own text implies the index's condition.
    db
      .selectFrom("attempts as a")
      .selectAll("a")
      .where("a.state", "in", [sql.lit<AttemptState>("CREATING"), sql.lit<AttemptState>("CREATE_FAILED")])
      .execute(),
    // Approved attempts a later attempt of their sale replaced, not yet released at Vipps.
    db
      .selectFrom("attempts as a")
      .innerJoin("sales as s", "s.id", "a.sale_id")
      .selectAll("a")
      .where("a.sale_id", "in", (eb) => eb.selectFrom("sales").select("id").where("attempt_count", ">", sql.lit(1)))
      .where("a.state", "=", "AUTHORIZED")
      .where("a.cancel_reason", "is", null)
      .whereRef("a.id", "<>", "s.current_attempt_id")
      .execute(),
    // Attempts owed a GET, however settled their sale (PaymentAttempt.recheckSince).
    db.selectFrom("attempts as a").selectAll("a").where("a.recheck_since", "is not", null).execute(),
  ]);
  const open = new Map([...current, ...unsettled, ...superseded, ...recheck].map((row) => [row.id, row]));
  return [...open.values()]
    .sort((x, y) =>
      x.next_poll_at < y.next_poll_at
        ? -1
        : x.next_poll_at > y.next_poll_at
          ? 1
          : x.id < y.id
            ? -1
            : x.id > y.id
              ? 1
              : 0,
    )
    .map(toAttempt);
}
