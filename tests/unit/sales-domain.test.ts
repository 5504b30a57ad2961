import { describe, expect, it } from "vitest";
import { computeDisplayState, OUTCOME_DISPLAY_MS } from "@/lib/display/display-state";
import { lineTotals } from "@/lib/sales/money";
import { createSaleSchemaFor } from "@/lib/contracts/sales";
import { toCreateSaleInput } from "@/lib/sales/sale-input";
import { newReference } from "@/lib/sales/payment-request";
import type { PaymentAttempt, Sale, Terminal } from "@/lib/sales/types";

describe("line totals", () => {
  it("splits a tax-inclusive price into net and tax that add up exactly", () => {
    expect(lineTotals({ quantity: 1, unitPrice: 42924, taxRate: 2500 })).toEqual({
      totalAmount: 42924,
      taxAmount: 8585,
      netAmount: 34339,
    });
    expect(lineTotals({ quantity: 3, unitPrice: 3900, taxRate: 1500 })).toEqual({
      totalAmount: 11700,
      taxAmount: 1526,
      netAmount: 10174,
    });
    expect(lineTotals({ quantity: 2, unitPrice: 999, taxRate: 0 })).toEqual({
      totalAmount: 1998,
      taxAmount: 0,
      netAmount: 1998,
    });
  });
});

describe("references", () => {
  it("match Vipps' pattern and never repeat", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const reference = newReference(Date.now());
      expect(reference).toMatch(/^[a-zA-Z0-9-]{8,50}$/);
      seen.add(reference);
    }
    expect(seen.size).toBe(1000);
  });
});

describe("create-sale request shapes", () => {
  it("turns a typed amount into one line and reports field errors of the chosen shape", () => {
    const body = { terminalId: "pos-1", currency: "NOK", amount: 25000, description: "Bike repair" };
    const parsed = createSaleSchemaFor(body).parse(body);
    expect(toCreateSaleInput(parsed).lines).toEqual([
      { name: "Bike repair", quantity: 1, unitPrice: 25000, taxRate: 2500 },
    ]);
    const bad = { terminalId: "pos-1", currency: "NOK", lines: [{ name: "x", quantity: 1, unitPrice: 1.5 }] };
    const result = createSaleSchemaFor(bad).safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(["lines", 0, "unitPrice"]);
  });
});

describe("display state", () => {
  const terminal: Terminal = {
    id: "pos-1",
    name: "Counter 1",
    posId: "pos-1",
    language: "nb",
    currency: "NOK",
    displayToken: "t",
    createdAt: "2026-01-01T00:00:00.000Z",
  };
  const now = Date.parse("2026-11-25T12:00:00.000Z");
  const sale: Sale = {
    id: "sale_1",
    terminalId: "pos-1",
    receiptNumber: "000001",
    currency: "NOK",
    amount: 10000,
    description: "Coffee",
    lines: [
      { id: "1", name: "Coffee", quantity: 1, unitPrice: 10000, taxRate: 1500, totalAmount: 10000, taxAmount: 1304 },
    ],
    state: "pending",
    autoCapture: true,
    capturedAmount: 0,
    refundedAmount: 0,
    currentAttemptId: "att_1",
    attemptCount: 1,
    createdAt: new Date(now - 1000).toISOString(),
    updatedAt: new Date(now - 1000).toISOString(),
  };
  const attempt: PaymentAttempt = {
    id: "att_1",
    saleId: "sale_1",
    reference: "kd-ref-123456",
    state: "CREATED",
    qrUrl: "http://sim/qr/abc",
    createdAt: new Date(now - 1000).toISOString(),
    expiresAt: new Date(now + 60_000).toISOString(),
    nextPollAt: new Date(now).toISOString(),
    pollCount: 0,
  };

  it("is idle without a sale", () => {
    expect(computeDisplayState({ terminal, shopName: "Shop", nowMs: now }).phase).toBe("idle");
  });

  it("names the wallet by the server's clock: the old name with the moment it changes before the switch, Vipps from it", () => {
    const switchAtMs = Date.parse("2027-01-11T23:00:00Z");
    const before = computeDisplayState({
      terminal,
      shopName: "Shop",
      nowMs: switchAtMs - 1,
      brandSwitchAtMs: switchAtMs,
    });
    expect(before.wallet).toEqual({ brand: "vipps-mobilepay", switchAt: "2027-01-11T23:00:00.000Z" });
    const after = computeDisplayState({ terminal, shopName: "Shop", nowMs: switchAtMs, brandSwitchAtMs: switchAtMs });
    expect(after.wallet).toEqual({ brand: "vipps" });
    // Without a configured moment, 12 January 2027 at midnight in Copenhagen.
    expect(computeDisplayState({ terminal, shopName: "Shop", nowMs: switchAtMs + 1 }).wallet.brand).toBe("vipps");
    expect(computeDisplayState({ terminal, shopName: "Shop", nowMs: switchAtMs - 1 }).wallet.brand).toBe(
      "vipps-mobilepay",
    );
  });

  it("shows the QR while it can be scanned, and never after its deadline", () => {
    const live = computeDisplayState({ terminal, shopName: "Shop", sale, attempt, nowMs: now });
    expect(live.phase).toBe("pending");
    expect(live.sale?.qr).toEqual({ url: attempt.qrUrl, expiresAt: attempt.expiresAt });
    const late = computeDisplayState({ terminal, shopName: "Shop", sale, attempt, nowMs: now + 60_000 });
    expect(late.phase).toBe("expired");
    expect(late.sale?.qr).toBeUndefined();
  });

  it("shows an outcome for a few seconds, then idle", () => {
    const paid = { ...sale, state: "captured" as const, endedAt: new Date(now).toISOString() };
    const shown = computeDisplayState({ terminal, shopName: "Shop", sale: paid, attempt, nowMs: now + 1000 });
    expect(shown.phase).toBe("paid");
    expect(shown.sale?.qr).toBeUndefined();
    expect(Date.parse(shown.returnToIdleAt!)).toBe(now + OUTCOME_DISPLAY_MS);
    expect(
      computeDisplayState({ terminal, shopName: "Shop", sale: paid, attempt, nowMs: now + OUTCOME_DISPLAY_MS }).phase,
    ).toBe("idle");
  });

  describe("the live cart", () => {
    const cart = {
      currency: "NOK" as const,
      lines: [{ name: "Kaffe", quantity: 2, unitPrice: 3500, totalAmount: 7000 }],
      total: 7000,
    };

    it("shows the basket, with no sale and no QR, while the till rings it up", () => {
      const shown = computeDisplayState({ terminal, shopName: "Shop", nowMs: now, cart });
      expect(shown).toMatchObject({
        phase: "cart",
        cart: { lines: cart.lines, total: { value: 7000, currency: "NOK" } },
      });
      expect(shown.sale).toBeUndefined();
    });

    it("gives way to a sale being paid, and wins over a finished sale's outcome screen", () => {
      expect(computeDisplayState({ terminal, shopName: "Shop", sale, attempt, nowMs: now, cart }).phase).toBe(
        "pending",
      );
      expect(
        computeDisplayState({
          terminal,
          shopName: "Shop",
          sale: { ...sale, state: "authorized" },
          attempt,
          nowMs: now,
          cart,
        }).phase,
      ).toBe("approved");
      const paid = { ...sale, state: "captured" as const, endedAt: new Date(now).toISOString() };
      const next = computeDisplayState({ terminal, shopName: "Shop", sale: paid, attempt, nowMs: now + 1000, cart });
      expect(next.phase).toBe("cart");
      expect(next.sale).toBeUndefined();
      expect(next.returnToIdleAt).toBeUndefined();
    });
  });
});

describe("receipt numbers", () => {
  it("never repeat, even when many sales start at once", async () => {
    const { memoryStore } = await import("../support/memory-store");
    const store = await memoryStore();
    const numbers = await Promise.all(Array.from({ length: 50 }, () => store.nextSequence("receipt")));
    expect(new Set(numbers).size).toBe(50);
    expect(Math.max(...numbers)).toBe(50);
    expect(await store.nextSequence("other")).toBe(1);
  });
});
