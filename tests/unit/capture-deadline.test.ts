// The capture deadline on a sale's view: 180 days in Norway, 14 in Denmark and Finland, counted from
// the approval, and only while the sale waits for its capture.
import { beforeEach, describe, expect, it } from "vitest";
import { CAPTURE_DEADLINES, SaleViews, captureDeadlineOf } from "@/lib/sales/sale-views";
import type { Currency, PaymentAttempt, Sale, SaleState } from "@/lib/sales/types";
import { FrozenClock } from "../support/frozen-clock";
import { memoryStore, type TestStore } from "../support/memory-store";
import { COUNTER_1 } from "../support/sale-domain";

const T0 = "2026-03-02T09:00:00.000Z";
const DAY = 24 * 60 * 60 * 1000;
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

describe("captureDeadlineOf", () => {
  it("gives Norway 180 days and Denmark and Finland 14, by the payment's currency", () => {
    expect(CAPTURE_DEADLINES).toEqual({
      NOK: { market: "NO", days: 180 },
      DKK: { market: "DK", days: 14 },
      EUR: { market: "FI", days: 14 },
    });
    expect(captureDeadlineOf("NOK", T0)).toBe("2026-08-29T09:00:00.000Z");
    expect(captureDeadlineOf("DKK", T0)).toBe("2026-03-16T09:00:00.000Z");
    expect(captureDeadlineOf("EUR", T0)).toBe("2026-03-16T09:00:00.000Z");
  });
});

describe("SaleView.captureDeadline", () => {
  let store: TestStore;
  let views: SaleViews;
  let counter = 0;

  beforeEach(async () => {
    store = await memoryStore();
    await store.saveTerminal(COUNTER_1);
    await store.saveTerminal({ ...COUNTER_1, id: "pos-dk", posId: "pos-dk", currency: "DKK", displayToken: "dk" });
    views = new SaleViews({ sales: store, clock: new FrozenClock(Date.parse(T0) + 30 * DAY) });
  });

  /** A sale made at T0, then moved through `path` (state, at) as the transitions would. */
  async function saleThrough(currency: Currency, path: [SaleState, string, string][]): Promise<Sale> {
    counter += 1;
    const id = `s${counter}`;
    const terminalId = currency === "DKK" ? "pos-dk" : COUNTER_1.id;
    const sale: Sale = {
      id,
      terminalId,
      receiptNumber: String(counter),
      currency,
      amount: 5000,
      description: "Coffee",
      lines: [],
      state: "pending",
      autoCapture: false,
      capturedAmount: 0,
      refundedAmount: 0,
      currentAttemptId: `${id}-a`,
      attemptCount: 1,
      createdAt: T0,
      updatedAt: T0,
    };
    const attempt: PaymentAttempt = {
      id: `${id}-a`,
      saleId: id,
      reference: `ref-${id}-xyz`,
      state: "CREATED",
      createdAt: T0,
      expiresAt: at(600_000),
      nextPollAt: at(5000),
      pollCount: 0,
    };
    await store.insertSale(sale, attempt, { type: "sale.created", source: "api", toState: "pending", at: T0 });
    let current = sale;
    for (const [state, type, when] of path) {
      current = (await store.transitionSale(
        id,
        [current.state],
        { state, updatedAt: when },
        { type, source: "webhook", at: when },
      ))!;
    }
    return current;
  }

  it("counts from the approval for an approved sale, in its market", async () => {
    const norwegian = await saleThrough("NOK", [["authorized", "payment.authorized", at(60_000)]]);
    expect((await views.view(norwegian)).captureDeadline).toBe(
      new Date(Date.parse(T0) + 60_000 + 180 * DAY).toISOString(),
    );
    const danish = await saleThrough("DKK", [["authorized", "payment.authorized", at(2 * DAY)]]);
    expect((await views.get(danish.id)).captureDeadline).toBe(new Date(Date.parse(T0) + 16 * DAY).toISOString());
  });

  it("counts from the later approval when Vipps overruled an earlier one", async () => {
    const sale = await saleThrough("EUR", [
      ["authorized", "payment.authorized", at(1000)],
      ["pending", "payment.approval-contradicted", at(20_000)],
      ["authorized", "payment.authorized", at(DAY)],
    ]);
    expect((await views.view(sale)).captureDeadline).toBe(new Date(Date.parse(T0) + 15 * DAY).toISOString());
  });

  it("is null for a sale that does not wait for a capture", async () => {
    const captured = await saleThrough("NOK", [
      ["authorized", "payment.authorized", at(1000)],
      ["captured", "payment.captured", at(2000)],
    ]);
    expect((await views.view(captured)).captureDeadline).toBeNull();
    const released = await saleThrough("DKK", [
      ["authorized", "payment.authorized", at(1000)],
      ["cancelled", "payment.released", at(2000)],
    ]);
    expect((await views.view(released)).captureDeadline).toBeNull();
    // Last: a pending sale keeps its terminal busy.
    const pending = await saleThrough("NOK", []);
    expect((await views.view(pending)).captureDeadline).toBeNull();
  });

  it("shows the deadline in lists too", async () => {
    await saleThrough("DKK", [["authorized", "payment.authorized", at(3000)]]);
    const { items } = await views.list({ state: "authorized" });
    expect(items.map((item) => item.captureDeadline)).toEqual([
      new Date(Date.parse(T0) + 3000 + 14 * DAY).toISOString(),
    ]);
  });
});
