import "server-only";
import { randomBytes } from "node:crypto";
import { CompiledQuery, type Kysely, type RawBuilder, sql } from "kysely";
import { POS_EVENT_FOR_STATE, type PosEventType } from "@/lib/entities/pos-event";
import type { StoreDialect } from "./connect";
import type { Database } from "./schema";

/*
 * Writing the POS's outbox (pos_events) inside the transaction of the change an event reports, so
 * that a crash right after the commit loses nothing: the event is there, and its delivery follows.
 *
 * Commit order. The feed pages by `seq` and each endpoint's deliveries are made up to a seq
 * (fanned_out_seq), so a reader that has seen seq N must already be able to see every event below
 * N. SQLite gives that for free (one writer at a time, BEGIN IMMEDIATE). On PostgreSQL an identity
 * value is handed out when the row is inserted, not when its transaction commits: two transactions
 * can take 7 and 8 and commit 8 first, and a reader in between would step past 7 for good. So every
 * transaction that inserts into the outbox first takes one transaction-scoped advisory lock, held
 * until its commit: the seq is taken and committed under the lock, one transaction at a time.
 * The lock is always the last one such a transaction takes (after its row locks), and nothing it
 * does afterwards waits on anyone, so it cannot deadlock; it is held for one insert and the commit.
 */

/** Any constant will do; the same in every instance of this app (not the migrations' one). */
export const POS_EVENTS_LOCK = 7_310_442_719;

/** A new event's stable id: the webhook-id of its deliveries and its id in the feed. */
export const newPosEventId = () => `evt_${randomBytes(12).toString("base64url")}`;

export interface PosEventRow {
  type: PosEventType;
  subject: string;
  createdAt: string;
  /** The sale's row as the change left it (a JSON object of its columns). */
  saleRow?: Record<string, unknown>;
  refundAmount?: number;
  /** The event's data when the writer has it already (a terminal close). */
  data?: unknown;
}

const POS_EVENT_COLUMNS = "id, type, subject, created_at, sale_row, refund_amount, data";

/*
 * The outbox's insert is written once as SQL text rather than built with Kysely on every change:
 * every sale change makes one, and building and compiling the query cost about as much as the
 * insert itself (see precompiled.ts). On PostgreSQL the order lock is taken in the same statement,
 * one round trip instead of two: the row's identity value is drawn when the row is formed, after
 * the subquery that takes the lock has run (as in posEventCtes).
 */
const INSERT_POS_EVENT: Record<StoreDialect, string> = {
  sqlite: `INSERT INTO pos_events (${POS_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  postgresql: `INSERT INTO pos_events (${POS_EVENT_COLUMNS})
    SELECT $1, $2, $3, $4, CAST($5 AS JSON), CAST($6 AS INTEGER), $7
    FROM (SELECT pg_advisory_xact_lock(${POS_EVENTS_LOCK})) AS pos_lock`,
};

/**
 * Appends one event to the outbox. Call it inside the transaction of the change it reports, as
 * that transaction's last write (after its row locks); returns the event's id.
 */
export async function insertPosEvent(
  trx: Kysely<Database>,
  dialect: StoreDialect,
  event: PosEventRow,
): Promise<string> {
  const id = newPosEventId();
  await trx.executeQuery(
    CompiledQuery.raw(INSERT_POS_EVENT[dialect], [
      id,
      event.type,
      event.subject,
      event.createdAt,
      event.saleRow ? JSON.stringify(event.saleRow) : null,
      event.refundAmount ?? null,
      event.data === undefined ? null : JSON.stringify(event.data),
    ]),
  );
  return id;
}

/** SQL's string literal of a constant of ours. */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * posEventForChange (lib/entities/pos-event.ts) in SQL, over a row that has the new `state` and
 * `refunded_amount` and the old ones as `previous_state` and `previous_refunded_amount`.
 */
export function posEventTypeSql(row: string): string {
  const byState = Object.entries(POS_EVENT_FOR_STATE)
    .map(([state, type]) => `WHEN ${literal(state)} THEN ${literal(type)}`)
    .join(" ");
  return `CASE
    WHEN ${row}.state <> ${row}.previous_state THEN CASE ${row}.state ${byState} ELSE NULL END
    WHEN ${row}.refunded_amount > ${row}.previous_refunded_amount THEN 'sale.refunded'
    ELSE NULL END`;
}

/**
 * What of posEventCtes never changes: made once, since every transition on PostgreSQL carries it
 * and building it as Kysely fragments cost more than the rest of the statement's building.
 */
const POS_CHANGE_AND_LOCK = sql.raw(`pos_change AS (
      SELECT id, ${posEventTypeSql("changed")} AS type,
        refunded_amount - previous_refunded_amount AS refund_amount, row_to_json(changed) AS sale_row
      FROM changed
    ), pos_lock AS (
      SELECT pos_change.*, CAST(pg_advisory_xact_lock(${POS_EVENTS_LOCK}) AS TEXT) AS locked
      FROM pos_change WHERE type IS NOT NULL
    )`);

/**
 * The CTEs that append the POS event of a one-statement transition on PostgreSQL (see
 * transitionInOneStatement), reading the `changed` CTE: `pos_change` works out the event, `pos_lock`
 * takes the order lock only once a change made one (so after the sale's row lock), and
 * `pos_logged` inserts it, its seq drawn after the lock is held.
 */
export function posEventCtes(at: string): RawBuilder<unknown> {
  return sql`${POS_CHANGE_AND_LOCK}, pos_logged AS (
      INSERT INTO pos_events (id, type, subject, created_at, sale_row, refund_amount)
      SELECT ${newPosEventId()}, type, id, ${at}, sale_row,
        CASE WHEN type = 'sale.refunded' THEN refund_amount ELSE NULL END
      FROM pos_lock
    )`;
}
