import "server-only";
import type { Kysely } from "kysely";
import {
  CLOSE_FAILED_STATES,
  CLOSE_MONEY_EVENTS,
  CLOSE_UNPAID_STATES,
  type CloseInput,
  type ComposedClose,
  type TerminalClose,
} from "@/lib/entities/close";
import type { StoreConnection, StoreDialect } from "./connect";
import { fromJson } from "./dialect";
import { insertPosEvent } from "./pos-event-statements";
import type { ClosesRepository } from "./repositories";
import { toEvent, toSale } from "./sale-rows";
import type { Database } from "./schema";

/** How many sales one read of their events names at most (SQLite's variable limit is far above). */
const CHUNK = 500;

/** The events a close counts: money moving, or the sale ending unpaid or failed. */
const MONEY_EVENTS = [...CLOSE_MONEY_EVENTS];
const COUNTED_STATES = [...CLOSE_UNPAID_STATES, ...CLOSE_FAILED_STATES];

type Db = Kysely<Database>;

/**
 * Each terminal's day closes on Kysely, SQLite and PostgreSQL alike. A close is one transaction:
 * on PostgreSQL it first locks the terminal's row (FOR NO KEY UPDATE, which a sale's insert,
 * whose foreign key takes only KEY SHARE, does not wait for), so a second close of the same
 * terminal waits and then reads the first one's events as taken; on SQLite BEGIN IMMEDIATE holds
 * the database's write lock throughout. The primary key of close_events keeps any event in one
 * close at most, and (terminal_id, number) is unique, whatever happens.
 */
export class KyselyClosesRepository implements ClosesRepository {
  private readonly db: Db;
  private readonly dialect: StoreDialect;

  constructor(connection: StoreConnection) {
    this.db = connection.db;
    this.dialect = connection.dialect;
  }

  openCloseInput(terminalId: string): Promise<CloseInput | undefined> {
    return readCloseInput(this.db, terminalId, false, this.dialect);
  }

  async closeTerminal(
    terminalId: string,
    compose: (input: CloseInput) => ComposedClose,
  ): Promise<TerminalClose | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const input = await readCloseInput(trx, terminalId, true, this.dialect);
      if (!input) return undefined;
      const { close, eventIds } = compose(input);
      await trx
        .insertInto("terminal_closes")
        .values({
          id: close.id,
          terminal_id: close.terminalId,
          number: close.number,
          opened_at: close.openedAt,
          closed_at: close.closedAt,
          report: JSON.stringify(close),
        })
        .execute();
      for (let i = 0; i < eventIds.length; i += CHUNK) {
        const chunk = eventIds.slice(i, i + CHUNK);
        await trx
          .insertInto("close_events")
          .values(chunk.map((eventId) => ({ event_id: eventId, close_id: close.id })))
          .execute();
      }
      // The POS hears of the close (terminal.closed) from the outbox, written in the same transaction:
      // a close is never without its event, nor the event without its close.
      await insertPosEvent(trx, this.dialect, {
        type: "terminal.closed",
        subject: close.terminalId,
        createdAt: close.closedAt,
        data: close,
      });
      return close;
    });
  }

  async listCloses(terminalId: string, options: { limit: number; beforeNumber?: number }): Promise<TerminalClose[]> {
    let query = this.db
      .selectFrom("terminal_closes")
      .select("report")
      .where("terminal_id", "=", terminalId)
      .orderBy("number", "desc")
      .limit(Math.min(Math.max(Math.trunc(options.limit), 1), 200));
    if (options.beforeNumber !== undefined) query = query.where("number", "<", options.beforeNumber);
    return (await query.execute()).map((row) => fromJson<TerminalClose>(row.report));
  }

  async getClose(id: string): Promise<TerminalClose | undefined> {
    const row = await this.db.selectFrom("terminal_closes").select("report").where("id", "=", id).executeTakeFirst();
    return row ? fromJson<TerminalClose>(row.report) : undefined;
  }

  async lastClosedAt(terminalId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom("terminal_closes")
      .select("closed_at")
      .where("terminal_id", "=", terminalId)
      .orderBy("number", "desc")
      .limit(1)
      .executeTakeFirst();
    return row?.closed_at;
  }
}

/**
 * What the terminal's next close holds: its previous close, and every sale with a counted event
 * that no close took, with all of that sale's counted events (those already taken set the running
 * totals). With `lock` (inside the close's transaction) the terminal's row is locked first.
 */
async function readCloseInput(
  db: Db,
  terminalId: string,
  lock: boolean,
  dialect: StoreDialect,
): Promise<CloseInput | undefined> {
  const terminalQuery = db.selectFrom("terminals").select(["id", "created_at"]).where("id", "=", terminalId);
  const terminal = await (lock && dialect === "postgresql"
    ? terminalQuery.forNoKeyUpdate()
    : terminalQuery
  ).executeTakeFirst();
  if (!terminal) return undefined;
  const previous = await db
    .selectFrom("terminal_closes")
    .select(["number", "closed_at"])
    .where("terminal_id", "=", terminalId)
    .orderBy("number", "desc")
    .limit(1)
    .executeTakeFirst();
  const open = await db
    .selectFrom("sale_events as e")
    .innerJoin("sales as s", "s.id", "e.sale_id")
    .select("e.sale_id")
    .distinct()
    .where("s.terminal_id", "=", terminalId)
    .where((eb) => eb.or([eb("e.type", "in", MONEY_EVENTS), eb("e.to_state", "in", COUNTED_STATES)]))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("close_events as c").select("c.event_id").whereRef("c.event_id", "=", "e.id"))),
    )
    .execute();
  const saleIds = open.map((row) => row.sale_id);
  const sales: CloseInput["sales"] = [];
  for (let i = 0; i < saleIds.length; i += CHUNK) {
    const chunk = saleIds.slice(i, i + CHUNK);
    // One after the other: inside the close's transaction both go over its one connection.
    const saleRows = await db.selectFrom("sales").selectAll().where("id", "in", chunk).execute();
    const eventRows = await db
      .selectFrom("sale_events as e")
      .leftJoin("close_events as c", "c.event_id", "e.id")
      .selectAll("e")
      .select("c.close_id")
      .where("e.sale_id", "in", chunk)
      .where((eb) => eb.or([eb("e.type", "in", MONEY_EVENTS), eb("e.to_state", "in", COUNTED_STATES)]))
      .orderBy("e.id")
      .execute();
    for (const row of saleRows) {
      sales.push({
        sale: toSale(row),
        events: eventRows
          .filter((event) => event.sale_id === row.id)
          .map(({ close_id, ...event }) => {
            const { id, type, toState, detail, at } = toEvent(event);
            return { id, type, ...(toState ? { toState } : {}), ...(detail ? { detail } : {}), at, closed: !!close_id };
          }),
      });
    }
  }
  return {
    terminalId,
    ...(previous ? { previous: { number: Number(previous.number), closedAt: previous.closed_at } } : {}),
    terminalCreatedAt: terminal.created_at,
    sales,
  };
}
