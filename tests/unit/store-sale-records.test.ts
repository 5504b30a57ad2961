/**
 * The sales repository's slice of the store conformance suite (tests/support/store-conformance.ts),
 * on SQLite and PostgreSQL, continued: attempts and their QR images, the event log, listing and
 * summing sales, and refunds.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { SaleState } from "@/lib/entities/sale";
import type { CountersRepository, SalesRepository } from "@/lib/store/repositories";
import { attemptFor, conformance, iso, newSale, storeErrorOf, T0, terminal } from "../support/store-conformance";

conformance("Sales repository (attempts, events, refunds)", (context) => {
  let store: SalesRepository, counters: CountersRepository;
  beforeEach(() => {
    store = context.store.sales;
    counters = context.store.counters;
  });
  /** The sales of another app instance on the same database. */
  const another = async () => (await context.another()).sales;

  describe("attempts", () => {
    beforeEach(async () => {
      const { sale, attempt, event } = newSale("s1");
      await store.insertSale(sale, attempt, event);
    });

    it("insertAttempt restarts an ended sale with a new attempt", async () => {
      await store.transitionSale(
        "s1",
        ["pending"],
        { state: "expired", failureReason: "timeout", endedAt: iso(T0 + 60_000) },
        { type: "sale.expired", source: "system" },
      );
      const next = attemptFor("s1", "s1-a2", T0 + 120_000);
      const sale = await store.insertAttempt("s1", next, { type: "attempt.created", source: "cashier" });
      expect(sale).toMatchObject({
        id: "s1",
        state: "pending",
        currentAttemptId: "s1-a2",
        attemptCount: 2,
        updatedAt: next.createdAt,
      });
      expect(sale.failureReason).toBeUndefined();
      expect(sale.endedAt).toBeUndefined();
      expect(await store.getSale("s1")).toEqual(sale);
      expect((await store.getActiveSale("t1"))?.id).toBe("s1");
      expect((await store.listAttempts("s1")).map((a) => a.id)).toEqual(["s1-a1", "s1-a2"]);
      expect((await store.listEvents("s1")).at(-1)).toMatchObject({
        type: "attempt.created",
        fromState: "expired",
        toState: "pending",
        attemptId: "s1-a2",
      });
    });

    it("insertAttempt fails when another sale holds the terminal, or the sale is unknown", async () => {
      await store.transitionSale("s1", ["pending"], { state: "expired" }, { type: "sale.expired", source: "system" });
      const other = newSale("s2");
      await store.insertSale(other.sale, other.attempt, other.event);
      const error = await storeErrorOf(
        store.insertAttempt("s1", attemptFor("s1", "s1-a2", T0 + 1), { type: "attempt.created", source: "cashier" }),
      );
      expect(error.code).toBe("activeSaleConflict");
      expect(error.details).toEqual({ terminalId: "t1", activeSaleId: "s2" });
      expect(await store.getAttempt("s1-a2")).toBeUndefined();
      expect(
        (
          await storeErrorOf(
            store.insertAttempt("nope", attemptFor("nope", "n-a1", T0), { type: "x", source: "system" }),
          )
        ).code,
      ).toBe("notFound");
    });

    it("finds attempts by id and reference, and updates the fields a patch names", async () => {
      expect((await store.getAttemptByReference("ref-s1-a1"))?.id).toBe("s1-a1");
      expect(await store.getAttemptByReference("nope")).toBeUndefined();
      await store.updateAttempt("s1-a1", {
        state: "CREATED",
        qrUrl: "https://qr.example/1",
        pollCount: 2,
        lastPolledAt: iso(T0 + 9),
        nextPollAt: iso(T0 + 10),
      });
      expect(await store.getAttempt("s1-a1")).toMatchObject({
        state: "CREATED",
        qrUrl: "https://qr.example/1",
        pollCount: 2,
        lastPolledAt: iso(T0 + 9),
        nextPollAt: iso(T0 + 10),
      });
      await store.updateAttempt("s1-a1", { qrUrl: undefined, cancelReason: "expired" });
      expect(await store.getAttempt("s1-a1")).toMatchObject({
        state: "CREATED",
        qrUrl: undefined,
        cancelReason: "expired",
      });
      await store.updateAttempt("s1-a1", {});
      expect((await store.getAttempt("s1-a1"))?.pollCount).toBe(2);
    });

    it("lists open attempts: of unfinished sales, of unknown create outcome, and stray approvals, by next poll time", async () => {
      const at = (seconds: number) => iso(T0 + seconds * 1000);
      // s1 (t1): pending, its current attempt is open.
      await store.updateAttempt("s1-a1", { state: "CREATED", nextPollAt: at(50) });
      // s2 (t2): authorized.
      const s2 = newSale("s2", { terminalId: "t2", nextPollAt: at(20) });
      await store.insertSale(s2.sale, s2.attempt, s2.event);
      await store.updateAttempt("s2-a1", { state: "AUTHORIZED" });
      await store.transitionSale("s2", ["pending"], { state: "authorized" }, { type: "x", source: "poll" });
      // s3 (t3): captured, its attempt settled.
      await counters.saveTerminal(terminal("t3"));
      const s3 = newSale("s3", { terminalId: "t3", nextPollAt: at(5) });
      await store.insertSale(s3.sale, s3.attempt, s3.event);
      await store.updateAttempt("s3-a1", { state: "AUTHORIZED" });
      await store.transitionSale("s3", ["pending"], { state: "captured" }, { type: "x", source: "poll" });
      // s4 (t4): three attempts; the first was approved after it was replaced, the second was cancelled.
      await counters.saveTerminal(terminal("t4"));
      const s4 = newSale("s4", { terminalId: "t4", nextPollAt: at(40) });
      await store.insertSale(s4.sale, s4.attempt, s4.event);
      await store.updateAttempt("s4-a1", { state: "AUTHORIZED" });
      await store.transitionSale("s4", ["pending"], { state: "expired" }, { type: "x", source: "system" });
      await store.insertAttempt(
        "s4",
        { ...attemptFor("s4", "s4-a2", T0), nextPollAt: at(10) },
        { type: "x", source: "cashier" },
      );
      await store.updateAttempt("s4-a2", { state: "AUTHORIZED", cancelReason: "superseded" });
      await store.transitionSale("s4", ["pending"], { state: "expired" }, { type: "x", source: "system" });
      await store.insertAttempt(
        "s4",
        { ...attemptFor("s4", "s4-a3", T0), nextPollAt: at(30) },
        { type: "x", source: "cashier" },
      );
      // s5 (t5): failed while its create call's outcome is unknown.
      await counters.saveTerminal(terminal("t5"));
      const s5 = newSale("s5", { terminalId: "t5", nextPollAt: at(15) });
      await store.insertSale(s5.sale, s5.attempt, s5.event);
      await store.updateAttempt("s5-a1", { state: "CREATE_FAILED" });
      await store.transitionSale("s5", ["pending"], { state: "failed" }, { type: "x", source: "system" });
      // s6 (t6): cancelled before its create call came back, with a tie on the poll time.
      await counters.saveTerminal(terminal("t6"));
      const s6 = newSale("s6", { terminalId: "t6", nextPollAt: at(15) });
      await store.insertSale(s6.sale, s6.attempt, s6.event);
      await store.transitionSale("s6", ["pending"], { state: "cancelled" }, { type: "x", source: "cashier" });

      expect((await store.listOpenAttempts()).map((a) => a.id)).toEqual([
        "s5-a1",
        "s6-a1",
        "s2-a1",
        "s4-a3",
        "s4-a1",
        "s1-a1",
      ]);
    });

    it("lists a settled sale's attempt while it is marked for a recheck, and clears only the mark it was given", async () => {
      const at = (seconds: number) => iso(T0 + seconds * 1000);
      await store.updateAttempt("s1-a1", { state: "AUTHORIZED", nextPollAt: at(5) });
      await store.transitionSale("s1", ["pending"], { state: "captured" }, { type: "x", source: "poll" });
      expect(await store.listOpenAttempts()).toEqual([]);
      const other = await another();
      await other.updateAttempt("s1-a1", { recheckSince: at(1), nextPollAt: at(60) });
      expect(await store.listOpenAttempts()).toEqual([
        expect.objectContaining({ id: "s1-a1", recheckSince: at(1), nextPollAt: at(60) }),
      ]);
      await store.updateAttempt("s1-a1", { recheckSince: at(2) });
      await other.clearAttemptRecheck("s1-a1", at(1));
      expect((await store.getAttempt("s1-a1"))?.recheckSince).toBe(at(2));
      await other.clearAttemptRecheck("s1-a1", at(2));
      expect((await store.getAttempt("s1-a1"))?.recheckSince).toBeUndefined();
      expect(await store.listOpenAttempts()).toEqual([]);
    });
  });

  describe("QR images", () => {
    it("keeps Vipps' QR image of an attempt once, and prunes old ones", async () => {
      const other = await another();
      expect(await store.getQrImage("att_1")).toBeUndefined();
      await store.saveQrImage("att_1", { contentType: "image/svg+xml", body: "<svg/>" }, iso(T0));
      await other.saveQrImage("att_1", { contentType: "image/svg+xml", body: "<svg>second</svg>" }, iso(T0 + 1));
      expect(await other.getQrImage("att_1")).toEqual({ contentType: "image/svg+xml", body: "<svg/>" });
      await store.saveQrImage("att_2", { contentType: "image/svg+xml", body: "<svg/>" }, iso(T0 + 5_000));
      expect(await store.pruneQrImages(iso(T0 + 1_000))).toBe(1);
      expect(await store.getQrImage("att_1")).toBeUndefined();
      expect(await store.getQrImage("att_2")).toBeDefined();
    });
  });

  describe("the event log", () => {
    it("keeps events in the order they were appended, across sales and instances", async () => {
      const other = await another();
      const one = newSale("s1");
      const two = newSale("s2", { terminalId: "t2" });
      await store.insertSale(one.sale, one.attempt, one.event);
      await other.insertSale(two.sale, two.attempt, two.event);
      await other.appendEvent({
        saleId: "s1",
        type: "note.1",
        source: "cashier",
        detail: { nested: { list: [1, "to", null] } },
        at: iso(T0 - 5000),
      });
      await store.appendEvent({ saleId: "s1", type: "note.2", source: "system" });
      const events = await store.listEvents("s1");
      expect(events.map((e) => e.type)).toEqual(["sale.created", "note.1", "note.2"]);
      expect(events[1]).toMatchObject({
        detail: { nested: { list: [1, "to", null] } },
        at: iso(T0 - 5000),
        attemptId: undefined,
      });
      expect(events[2]?.detail).toBeUndefined();
      expect(Date.parse(events[2]!.at)).not.toBeNaN();
      const ids = [...events.map((e) => e.id), ...(await store.listEvents("s2")).map((e) => e.id)];
      expect(new Set(ids).size).toBe(ids.length);
      expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((x, y) => x - y));
      await expect(store.appendEvent({ type: "orphan", source: "system" })).rejects.toThrow(/saleId/);
    });

    it("latestEventIdForSale is the newest event id of the sale, 0 when none", async () => {
      expect(await store.latestEventIdForSale("s1")).toBe(0);
      const one = newSale("s1");
      const two = newSale("s2", { terminalId: "t2" });
      await store.insertSale(one.sale, one.attempt, one.event);
      await store.insertSale(two.sale, two.attempt, two.event);
      await store.appendEvent({ saleId: "s1", type: "note", source: "system" });
      const last = (await store.listEvents("s1")).at(-1)!.id;
      expect(await store.latestEventIdForSale("s1")).toBe(last);
      await store.appendEvent({ saleId: "s2", type: "note", source: "system" });
      expect(await store.latestEventIdForSale("s1")).toBe(last);
      expect(await store.latestEventIdForSale("s2")).toBe((await store.listEvents("s2")).at(-1)!.id);
      expect(await store.latestEventIdForSale("s2")).toBeGreaterThan(last);
      expect(await store.latestEventIdForSale("nope")).toBe(0);
    });
  });

  describe("the event log summed up", () => {
    it("sums the event log per type and source, and lists the newest events of some types across sales", async () => {
      expect(await store.countSaleEvents()).toEqual([]);
      expect(await store.listRecentSaleEvents({ types: ["payment.captured"], limit: 5 })).toEqual([]);
      const other = await another();
      const one = newSale("s1", { createdAt: iso(T0) });
      const two = newSale("s2", { terminalId: "t2", createdAt: iso(T0 + 1000) });
      await store.insertSale(one.sale, one.attempt, one.event);
      await other.insertSale(two.sale, two.attempt, two.event);
      await store.appendEvent({ saleId: "s1", type: "payment.authorized", source: "webhook", at: iso(T0 + 2000) });
      await other.appendEvent({ saleId: "s2", type: "payment.authorized", source: "poll", at: iso(T0 + 3000) });
      await store.appendEvent({
        saleId: "s1",
        type: "payment.captured",
        source: "webhook",
        detail: { capturedAmount: 4990 },
        at: iso(T0 + 4000),
      });
      await other.appendEvent({ saleId: "s2", type: "payment.authorized", source: "poll", at: iso(T0 + 5000) });

      expect(await other.countSaleEvents()).toEqual([
        { type: "payment.authorized", source: "poll", count: 2, lastAt: iso(T0 + 5000) },
        { type: "payment.authorized", source: "webhook", count: 1, lastAt: iso(T0 + 2000) },
        { type: "payment.captured", source: "webhook", count: 1, lastAt: iso(T0 + 4000) },
        { type: "sale.created", source: "api", count: 2, lastAt: iso(T0 + 1000) },
      ]);
      const recent = await store.listRecentSaleEvents({ types: ["payment.captured", "payment.authorized"], limit: 3 });
      expect(recent.map((e) => [e.saleId, e.type, e.source])).toEqual([
        ["s2", "payment.authorized", "poll"],
        ["s1", "payment.captured", "webhook"],
        ["s2", "payment.authorized", "poll"],
      ]);
      expect(recent[1]).toMatchObject({ detail: { capturedAmount: 4990 }, at: iso(T0 + 4000) });
      expect(await store.listRecentSaleEvents({ types: [], limit: 3 })).toEqual([]);
    });
  });

  describe("listing and summing sales", () => {
    const states: SaleState[] = ["captured", "cancelled", "expired", "refunded", "failed"];
    beforeEach(async () => {
      // 25 ended sales on two terminals, groups of three sharing a creation time, inserted out of order.
      const order = Array.from({ length: 25 }, (_, i) => (i * 7) % 25);
      for (const i of order) {
        const { sale, attempt, event } = newSale(`s${String(i).padStart(2, "0")}`, {
          terminalId: i % 2 === 0 ? "t1" : "t2",
          state: states[i % states.length],
          createdAt: iso(T0 + Math.floor(i / 3) * 60_000),
          amount: 1000 + i,
          currency: i % 5 === 0 ? "EUR" : "NOK",
        });
        // Paid sales carry their money; the refunded ones had 300 of it refunded.
        const paid = sale.state === "captured" || sale.state === "refunded";
        const money = { capturedAmount: paid ? sale.amount : 0, refundedAmount: sale.state === "refunded" ? 300 : 0 };
        await store.insertSale({ ...sale, ...money }, attempt, event);
      }
    });

    const expectedOrder = () =>
      Array.from({ length: 25 }, (_, i) => ({
        id: `s${String(i).padStart(2, "0")}`,
        createdAt: iso(T0 + Math.floor(i / 3) * 60_000),
      }))
        .sort((x, y) => (x.createdAt === y.createdAt ? (x.id < y.id ? 1 : -1) : x.createdAt < y.createdAt ? 1 : -1))
        .map((x) => x.id);

    it("pages newest first without duplicates or gaps", async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.listSales({ limit: 7, cursor });
        seen.push(...page.items.map((s) => s.id));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(4);
      expect(seen).toEqual(expectedOrder());
      expect((await store.listSales({})).items.map((s) => s.id)).toEqual(expectedOrder());
    });

    it("filters by terminal, state and time, also while paging", async () => {
      const t1 = await store.listSales({ terminalId: "t1", limit: 5 });
      expect(t1.items.every((s) => s.terminalId === "t1")).toBe(true);
      const rest = await store.listSales({ terminalId: "t1", limit: 50, cursor: t1.nextCursor! });
      expect([...t1.items, ...rest.items].map((s) => s.id)).toEqual(
        expectedOrder().filter((id) => Number(id.slice(1)) % 2 === 0),
      );
      expect(rest.nextCursor).toBeNull();

      expect((await store.listSales({ state: "expired" })).items.map((s) => s.id)).toEqual(
        expectedOrder().filter((id) => Number(id.slice(1)) % 5 === 2),
      );
      const window = await store.listSales({ from: iso(T0 + 60_000), to: iso(T0 + 180_000) });
      expect(window.items.map((s) => s.id)).toEqual(["s08", "s07", "s06", "s05", "s04", "s03"]);
    });

    it("clamps the page size to 1..200", async () => {
      expect((await store.listSales({ limit: 0 })).items).toHaveLength(1);
      expect((await store.listSales({ limit: 10_000 })).items).toHaveLength(25);
    });

    it("refuses a cursor it did not hand out", async () => {
      const nul = Buffer.from("\u0000\u0000|s01").toString("base64url");
      const noBar = Buffer.from("2026-05-01T10:00:00.000Z").toString("base64url");
      for (const garbage of ["garbage", "%%%", nul, noBar, "AAAA", "w4g"]) {
        const error = await storeErrorOf(store.listSales({ cursor: garbage }));
        expect(error.code, garbage).toBe("invalidCursor");
      }
    });

    it("summarizes count and amount per state and currency", async () => {
      const summary = await store.summarizeSales({});
      type Row = { state: SaleState; currency: string; count: number; amount: number; refunded: number; net: number };
      const expected = new Map<string, Row>();
      for (let i = 0; i < 25; i += 1) {
        const state = states[i % states.length]!;
        const currency = i % 5 === 0 ? "EUR" : "NOK";
        const entry = expected.get(`${state}|${currency}`) ?? {
          state,
          currency,
          count: 0,
          amount: 0,
          refunded: 0,
          net: 0,
        };
        entry.count += 1;
        entry.amount += 1000 + i;
        const refunded = state === "refunded" ? 300 : 0;
        entry.refunded += refunded;
        if (state === "captured" || state === "refunded") entry.net += 1000 + i - refunded;
        expected.set(`${state}|${currency}`, entry);
      }
      expect(summary).toEqual(
        [...expected.values()].sort((x, y) =>
          x.state === y.state ? (x.currency < y.currency ? -1 : 1) : x.state < y.state ? -1 : 1,
        ),
      );
      expect(await store.summarizeSales({ terminalId: "t2", from: iso(T0), to: iso(T0 + 60_000) })).toEqual([
        { state: "cancelled", currency: "NOK", count: 1, amount: 1001, refunded: 0, net: 0 },
      ]);
      expect(await store.summarizeSales({ terminalId: "t9" })).toEqual([]);
    });
  });

  describe("refunds", () => {
    it("stores, lists in order and updates refunds", async () => {
      const { sale, attempt, event } = newSale("s1", { state: "captured" });
      await store.insertSale({ ...sale, capturedAmount: sale.amount }, attempt, event);
      await store.insertRefund({ id: "r2", saleId: "s1", amount: 500, state: "pending", createdAt: iso(T0 + 2000) });
      await store.insertRefund({ id: "r1", saleId: "s1", amount: 1000, state: "pending", createdAt: iso(T0 + 1000) });
      await store.updateRefund("r1", "done");
      expect(await store.listRefunds("s1")).toEqual([
        { id: "r1", saleId: "s1", amount: 1000, state: "done", createdAt: iso(T0 + 1000) },
        { id: "r2", saleId: "s1", amount: 500, state: "pending", createdAt: iso(T0 + 2000) },
      ]);
      expect(await store.listRefunds("nope")).toEqual([]);
    });
  });
});
