/**
 * The sales repository's slice of the store conformance suite (tests/support/store-conformance.ts),
 * on SQLite and PostgreSQL: sales and their compare-and-set transitions. Attempts, events, listings
 * and refunds are in store-sale-records.test.ts.
 */
import pg from "pg";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { NewSaleEvent } from "@/lib/entities/sale";
import { isStoreError, type StoreError } from "@/lib/errors";
import type { CountersRepository, SalesRepository } from "@/lib/store/repositories";
import { conformance, iso, newSale, storeErrorOf, T0, terminal, type TestDatabase } from "../support/store-conformance";

conformance("Sales repository", (context) => {
  const { backend } = context;
  let store: SalesRepository, counters: CountersRepository, database: TestDatabase;
  beforeEach(() => {
    store = context.store.sales;
    counters = context.store.counters;
    database = context.database;
  });
  /** The sales of another app instance on the same database. */
  const another = async () => (await context.another()).sales;
  const rawSession = () => context.rawSession();

  describe("sales", () => {
    it("keeps the number a push sale was sent to, through transitions", async () => {
      const { sale, attempt, event } = newSale("s-push");
      await store.insertSale({ ...sale, customerPhone: "4791234567" }, attempt, event);
      expect((await store.getSale("s-push"))?.customerPhone).toBe("4791234567");
      await store.transitionSale("s-push", ["pending"], { state: "cancelled" }, { type: "test", source: "api" });
      expect(await store.getSale("s-push")).toMatchObject({ state: "cancelled", customerPhone: "4791234567" });
      const qr = newSale("s-qr", { terminalId: "t2" });
      await store.insertSale(qr.sale, qr.attempt, qr.event);
      expect(await store.getSale("s-qr")).toEqual(qr.sale);
    });

    it("keeps the customer token or personal QR a push sale goes to, set by a transition", async () => {
      const { sale, attempt, event } = newSale("s-scan");
      await store.insertSale(
        { ...sale, pushCustomer: { personalQr: "https://qr.vipps.no/x/4791234567" } },
        attempt,
        event,
      );
      expect((await store.getSale("s-scan"))?.pushCustomer).toEqual({ personalQr: "https://qr.vipps.no/x/4791234567" });
      await store.transitionSale(
        "s-scan",
        ["pending"],
        { pushCustomer: { customerToken: "dG9rZW4=" } },
        { type: "test", source: "webhook" },
      );
      expect(await store.getSale("s-scan")).toMatchObject({
        state: "pending",
        pushCustomer: { customerToken: "dG9rZW4=" },
      });
    });

    it("stores a sale whole, with its first attempt and event", async () => {
      const { sale, attempt, event } = newSale("s1", { idempotencyKey: "order-1", autoCapture: false });
      await store.insertSale(sale, attempt, event);
      expect(await store.getSale("s1")).toEqual(sale);
      expect(await store.getSaleByIdempotencyKey("order-1")).toEqual(sale);
      expect(await store.getAttempt(attempt.id)).toEqual(attempt);
      const events = await store.listEvents("s1");
      expect(events).toEqual([
        {
          id: expect.any(Number),
          saleId: "s1",
          attemptId: attempt.id,
          type: "sale.created",
          source: "api",
          toState: "pending",
          detail: { amount: 4990, lines: 1 },
          at: sale.createdAt,
        },
      ]);
      expect((await store.getSale("s1"))?.autoCapture).toBe(false);
      const automatic = newSale("s2", { terminalId: "t2", autoCapture: true });
      await store.insertSale(automatic.sale, automatic.attempt, automatic.event);
      expect((await store.getSale("s2"))?.autoCapture).toBe(true);
      expect(await store.getSale("nope")).toBeUndefined();
    });

    it("keeps the largest amounts as exact numbers, and their sums past 2^31", async () => {
      for (let i = 0; i < 40; i += 1) {
        const { sale, attempt, event } = newSale(`big-${i}`, {
          state: "captured",
          amount: 65_000_000,
          createdAt: iso(T0 + i),
        });
        await store.insertSale({ ...sale, capturedAmount: 65_000_000 }, attempt, event);
      }
      const big = await store.getSale("big-0");
      expect(big?.amount).toBe(65_000_000);
      expect(big?.capturedAmount).toBe(65_000_000);
      expect(await store.summarizeSales({})).toEqual([
        { state: "captured", currency: "NOK", count: 40, amount: 2_600_000_000, refunded: 0, net: 2_600_000_000 },
      ]);
    });

    it("rolls the whole insert back when a part of it fails", async () => {
      const first = newSale("s1");
      await store.insertSale(first.sale, first.attempt, first.event);
      await store.transitionSale(
        "s1",
        ["pending"],
        { state: "cancelled" },
        { type: "sale.cancelled", source: "cashier" },
      );
      // The attempt's reference is taken: the sale must not be stored without its attempt.
      const second = newSale("s2");
      await expect(
        store.insertSale(second.sale, { ...second.attempt, reference: first.attempt.reference }, second.event),
      ).rejects.toThrow();
      expect(await store.getSale("s2")).toBeUndefined();
      expect(await store.getActiveSale("t1")).toBeUndefined();
      expect(await store.listEvents("s2")).toEqual([]);
    });

    it("allows one active sale per terminal", async () => {
      const first = newSale("s1");
      await store.insertSale(first.sale, first.attempt, first.event);
      expect((await store.getActiveSale("t1"))?.id).toBe("s1");
      expect(await store.getActiveSale("t2")).toBeUndefined();

      const second = newSale("s2");
      const error = await storeErrorOf(store.insertSale(second.sale, second.attempt, second.event));
      expect(error.code).toBe("activeSaleConflict");
      expect(error.details).toEqual({ terminalId: "t1", activeSaleId: "s1" });
      expect(await store.getSale("s2")).toBeUndefined();

      // A sale that is already over does not hold its terminal.
      const over = newSale("s3", { terminalId: "t2", state: "captured" });
      await store.insertSale(over.sale, over.attempt, over.event);
      expect(await store.getActiveSale("t2")).toBeUndefined();
      const elsewhere = newSale("s4", { terminalId: "t2" });
      await store.insertSale(elsewhere.sale, elsewhere.attempt, elsewhere.event);
      expect((await store.getActiveSale("t1"))?.id).toBe("s1");
      expect((await store.getActiveSale("t2"))?.id).toBe("s4");
    });

    it("lets exactly one of two instances start a sale on a terminal at the same moment", async () => {
      const other = await another();
      for (const round of [1, 2, 3, 4, 5]) {
        const terminalId = `race-${round}`;
        await counters.saveTerminal(terminal(terminalId));
        const a = newSale(`a-${round}`, { terminalId });
        const b = newSale(`b-${round}`, { terminalId });
        const results = await Promise.allSettled([
          store.insertSale(a.sale, a.attempt, a.event),
          other.insertSale(b.sale, b.attempt, b.event),
        ]);
        const won = results.flatMap((result, i) =>
          result.status === "fulfilled" ? [i === 0 ? a.sale.id : b.sale.id] : [],
        );
        expect(won).toHaveLength(1);
        const failure = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
        expect(isStoreError(failure.reason, "activeSaleConflict")).toBe(true);
        expect((failure.reason as StoreError).details).toEqual({ terminalId, activeSaleId: won[0] });
        expect((await other.getActiveSale(terminalId))?.id).toBe(won[0]);
      }
    });

    it("reports the sale another connection committed while this insert waited", async () => {
      const raw = await rawSession();
      await raw.exec(backend.name === "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN");
      await raw.exec(
        `INSERT INTO sales (id, terminal_id, receipt_number, currency, amount, description, lines, state, auto_capture,
           current_attempt_id, attempt_count, idempotency_key, active_terminal_id, created_at, updated_at)
         VALUES ('elsewhere', 't1', 'R-x', 'NOK', 100, 'x', '[]', 'pending', '0', 'x-a1', 1, 'order-9', 't1', '${iso(T0)}', '${iso(T0)}')`,
      );
      const mine = newSale("mine");
      const insert = storeErrorOf(store.insertSale(mine.sale, mine.attempt, mine.event));
      await database.writerIsWaiting();
      await raw.exec("COMMIT");
      const error = await insert;
      expect(error.code).toBe("activeSaleConflict");
      expect(error.details).toEqual({ terminalId: "t1", activeSaleId: "elsewhere" });
    });

    it("replays by idempotency key and reports a key taken by a concurrent request", async () => {
      const first = newSale("s1", { idempotencyKey: "order-1" });
      await store.insertSale(first.sale, first.attempt, first.event);
      expect((await store.getSaleByIdempotencyKey("order-1"))?.id).toBe("s1");
      expect(await store.getSaleByIdempotencyKey("order-2")).toBeUndefined();

      const again = newSale("s2", { terminalId: "t2", idempotencyKey: "order-1" });
      const error = await storeErrorOf(store.insertSale(again.sale, again.attempt, again.event));
      expect(error.code).toBe("duplicateKey");
      expect(error.details).toEqual({ key: "idempotencyKey" });
      expect(await store.getSale("s2")).toBeUndefined();

      // Two instances, same key, different terminals, same moment: one stores it.
      const other = await another();
      await counters.saveTerminal(terminal("t3"));
      const a = newSale("a", { terminalId: "t2", idempotencyKey: "order-7" });
      const b = newSale("b", { terminalId: "t3", idempotencyKey: "order-7" });
      const results = await Promise.allSettled([
        store.insertSale(a.sale, a.attempt, a.event),
        other.insertSale(b.sale, b.attempt, b.event),
      ]);
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      const failure = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
      expect(isStoreError(failure.reason, "duplicateKey")).toBe(true);
    });

    it("shows the terminal's newest sale when none is active, the later id first on a tie", async () => {
      expect(await store.getShownSale("t1")).toBeUndefined();
      const older = newSale("s1", { state: "captured", createdAt: iso(T0) });
      const newer = newSale("s2", { state: "expired", createdAt: iso(T0 + 1000) });
      const tied = newSale("s0", { state: "cancelled", createdAt: iso(T0 + 1000) });
      for (const { sale, attempt, event } of [older, newer, tied]) await store.insertSale(sale, attempt, event);
      expect((await store.getShownSale("t1"))?.sale.id).toBe("s2");
      expect(await store.getShownSale("t2")).toBeUndefined();
    });

    it("gives what a display shows in one read: the active sale, else the newest, with its attempt and newest event", async () => {
      expect(await store.getShownSale("t1")).toBeUndefined();
      const separately = async () => {
        const sale =
          (await store.getActiveSale("t1")) ?? (await store.listSales({ terminalId: "t1", limit: 1 })).items[0];
        return (
          sale && {
            sale,
            attempt: await store.getAttempt(sale.currentAttemptId),
            latestEventId: await store.latestEventIdForSale(sale.id),
          }
        );
      };
      // Ended, and newer than the active sale below: the active one is still what is shown.
      const ended = newSale("s-ended", { state: "captured", createdAt: iso(T0 + 2000) });
      const active = newSale("s-active", { createdAt: iso(T0 + 1000) });
      for (const { sale, attempt, event } of [ended, active]) await store.insertSale(sale, attempt, event);
      await store.updateAttempt("s-active-a1", { state: "CREATED", qrUrl: "https://qr.example/x", pollCount: 3 });
      await store.appendEvent({ saleId: "s-active", type: "note", source: "system" });
      const shown = await store.getShownSale("t1");
      expect(shown?.sale.id).toBe("s-active");
      expect(shown?.attempt).toMatchObject({
        id: "s-active-a1",
        state: "CREATED",
        qrUrl: "https://qr.example/x",
        pollCount: 3,
      });
      expect(shown?.latestEventId).toBeGreaterThan(0);
      expect(shown).toEqual(await separately());

      // Once it ends, the newest sale is shown again.
      await store.transitionSale(
        "s-active",
        ["pending"],
        { state: "cancelled", endedAt: iso(T0 + 3000) },
        { type: "sale.cancelled", source: "cashier" },
      );
      expect((await store.getShownSale("t1"))?.sale.id).toBe("s-ended");
      expect(await store.getShownSale("t1")).toEqual(await separately());
      expect(await store.getShownSale("t2")).toBeUndefined();
    });
  });

  describe("transitionSale (compare-and-set)", () => {
    beforeEach(async () => {
      const { sale, attempt, event } = newSale("s1");
      await store.insertSale(sale, attempt, event);
    });

    it("applies the patch and appends the event when the sale is in one of `from`", async () => {
      const updated = await store.transitionSale(
        "s1",
        ["pending", "authorized"],
        { state: "authorized", updatedAt: iso(T0 + 1000), failureReason: undefined },
        { type: "payment.authorized", source: "webhook", detail: { pspReference: "psp-1" }, at: iso(T0 + 1000) },
      );
      expect(updated).toMatchObject({ id: "s1", state: "authorized", updatedAt: iso(T0 + 1000) });
      expect(await store.getSale("s1")).toEqual(updated);
      expect((await store.listEvents("s1")).map((e) => [e.type, e.fromState, e.toState, e.source, e.detail])).toEqual([
        ["sale.created", undefined, "pending", "api", { amount: 4990, lines: 1 }],
        ["payment.authorized", "pending", "authorized", "webhook", { pspReference: "psp-1" }],
      ]);
      expect((await store.getActiveSale("t1"))?.id).toBe("s1");
    });

    it("does nothing and returns undefined for a stale `from`, appending no event", async () => {
      await store.transitionSale(
        "s1",
        ["pending"],
        { state: "cancelled", endedAt: iso(T0 + 1000) },
        { type: "sale.cancelled", source: "cashier" },
      );
      const before = await store.getSale("s1");
      expect(
        await store.transitionSale(
          "s1",
          ["pending"],
          { state: "authorized" },
          { type: "payment.authorized", source: "webhook" },
        ),
      ).toBeUndefined();
      expect(await store.getSale("s1")).toEqual(before);
      expect((await store.listEvents("s1")).map((e) => e.type)).toEqual(["sale.created", "sale.cancelled"]);
    });

    it("fails with notFound for an unknown sale", async () => {
      expect(
        (
          await storeErrorOf(
            store.transitionSale("nope", ["pending"], { state: "cancelled" }, { type: "x", source: "system" }),
          )
        ).code,
      ).toBe("notFound");
    });

    it("frees the terminal when the sale ends, and clears optional fields given as undefined", async () => {
      await store.transitionSale(
        "s1",
        ["pending"],
        { state: "failed", failureReason: "declined", endedAt: iso(T0 + 1) },
        { type: "sale.failed", source: "poll" },
      );
      expect(await store.getActiveSale("t1")).toBeUndefined();
      const next = newSale("s2");
      await store.insertSale(next.sale, next.attempt, next.event);
      expect((await store.getActiveSale("t1"))?.id).toBe("s2");
      const cleared = await store.transitionSale(
        "s1",
        ["failed"],
        { failureReason: undefined, endedAt: undefined },
        { type: "note", source: "system" },
      );
      expect(cleared?.failureReason).toBeUndefined();
      expect((await store.getSale("s1"))?.endedAt).toBeUndefined();
    });

    it("keeps the patch and the event together: when the event cannot be stored, neither is", async () => {
      const broken = { type: null, source: "system" } as unknown as NewSaleEvent;
      await expect(store.transitionSale("s1", ["pending"], { state: "cancelled" }, broken)).rejects.toThrow();
      expect((await store.getSale("s1"))?.state).toBe("pending");
      expect(await store.listEvents("s1")).toHaveLength(1);
    });

    it("refuses to make a second sale of the terminal active", async () => {
      await store.transitionSale("s1", ["pending"], { state: "expired" }, { type: "sale.expired", source: "system" });
      const next = newSale("s2");
      await store.insertSale(next.sale, next.attempt, next.event);
      const error = await storeErrorOf(
        store.transitionSale("s1", ["expired"], { state: "pending" }, { type: "sale.retried", source: "cashier" }),
      );
      expect(error.code).toBe("activeSaleConflict");
      expect(error.details).toEqual({ terminalId: "t1", activeSaleId: "s2" });
      expect((await store.getSale("s1"))?.state).toBe("expired");
      expect((await store.listEvents("s1")).map((e) => e.type)).toEqual(["sale.created", "sale.expired"]);
    });

    it("lets exactly one of two instances make the same transition at the same moment", async () => {
      const other = await another();
      for (const round of [1, 2, 3, 4, 5]) {
        const id = `race-${round}`;
        const terminalId = `rt-${round}`;
        await counters.saveTerminal(terminal(terminalId));
        const { sale, attempt, event } = newSale(id, { terminalId });
        await store.insertSale(sale, attempt, event);
        const results = await Promise.all([
          store.transitionSale(id, ["pending"], { state: "authorized" }, { type: "by.a", source: "webhook" }),
          other.transitionSale(id, ["pending"], { state: "cancelled" }, { type: "by.b", source: "cashier" }),
        ]);
        expect(results.filter((result) => result !== undefined)).toHaveLength(1);
        const events = await store.listEvents(id);
        expect(events).toHaveLength(2);
        expect(events[1]?.fromState).toBe("pending");
        expect((await store.getSale(id))?.state).toBe(events[1]?.toState);
      }
    });

    it.runIf(backend.name === "postgresql")(
      "is one statement on PostgreSQL: one round trip, not a transaction of five",
      async () => {
        const query = vi.spyOn(pg.Client.prototype, "query");
        try {
          await store.transitionSale(
            "s1",
            ["pending"],
            { state: "authorized" },
            { type: "payment.authorized", source: "webhook" },
          );
          expect(query).toHaveBeenCalledTimes(1);
          query.mockClear();
          expect(
            await store.transitionSale(
              "s1",
              ["pending"],
              { state: "cancelled" },
              { type: "sale.cancelled", source: "cashier" },
            ),
          ).toBeUndefined();
          expect(query).toHaveBeenCalledTimes(1);
        } finally {
          query.mockRestore();
        }
        expect((await store.listEvents("s1")).map((e) => [e.type, e.fromState, e.toState])).toEqual([
          ["sale.created", undefined, "pending"],
          ["payment.authorized", "pending", "authorized"],
        ]);
      },
    );

    it("sees a change another connection committed while it waited, and then does not apply", async () => {
      const raw = await rawSession();
      await raw.exec(backend.name === "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN");
      await raw.exec("UPDATE sales SET state = 'authorized' WHERE id = 's1'");
      const transition = store.transitionSale(
        "s1",
        ["pending"],
        { state: "cancelled" },
        { type: "sale.cancelled", source: "cashier" },
      );
      await database.writerIsWaiting();
      await raw.exec("COMMIT");
      expect(await transition).toBeUndefined();
      expect((await store.getSale("s1"))?.state).toBe("authorized");
      expect(await store.listEvents("s1")).toHaveLength(1);
    });
  });
});
