import "server-only";
import type { Clock } from "@/lib/clock";
import type { PosEvent } from "@/lib/entities/pos-event";
import type { Sale } from "@/lib/entities/sale";
import { DomainError } from "@/lib/errors";
import type { ChangeNotifier } from "@/lib/events/change-notifier";
import type { Logger } from "@/lib/log";
import type { PosEventsRepository, SalesRepository } from "@/lib/store/repositories";
import type { EventFeedPage, EventFeedQuery } from "@/lib/contracts/pos-events";
import type { SaleView } from "@/lib/contracts/sales";

/** The ring on the POS events' own channel; it carries nothing, the outbox is read afresh. */
const RING = "pos-events";
/** The ring for a webhook endpoint added or removed: whoever counts them counts again. */
const ENDPOINTS_RING = "pos-endpoints";
/** A waiting feed call looks at the outbox at least this often, should a ring be lost. */
const FEED_RECHECK_MS = 1_000;

/**
 * The POS's events: their `data`, the event feed, and the entry point for events that carry their
 * data already (a terminal's day close).
 *
 * When `data` is taken. The store writes each sale event in the transaction of its change, with the
 * sale's row as that change left it (so a kill -9 right after the commit loses nothing), but not
 * its `data`: that is the sale as GET /api/v1/sales/{id} shows it, rendered by SaleViews from the
 * attempt and the event log as well, which the one-statement transition on PostgreSQL cannot do,
 * and which would lengthen the transactions that every instance's outbox writes queue behind.
 * Nor is it rendered right after the commit: most shops have no endpoint and read no feed, and
 * rendering and storing it there cost every sale change a few queries and a write for nobody. So
 * `data` is rendered when a consumer first reads the event (the dispatcher delivering it, the
 * feed), from the row stored with the event and as of the event's time (SaleViews.viewAt), so it
 * says the state of that event however late it is read (a sale.authorized says "authorized" even
 * when the capture has landed since), and stored once: whoever renders first writes it, and every
 * delivery and feed read after that sends the same bytes under the same id.
 */
export class PosEvents {
  private readonly waiters = new Set<() => void>();
  private readonly listeners: (() => void)[] = [];
  private readonly endpointListeners: (() => void)[] = [];
  /** The ring being sent, and whether another was asked for since it left. */
  private ringing: Promise<void> | undefined;
  private ringAgain = false;

  constructor(
    private readonly deps: {
      events: PosEventsRepository;
      sales: SalesRepository;
      /** The sale's view as it was at the given time, from its row as it was then (SaleViews.viewAt). */
      render: (sale: Sale, at: string) => Promise<SaleView>;
      notifier: ChangeNotifier;
      clock: Clock;
      log: Logger;
    },
  ) {
    deps.notifier.onChange((ring) => this.heard(ring));
    deps.notifier.onResync(() => {
      // Rings may have been lost: of events and of endpoints alike.
      this.heard(RING);
      this.heard(ENDPOINTS_RING);
    });
  }

  private heard(ring: string): void {
    if (ring === ENDPOINTS_RING) {
      for (const listener of this.endpointListeners) listener();
      return;
    }
    for (const waiter of [...this.waiters]) waiter();
    for (const listener of this.listeners) listener();
  }

  /** Called whenever an event may have been appended, on any instance. */
  onEvent(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Called when a webhook endpoint may have been added or removed, on any instance. */
  onEndpointsChanged(listener: () => void): void {
    this.endpointListeners.push(listener);
  }

  /**
   * Rings every instance (this one too): the outbox has something new. Rings asked for while one
   * is being sent become one more, sent after it: a burst of sales costs a few rings, not one per
   * change, and every caller's ring still leaves after its own call (after its commit).
   */
  ring(): Promise<void> {
    if (this.ringing) {
      this.ringAgain = true;
      return this.ringing;
    }
    this.ringing = this.sendRings();
    return this.ringing;
  }

  private async sendRings(): Promise<void> {
    do {
      this.ringAgain = false;
      try {
        await this.deps.notifier.notify(RING);
      } catch (error) {
        // The feed and the dispatcher look again within a second anyway.
        this.deps.log.warn("Could not ring the POS events' notifier", { err: error });
      }
    } while (this.ringAgain);
    // In the same turn as the last look at ringAgain: a ring asked for from now on starts a new send.
    this.ringing = undefined;
  }

  /** Tells every instance (this one too) that a webhook endpoint was added or removed. */
  async endpointsChanged(): Promise<void> {
    try {
      await this.deps.notifier.notify(ENDPOINTS_RING);
    } catch (error) {
      // The dispatcher lists the endpoints again within a second anyway.
      this.deps.log.warn("Could not ring the POS events' notifier", { err: error });
    }
  }

  /** What the POS receives as `data` for a sale event: the sale as it was at the event. */
  async render(event: PosEvent): Promise<unknown> {
    if (!event.sale) throw new Error(`POS event ${event.id} has neither data nor a sale to render it from`);
    const view = await this.deps.render(event.sale, event.createdAt);
    if (event.type !== "sale.refunded") return view;
    const amount = event.refundAmount ?? 0;
    // The refund this change recorded: the newest done refund of that amount made by the change
    // (a later one of the same amount is another event's). The sale's updatedAt and the refund's
    // createdAt are both the app's clock, which the simulator can move ahead of the event's time.
    const changedAt = Date.parse(event.sale.updatedAt);
    const refunds = await this.deps.sales.listRefunds(event.sale.id);
    const refund = refunds.findLast(
      (candidate) =>
        candidate.state === "done" && candidate.amount === amount && Date.parse(candidate.createdAt) <= changedAt,
    );
    return {
      ...view,
      refund: {
        ...(refund ? { id: refund.id, createdAt: refund.createdAt } : {}),
        amount: { value: amount, currency: event.sale.currency },
      },
    };
  }

  /**
   * A terminal's day close, as the POS receives it (terminal.closed). A close made in a transaction
   * of its own should rather append its event there (insertPosEvent in lib/store/pos-event-statements.ts)
   * and call ring() after the commit; this is the entry point for one that is already stored.
   */
  async publishTerminalClosed(close: { terminalId: string; closedAt?: string }): Promise<PosEvent> {
    const event = await this.deps.events.appendPosEvent({
      type: "terminal.closed",
      subject: close.terminalId,
      createdAt: close.closedAt ?? new Date(this.deps.clock.now()).toISOString(),
      data: close,
    });
    await this.ring();
    return event;
  }

  /** The events with their data, those still without it rendered first (read back, so all readers agree). */
  async withData(events: PosEvent[]): Promise<PosEvent[]> {
    if (events.every((event) => event.data !== undefined)) return events;
    for (const event of events)
      if (event.data === undefined) await this.deps.events.setEventData(event.seq, await this.render(event));
    return this.deps.events.listPosEvents(events[0]!.seq - 1, events.length);
  }

  /** GET /api/v1/events: the events after the cursor, waiting up to `wait` seconds for one when there is none. */
  async feed(query: EventFeedQuery, signal?: AbortSignal): Promise<EventFeedPage> {
    const after = query.after === undefined ? 0 : cursorSeq(query.after);
    const deadline = this.deps.clock.now() + query.wait * 1000;
    let events = await this.deps.events.listPosEvents(after, query.limit);
    while (events.length === 0 && this.deps.clock.now() < deadline && !signal?.aborted) {
      await this.nextRing(Math.min(FEED_RECHECK_MS, deadline - this.deps.clock.now()), signal);
      events = await this.deps.events.listPosEvents(after, query.limit);
    }
    events = await this.withData(events);
    return {
      items: events.map((event) => ({ id: event.id, type: event.type, createdAt: event.createdAt, data: event.data })),
      next: String(events.at(-1)?.seq ?? after),
    };
  }

  private nextRing(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(ms, 0));
      this.waiters.add(done);
      signal?.addEventListener("abort", done);
    });
  }
}

/** The feed's cursor is the seq of the last event read, in decimal. */
function cursorSeq(cursor: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(cursor))
    throw new DomainError("validation", "after is not a cursor this API returned", {
      errors: [{ field: "after", reason: "not a cursor this API returned (use `next` of the previous page)" }],
    });
  return Number(cursor);
}
