/**
 * The POS events repository's slice of the store conformance suite (tests/support/store-conformance.ts),
 * on SQLite and PostgreSQL: the outbox written with each sale change, in commit order across
 * instances, the webhook endpoints and their deliveries (fan-out, in order per sale, retries).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { PosEvent, WebhookEndpoint } from "@/lib/entities/pos-event";
import type { Store } from "@/lib/store/store";
import { conformance, iso, newSale, T0, terminal } from "../support/store-conformance";

const endpoint = (id: string, events: WebhookEndpoint["events"] = ["sale.created", "sale.captured"]) => ({
  id,
  url: `https://pos.example/${id}`,
  events,
  description: "",
  secret: "whsec_c2VjcmV0",
  createdAt: iso(T0),
});

async function sell(store: Store, id: string, terminalId = "t1") {
  const { sale, attempt, event } = newSale(id, { terminalId });
  await store.sales.insertSale(sale, attempt, event);
  return sale;
}

const types = (events: PosEvent[]) => events.map((event) => `${event.subject}:${event.type}`);

conformance("POS events repository", (context) => {
  describe("the outbox", () => {
    it("gets an event with each sale change that means one, in the change's transaction, and none otherwise", async () => {
      const { sales, posEvents } = context.store;
      await sell(context.store, "s1");
      expect(
        await sales.transitionSale(
          "s1",
          ["pending"],
          { state: "authorized", updatedAt: iso(T0 + 1) },
          { type: "payment.authorized", source: "webhook" },
        ),
      ).toBeDefined();
      // A compare that fails changes nothing and says nothing; a change to the same state with no refund neither.
      expect(
        await sales.transitionSale("s1", ["pending"], { state: "expired" }, { type: "x", source: "poll" }),
      ).toBeUndefined();
      await sales.transitionSale("s1", ["authorized"], { updatedAt: iso(T0 + 2) }, { type: "note", source: "poll" });
      await sales.transitionSale(
        "s1",
        ["authorized"],
        { state: "captured", capturedAmount: 4990 },
        { type: "payment.captured", source: "webhook" },
      );
      await sales.transitionSale(
        "s1",
        ["captured"],
        { refundedAmount: 1000 },
        { type: "payment.refunded", source: "api" },
      );
      await sales.transitionSale(
        "s1",
        ["captured"],
        { state: "refunded", refundedAmount: 4990 },
        { type: "payment.refunded", source: "api" },
      );
      const events = await posEvents.listPosEvents(0, 100);
      expect(types(events)).toEqual([
        "s1:sale.created",
        "s1:sale.authorized",
        "s1:sale.captured",
        "s1:sale.refunded",
        "s1:sale.refunded",
      ]);
      expect(events.map((event) => event.refundAmount)).toEqual([undefined, undefined, undefined, 1000, 3990]);
      // Each carries the sale as that change left it, and no data until the snapshot is taken.
      expect(events.map((event) => event.sale?.state)).toEqual([
        "pending",
        "authorized",
        "captured",
        "captured",
        "refunded",
      ]);
      expect(events[0]!.sale).toMatchObject({
        id: "s1",
        amount: 4990,
        lines: [{ name: "Kaffe ☕" }],
        autoCapture: true,
      });
      expect(events.every((event) => event.data === undefined && /^evt_[\w-]{16}$/.test(event.id))).toBe(true);
      expect(new Set(events.map((event) => event.id)).size).toBe(5);
      expect(events.map((event) => event.seq)).toEqual([...events.map((event) => event.seq)].sort((a, b) => a - b));
    });

    it("pages by seq, takes a snapshot once, and keeps events that carry their data", async () => {
      const { posEvents } = context.store;
      await sell(context.store, "s1");
      const close = await posEvents.appendPosEvent({
        type: "terminal.closed",
        subject: "t1",
        createdAt: iso(T0),
        data: { number: 1 },
      });
      expect(close).toMatchObject({ type: "terminal.closed", subject: "t1", data: { number: 1 } });
      const [created] = await posEvents.listPosEvents(0, 10);
      expect(created?.type).toBe("sale.created");
      expect(created?.data).toBeUndefined();
      expect(await posEvents.setEventData(created!.seq, { first: true })).toBe(true);
      expect(await posEvents.setEventData(created!.seq, { second: true })).toBe(false);
      const all = await posEvents.listPosEvents(0, 10);
      expect(all.map((event) => event.data)).toEqual([{ first: true }, { number: 1 }]);
      expect(await posEvents.listPosEvents(all[0]!.seq, 10)).toHaveLength(1);
      expect(await posEvents.listPosEvents(0, 1)).toHaveLength(1);
      expect(await posEvents.latestSeq()).toBe(close.seq);
    });

    it("keeps no index of the events without data (migration 19): nothing lists them", async () => {
      const raw = await context.rawSession();
      const indexes =
        context.backend.name === "sqlite"
          ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'pos_events'"
          : "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'pos_events'";
      const names = (await raw.query(indexes)).map((row) => row.name);
      expect(names.length).toBeGreaterThan(0);
      expect(names).not.toContain("pos_events_unsnapshotted");
    });

    it("is read in commit order across instances: a reader following the cursor misses nothing", async () => {
      const others = [await context.another(), await context.another()];
      const written: string[] = [];
      let writing = true;
      const writers = others.map(async (store, n) => {
        for (let i = 0; i < 40; i += 1) {
          const event = await store.posEvents.appendPosEvent({
            type: "terminal.closed",
            subject: `w${n}`,
            createdAt: iso(T0),
            data: { i },
          });
          written.push(event.id);
        }
      });
      const seen: string[] = [];
      const reader = (async () => {
        let cursor = 0;
        while (writing || seen.length < written.length) {
          const page = await context.store.posEvents.listPosEvents(cursor, 7);
          for (const event of page) seen.push(event.id);
          cursor = page.at(-1)?.seq ?? cursor;
          if (page.length === 0 && !writing) break;
          // SQLite answers synchronously: without a pause this loop would starve the writers' retries.
          await sleep(1);
        }
      })();
      await Promise.all(writers);
      writing = false;
      await reader;
      expect(seen.sort()).toEqual(written.sort());
    });

    it("orders the events of concurrent sale changes from two instances by commit", async () => {
      const other = await context.another();
      for (const id of ["t3", "t4", "t5", "t6"]) await context.store.counters.saveTerminal(terminal(id));
      await Promise.all(
        ["t1", "t2", "t3", "t4", "t5", "t6"].map((t, i) => sell(i % 2 ? other : context.store, `s-${t}`, t)),
      );
      await Promise.all(
        ["t1", "t2", "t3", "t4", "t5", "t6"].map((t, i) =>
          (i % 2 ? context.store : other).sales.transitionSale(
            `s-${t}`,
            ["pending"],
            { state: "cancelled" },
            { type: "sale.cancelled", source: "api" },
          ),
        ),
      );
      const events = await context.store.posEvents.listPosEvents(0, 100);
      expect(events).toHaveLength(12);
      for (const t of ["t1", "t2", "t3", "t4", "t5", "t6"])
        expect(types(events.filter((event) => event.subject === `s-${t}`))).toEqual([
          `s-${t}:sale.created`,
          `s-${t}:sale.cancelled`,
        ]);
    });
  });

  describe("webhook endpoints and deliveries", () => {
    it("fans out the events after an endpoint was added, of its types, and keeps its position", async () => {
      const { posEvents } = context.store;
      await sell(context.store, "s0", "t2");
      await posEvents.insertEndpoint(endpoint("e1"));
      await posEvents.insertEndpoint(endpoint("e2", ["sale.cancelled"]));
      expect((await posEvents.listEndpoints()).map((e) => e.id)).toEqual(["e1", "e2"]);
      await sell(context.store, "s1");
      await context.store.sales.transitionSale("s1", ["pending"], { state: "cancelled" }, { type: "c", source: "api" });
      expect(await posEvents.fanOut("e1", iso(T0), 1)).toBe(1);
      expect(await posEvents.fanOut("e1", iso(T0), 100)).toBe(1);
      expect(await posEvents.fanOut("e1", iso(T0), 100)).toBe(0);
      expect(await posEvents.fanOut("e2", iso(T0), 100)).toBe(2);
      expect(await posEvents.fanOut("missing", iso(T0), 100)).toBe(0);
      const deliveries = await posEvents.listDeliveries({ limit: 10 });
      expect(deliveries.map((d) => `${d.endpointId}:${d.eventType}:${d.state}:${d.attempts}`)).toEqual([
        "e2:sale.cancelled:pending:0",
        "e1:sale.created:pending:0",
      ]);
      expect(deliveries[1]!.subject).toBe("s1");
      expect(await posEvents.deleteEndpoint("e2")).toBe(true);
      expect(await posEvents.deleteEndpoint("e2")).toBe(false);
      expect(await posEvents.listDeliveries({ limit: 10 })).toHaveLength(1);
      expect(await posEvents.setEndpointSecret("e1", "whsec_bmV3")).toBe(true);
      expect((await posEvents.getEndpoint("e1"))?.secret).toBe("whsec_bmV3");
    });

    it("hands out only the oldest pending delivery of a sale per endpoint, and records tries", async () => {
      const { posEvents, sales } = context.store;
      await posEvents.insertEndpoint(endpoint("e1", ["sale.created", "sale.cancelled"]));
      await sell(context.store, "s1");
      await sales.transitionSale("s1", ["pending"], { state: "cancelled" }, { type: "c", source: "api" });
      await sell(context.store, "s2", "t2");
      await posEvents.fanOut("e1", iso(T0), 100);
      const due = await posEvents.dueDeliveries(T0, 10);
      expect(due.map((d) => `${d.subject}:${d.eventType}`)).toEqual(["s1:sale.created", "s2:sale.created"]);
      const [first, second] = due;
      await posEvents.recordAttempt("e1", first!.eventSeq, {
        attemptedAt: iso(T0),
        status: 500,
        response: "no",
        delivered: false,
        nextAttemptAtMs: T0 + 5_000,
      });
      // The failed one waits, and the sale's next event waits behind it.
      expect((await posEvents.dueDeliveries(T0 + 1_000, 10)).map((d) => d.subject)).toEqual(["s2"]);
      await posEvents.recordAttempt("e1", second!.eventSeq, { attemptedAt: iso(T0), status: 204, delivered: true });
      const again = await posEvents.dueDeliveries(T0 + 5_000, 10);
      expect(again.map((d) => `${d.eventType}:${d.attempts}:${d.lastStatus}:${d.lastResponse}`)).toEqual([
        "sale.created:1:500:no",
      ]);
      await posEvents.recordAttempt("e1", first!.eventSeq, {
        attemptedAt: iso(T0 + 5_000),
        error: "timeout",
        delivered: false,
      });
      // Failed for good: the sale's next event goes.
      expect((await posEvents.dueDeliveries(T0 + 5_000, 10)).map((d) => `${d.subject}:${d.eventType}`)).toEqual([
        "s1:sale.cancelled",
      ]);
      const failed = (await posEvents.listDeliveries({ endpointId: "e1", limit: 10 })).find(
        (d) => d.eventSeq === first!.eventSeq,
      )!;
      expect(failed).toMatchObject({
        state: "failed",
        attempts: 2,
        firstAttemptAt: iso(T0),
        lastAttemptAt: iso(T0 + 5_000),
        lastError: "timeout",
      });
      expect(failed.nextAttemptAtMs).toBeUndefined();
      expect(await posEvents.retryDelivery("e1", first!.eventSeq, T0 + 6_000)).toBe(true);
      expect((await posEvents.dueDeliveries(T0 + 6_000, 10)).map((d) => `${d.subject}:${d.eventType}`)).toEqual([
        "s1:sale.created",
      ]);
      expect(await posEvents.retryDelivery("e1", 999_999, T0)).toBe(false);
    });
  });
});
