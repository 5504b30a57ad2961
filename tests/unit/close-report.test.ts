/** The arithmetic of a terminal's close (lib/closes/close-report.ts): totals, VAT rounding, refunds, and which close counts what. */
import { describe, expect, it } from "vitest";
import { composeClose, splitByRate, vatOf } from "@/lib/closes/close-report";
import type { CloseEvent, CloseInput, CloseSaleInput } from "@/lib/entities/close";
import type { Sale, SaleLine } from "@/lib/entities/sale";

const T0 = Date.parse("2026-05-01T10:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

const line = (taxRate: number, totalAmount: number): SaleLine => ({
  id: String(taxRate),
  name: `Goods at ${taxRate}`,
  quantity: 1,
  unitPrice: totalAmount,
  taxRate,
  totalAmount,
  taxAmount: Math.round((totalAmount * taxRate) / (10_000 + taxRate)),
});

function sale(id: string, lines: SaleLine[], extra: Partial<Sale> = {}): Sale {
  const amount = lines.reduce((sum, l) => sum + l.totalAmount, 0);
  return {
    id,
    terminalId: "t1",
    receiptNumber: id,
    currency: "NOK",
    amount,
    description: id,
    lines,
    state: "captured",
    autoCapture: true,
    capturedAmount: amount,
    refundedAmount: 0,
    currentAttemptId: "a",
    attemptCount: 1,
    createdAt: iso(T0),
    updatedAt: iso(T0),
    ...extra,
  };
}

let nextId = 1;
const captured = (amount: number, closed = false): CloseEvent => ({
  id: nextId++,
  type: "payment.captured",
  detail: { capturedAmount: amount, refundedAmount: 0 },
  at: iso(T0 + nextId * 1000),
  closed,
});
const refunded = (amount: number, total: number, closed = false): CloseEvent => ({
  id: nextId++,
  type: "payment.refunded",
  detail: { amount, refundedAmount: total },
  at: iso(T0 + nextId * 1000),
  closed,
});

const input = (sales: CloseSaleInput[], previous?: CloseInput["previous"]): CloseInput => ({
  terminalId: "t1",
  terminalCreatedAt: iso(T0),
  ...(previous ? { previous } : {}),
  sales,
});
const close = (value: CloseInput) => composeClose(value, { id: "cl_1", closedAt: iso(T0 + 86_400_000) });

describe("a close's totals", () => {
  it("equal its sales' captures and refunds, with VAT by rate adding up to the net", () => {
    const mixed = sale("mixed", [line(2500, 12_345), line(1500, 6_789), line(0, 1_000)]);
    const single = sale("single", [line(2500, 9_999)]);
    const { close: report, eventIds } = close(
      input([
        { sale: mixed, events: [captured(20_134), refunded(5_000, 5_000)] },
        { sale: single, events: [captured(9_999)] },
      ]),
    );
    const nok = report.currencies[0]!;
    expect(nok.captured).toEqual({ count: 2, amount: 30_133 });
    expect(nok.refunded).toEqual({ count: 1, amount: 5_000 });
    expect(nok.net).toBe(25_133);
    expect(nok.vat.reduce((sum, v) => sum + v.base + v.tax, 0)).toBe(nok.net);
    for (const v of nok.vat) expect(v.tax).toBe(vatOf(v.base + v.tax, v.rate).tax);
    expect(nok.vat.map((v) => v.rate)).toEqual([0, 1500, 2500]);
    expect(report.sales).toEqual(["mixed", "single"]);
    expect(eventIds).toHaveLength(3);
    expect(report.number).toBe(1);
    expect(report.openedAt).toBe(iso(T0));
  });

  it("rounds VAT half away from zero once per rate, so base + tax is the gross", () => {
    // 25 %: 1 øre has 0.2 tax → 0; 2 øre 0.4 → 0; 3 øre 0.6 → 1; 5 øre has exactly 1.
    expect(vatOf(3, 2500)).toEqual({ rate: 2500, base: 2, tax: 1 });
    expect(vatOf(2, 2500)).toEqual({ rate: 2500, base: 2, tax: 0 });
    // 15 %: 23 øre has 3.0 tax; 115 has 15; 1150 has exactly 150.
    expect(vatOf(1150, 1500)).toEqual({ rate: 1500, base: 1000, tax: 150 });
    // An exact half goes away from zero (100 %: 3 øre gross is 1.5 tax → 2, and -3 → -2).
    expect(vatOf(3, 10_000)).toEqual({ rate: 10_000, base: 1, tax: 2 });
    expect(vatOf(-3, 10_000)).toEqual({ rate: 10_000, base: -1, tax: -2 });
    expect(vatOf(45, 1250)).toEqual({ rate: 1250, base: 40, tax: 5 });
    // 25 % of 10 øre gross is 2 (exactly), of -10 is -2: refunds mirror captures.
    expect(vatOf(-10, 2500)).toEqual({ rate: 2500, base: -8, tax: -2 });
    expect(vatOf(-3, 2500)).toEqual({ rate: 2500, base: -2, tax: -1 });
    for (let gross = -500; gross <= 500; gross += 7) {
      const v = vatOf(gross, 2500);
      expect(v.base + v.tax).toBe(gross);
    }
  });

  it("splits a refund over the rates in proportion, and a full refund gives back each rate's gross", () => {
    const weights = new Map([
      [2500, 100],
      [1500, 200],
    ]);
    expect(splitByRate(3, weights)).toEqual(
      new Map([
        [2500, 1],
        [1500, 2],
      ]),
    );
    expect([...splitByRate(1, weights).values()].reduce((a, b) => a + b, 0)).toBe(1);
    const mixed = sale("m", [line(2500, 10_001), line(1500, 3_333)]);
    const { close: report } = close(
      input([{ sale: mixed, events: [captured(13_334, true), refunded(7, 7), refunded(13_327, 13_334)] }]),
    );
    const nok = report.currencies[0]!;
    expect(nok.captured.count).toBe(0);
    expect(nok.refunded).toEqual({ count: 2, amount: 13_334 });
    const gross = new Map(nok.vat.map((v) => [v.rate, v.base + v.tax]));
    expect(gross).toEqual(
      new Map([
        [1500, -3_333],
        [2500, -10_001],
      ]),
    );
  });

  it("counts a sale pending at one close in the close where it is captured", () => {
    const pending = sale("p", [line(2500, 5_000)], { state: "pending", capturedAmount: 0 });
    const first = close(input([{ sale: pending, events: [] }]));
    expect(first.close.currencies).toEqual([]);
    expect(first.close.sales).toEqual([]);
    const second = composeClose(
      input([{ sale: { ...pending, state: "captured", capturedAmount: 5_000 }, events: [captured(5_000)] }], {
        number: 1,
        closedAt: first.close.closedAt,
      }),
      { id: "cl_2", closedAt: iso(T0 + 2 * 86_400_000) },
    );
    expect(second.close).toMatchObject({ number: 2, openedAt: first.close.closedAt, sales: ["p"] });
    expect(second.close.currencies[0]?.captured).toEqual({ count: 1, amount: 5_000 });
  });

  it("is empty and numbered next right after a close took everything", () => {
    const s = sale("s", [line(2500, 5_000)]);
    const events = [captured(5_000), refunded(1_000, 1_000)];
    const first = close(input([{ sale: s, events }]));
    const taken = new Set(first.eventIds);
    const again = composeClose(
      input([{ sale: s, events: events.map((e) => ({ ...e, closed: taken.has(e.id) })) }], {
        number: first.close.number,
        closedAt: first.close.closedAt,
      }),
      { id: "cl_2", closedAt: iso(T0 + 2 * 86_400_000) },
    );
    expect(again.close).toMatchObject({ number: 2, currencies: [], sales: [], cancelled: { count: 0 } });
    expect(again.eventIds).toEqual([]);
  });

  it("counts unpaid and failed ends, and keeps currencies apart", () => {
    const dkk = sale("dkk", [line(2500, 4_000)], { currency: "DKK" });
    const gone = sale("gone", [line(2500, 4_000)], { state: "cancelled", capturedAmount: 0 });
    const broke = sale("broke", [line(2500, 4_000)], { state: "failed", capturedAmount: 0 });
    const { close: report } = close(
      input([
        { sale: dkk, events: [captured(4_000)] },
        {
          sale: gone,
          events: [{ id: nextId++, type: "sale.cancelled", toState: "cancelled", at: iso(T0), closed: false }],
        },
        {
          sale: broke,
          events: [{ id: nextId++, type: "payment.create-lost", toState: "failed", at: iso(T0), closed: false }],
        },
      ]),
    );
    expect(report.cancelled).toEqual({ count: 1 });
    expect(report.failed).toEqual({ count: 1 });
    expect(report.currencies.map((c) => c.currency)).toEqual(["DKK"]);
  });

  it("takes a refund Vipps reported through a capture event's totals (a portal refund) once", () => {
    const s = sale("portal", [line(2500, 8_000)]);
    const events: CloseEvent[] = [
      captured(8_000, true),
      {
        id: nextId++,
        type: "payment.captured",
        detail: { capturedAmount: 8_000, refundedAmount: 3_000 },
        at: iso(T0),
        closed: false,
      },
    ];
    const nok = close(input([{ sale: s, events }])).close.currencies[0]!;
    expect(nok).toMatchObject({
      captured: { count: 0, amount: 0 },
      refunded: { count: 1, amount: 3_000 },
      net: -3_000,
    });
  });
});
