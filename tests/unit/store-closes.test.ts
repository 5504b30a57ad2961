/**
 * The closes repository's slice of the store conformance suite (tests/support/store-conformance.ts),
 * on SQLite and PostgreSQL: a close takes every counted event no earlier close took, numbers run
 * 1, 2, 3… per terminal, two instances closing at once take turns, and an upgrade to version 12
 * keeps every sale and gives each a receipt id.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { CloseInput, ComposedClose } from "@/lib/entities/close";
import { composeClose } from "@/lib/closes/close-report";
import type { Store } from "@/lib/store/store";
import { conformance, iso, newSale, T0, VERSIONS } from "../support/store-conformance";
import { databaseAtVersion } from "../support/old-database";

let closeCount = 0;
const compose =
  (closedAt = iso(T0 + 3_600_000)) =>
  (input: CloseInput): ComposedClose =>
    composeClose(input, { id: `close-${++closeCount}-${Math.random().toString(36).slice(2)}`, closedAt });

/** A sale of 100.00 NOK at 25 %, captured through the log as SaleTransitions records it. */
async function capturedSale(store: Store, id: string, terminalId = "t1", amount = 10_000) {
  const { sale, attempt, event } = newSale(id, { terminalId, amount });
  await store.sales.insertSale(sale, attempt, event);
  await store.sales.transitionSale(
    id,
    ["pending"],
    { state: "captured", capturedAmount: amount, endedAt: iso(T0 + 1_000) },
    { type: "payment.captured", source: "webhook", detail: { capturedAmount: amount, refundedAmount: 0 } },
  );
}

async function refund(store: Store, id: string, amount: number, total: number) {
  await store.sales.transitionSale(
    id,
    ["captured", "refunded"],
    { refundedAmount: total, state: "captured" },
    { type: "payment.refunded", source: "api", detail: { amount, refundedAmount: total } },
  );
}

conformance("Closes repository", (context) => {
  let store: Store;
  beforeEach(() => {
    store = context.store;
  });

  it("takes captures and refunds once: the next close is empty and numbered next", async () => {
    await capturedSale(store, "s1");
    await capturedSale(store, "s2");
    await refund(store, "s2", 2_500, 2_500);
    await capturedSale(store, "other", "t2");

    const preview = await store.closes.openCloseInput("t1");
    expect(preview?.sales.map((entry) => entry.sale.id).sort()).toEqual(["s1", "s2"]);
    const first = await store.closes.closeTerminal("t1", compose());
    expect(first).toMatchObject({
      terminalId: "t1",
      number: 1,
      openedAt: iso(T0),
      currencies: [
        {
          currency: "NOK",
          captured: { count: 2, amount: 20_000 },
          refunded: { count: 1, amount: 2_500 },
          net: 17_500,
          vat: [{ rate: 2500, base: 14_000, tax: 3_500 }],
        },
      ],
    });
    expect(first?.sales).toEqual(["s1", "s2"]);

    const second = await store.closes.closeTerminal("t1", compose(iso(T0 + 7_200_000)));
    expect(second).toMatchObject({ number: 2, openedAt: first?.closedAt, currencies: [], sales: [] });
    // A later refund of a sale closed before lands in the next close alone.
    await refund(store, "s1", 10_000, 10_000);
    const third = await store.closes.closeTerminal("t1", compose());
    expect(third?.currencies[0]).toMatchObject({
      captured: { count: 0, amount: 0 },
      refunded: { count: 1 },
      net: -10_000,
    });
    expect(third?.sales).toEqual(["s1"]);

    expect((await store.closes.listCloses("t1", { limit: 10 })).map((close) => close.number)).toEqual([3, 2, 1]);
    expect((await store.closes.listCloses("t1", { limit: 1, beforeNumber: 3 })).map((c) => c.number)).toEqual([2]);
    expect(await store.closes.getClose(first!.id)).toEqual(first);
    expect(await store.closes.lastClosedAt("t1")).toBe(third?.closedAt);
    // Each close's terminal.closed event went into the POS outbox with it, the close as its data.
    const closedEvents = (await store.posEvents.listPosEvents(0, 500)).filter((e) => e.type === "terminal.closed");
    expect(closedEvents.map((event) => [event.subject, event.data])).toEqual([
      ["t1", first],
      ["t1", second],
      ["t1", third],
    ]);
    expect((await store.closes.closeTerminal("t2", compose()))?.number).toBe(1);
    expect(await store.closes.closeTerminal("nope", compose())).toBeUndefined();
    expect(await store.closes.openCloseInput("nope")).toBeUndefined();
  });

  it("counts a sale pending at one close in the close where it is captured", async () => {
    const { sale, attempt, event } = newSale("late", { amount: 5_000 });
    await store.sales.insertSale(sale, attempt, event);
    const first = await store.closes.closeTerminal("t1", compose());
    expect(first?.sales).toEqual([]);
    await store.sales.transitionSale(
      "late",
      ["pending"],
      { state: "captured", capturedAmount: 5_000 },
      { type: "payment.captured", source: "poll", detail: { capturedAmount: 5_000, refundedAmount: 0 } },
    );
    const second = await store.closes.closeTerminal("t1", compose());
    expect(second?.currencies[0]?.captured).toEqual({ count: 1, amount: 5_000 });
    expect(second?.sales).toEqual(["late"]);
  });

  it("gives two instances closing at once consecutive numbers and no sale twice", async () => {
    for (let i = 0; i < 8; i += 1) await capturedSale(store, `c${i}`);
    const others = [store, await context.another(), await context.another()];
    const closes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => others[i % others.length]!.closes.closeTerminal("t1", compose())),
    );
    expect(closes.map((close) => close?.number).sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6]);
    const counted = closes.flatMap((close) => close?.sales ?? []);
    expect(counted.sort()).toEqual(Array.from({ length: 8 }, (_, i) => `c${i}`).sort());
    const captured = closes.reduce((sum, close) => sum + (close?.currencies[0]?.captured.amount ?? 0), 0);
    expect(captured).toBe(80_000);
  });

  it("upgrades to version 12 without losing a sale, and gives each a receipt id", async () => {
    const { database: blank, raw, dialect } = await databaseAtVersion(context, 11);
    await raw.exec(`INSERT INTO terminals (id, name, pos_id, language, currency, display_token, created_at)
      VALUES ('t9', 'Old counter', 't9', 'nb', 'NOK', 'tok-9', '${iso(T0)}')`);
    for (const id of ["old-1", "old-2"]) {
      await raw.exec(`INSERT INTO sales (id, terminal_id, receipt_number, currency, amount, description, lines, state,
        auto_capture, captured_amount, current_attempt_id, attempt_count, created_at, updated_at)
        VALUES ('${id}', 't9', '000001', 'NOK', 5000, 'Kaffe', '[]', 'captured', ${dialect === "sqlite" ? 1 : "TRUE"},
        5000, 'a1', 1, '${iso(T0)}', '${iso(T0)}')`);
    }
    const upgraded = await blank.open();
    context.opened.push(upgraded);
    const [one, two] = [await upgraded.sales.getSale("old-1"), await upgraded.sales.getSale("old-2")];
    expect(one).toMatchObject({ terminalId: "t9", amount: 5000, capturedAmount: 5000, state: "captured" });
    expect(one?.receiptId).toMatch(/^[0-9a-f]{32,}$/);
    expect(two?.receiptId).not.toBe(one?.receiptId);
    expect(one?.posReference).toBeUndefined();
    const applied = await raw.query("SELECT version FROM schema_migrations ORDER BY version");
    expect(applied.map((row) => Number(row.version))).toEqual(VERSIONS);
  });

  describe("sales keep the POS reference and receipt id", () => {
    it("stores and reads both", async () => {
      const { sale, attempt, event } = newSale("ref-1");
      await store.sales.insertSale(
        { ...sale, posReference: "Kvittering 4711/ø", receiptId: "r".repeat(24) },
        attempt,
        event,
      );
      expect(await store.sales.getSale("ref-1")).toMatchObject({
        posReference: "Kvittering 4711/ø",
        receiptId: "r".repeat(24),
      });
      const moved = await store.sales.transitionSale(
        "ref-1",
        ["pending"],
        { state: "cancelled" },
        { type: "t", source: "api" },
      );
      expect(moved).toMatchObject({ posReference: "Kvittering 4711/ø", receiptId: "r".repeat(24) });
      expect((await store.sales.getSaleByReceiptId("r".repeat(24)))?.id).toBe("ref-1");
      expect(await store.sales.getSaleByReceiptId("ref-1")).toBeUndefined();
    });
  });
});
