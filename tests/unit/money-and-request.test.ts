/**
 * Money arithmetic and the create-payment request we send Vipps: what the customer is charged,
 * what the receipt says, and the identifiers that keep every call idempotent.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { formatMoney, lineTotals, MAXIMUM_PAYMENT, MINIMUM_PAYMENT } from "@/lib/sales/money";
import {
  buildCreatePaymentRequest,
  newReference,
  randomId,
  requestHash,
  summarizeLines,
  truncate,
} from "@/lib/sales/payment-request";
import type { PaymentAttempt, Sale, Terminal } from "@/lib/sales/types";

const NBSP = "\u00a0";

describe("money", () => {
  it("knows Vipps' limits per payment", () => {
    expect(MINIMUM_PAYMENT).toEqual({ NOK: 100, DKK: 1, EUR: 1 });
    expect(MAXIMUM_PAYMENT).toBe(65_000_000);
  });

  it("a line's total is quantity times the unit price", () => {
    expect(lineTotals({ quantity: 4, unitPrice: 2500, taxRate: 0 })).toEqual({
      totalAmount: 10_000,
      taxAmount: 0,
      netAmount: 10_000,
    });
  });

  it("takes the tax out of a tax-inclusive price, rounding to the nearest minor unit", () => {
    // 12500 at 25 %: 12500 * 2500 / 12500 = 2500 exactly.
    expect(lineTotals({ quantity: 1, unitPrice: 12_500, taxRate: 2500 })).toEqual({
      totalAmount: 12_500,
      taxAmount: 2500,
      netAmount: 10_000,
    });
    // 100 at 25 %: 20 exactly; 101 at 25 %: 20.2 → 20; 103 at 25 %: 20.6 → 21.
    expect(lineTotals({ quantity: 1, unitPrice: 100, taxRate: 2500 }).taxAmount).toBe(20);
    expect(lineTotals({ quantity: 1, unitPrice: 101, taxRate: 2500 }).taxAmount).toBe(20);
    expect(lineTotals({ quantity: 1, unitPrice: 103, taxRate: 2500 })).toEqual({
      totalAmount: 103,
      taxAmount: 21,
      netAmount: 82,
    });
    // 15 % food rate on 2 × 1150: 2300 * 1500 / 11500 = 300 exactly.
    expect(lineTotals({ quantity: 2, unitPrice: 1150, taxRate: 1500 })).toEqual({
      totalAmount: 2300,
      taxAmount: 300,
      netAmount: 2000,
    });
    // 12 % on 1000: 107.14… → 107.
    expect(lineTotals({ quantity: 1, unitPrice: 1000, taxRate: 1200 })).toEqual({
      totalAmount: 1000,
      taxAmount: 107,
      netAmount: 893,
    });
  });

  it("formats minor units as the currency, in Norwegian unless told otherwise", () => {
    expect(formatMoney(12_345, "NOK")).toBe(`123,45${NBSP}kr`);
    expect(formatMoney(100, "EUR", "en-US")).toBe("€1.00");
    expect(formatMoney(5, "DKK", "da-DK")).toBe(`0,05${NBSP}kr.`);
    expect(formatMoney(12_300, "NOK")).toBe(`123,00${NBSP}kr`);
  });
});

describe("identifiers", () => {
  it("a reference carries the time in base 36 and 16 random hex digits, within Vipps' pattern", () => {
    const nowMs = Date.parse("2026-05-01T10:00:00.000Z");
    const reference = newReference(nowMs);
    expect(reference).toMatch(new RegExp(`^kd-${nowMs.toString(36)}-[0-9a-f]{16}$`));
    expect(reference).toMatch(/^[a-zA-Z0-9-]{8,50}$/);
    expect(newReference(nowMs)).not.toBe(reference);
  });

  it("our ids are a prefix and random letters and digits only", () => {
    const ids = Array.from({ length: 300 }, () => randomId("sale"));
    for (const id of ids) expect(id).toMatch(/^sale_[A-Za-z0-9]{14}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // base64url's "-" and "_" become "x", and nothing else does.
    const randomPart = ids.map((id) => id.slice("sale_".length)).join("");
    expect(randomPart.replace(/x/g, "").length).toBeGreaterThan(randomPart.length * 0.9);
    expect(randomId("rf", 3)).toMatch(/^rf_[A-Za-z0-9]{4}$/);
  });

  it("a request hash is the SHA-256 of the body's JSON, so equal bodies hash equal", () => {
    const body = { terminalId: "pos-1", lines: [{ name: "Bun", quantity: 2 }] };
    expect(requestHash(body)).toBe(createHash("sha256").update(JSON.stringify(body)).digest("hex"));
    expect(requestHash({ ...body })).toBe(requestHash(body));
    expect(requestHash({ ...body, terminalId: "pos-2" })).not.toBe(requestHash(body));
  });
});

describe("texts", () => {
  it("truncate keeps a text that fits and shortens one that does not to exactly the limit", () => {
    expect(truncate("12345", 5)).toBe("12345");
    expect(truncate("123456", 5)).toBe("1234…");
    expect(truncate("123456", 5)).toHaveLength(5);
    expect(truncate("", 3)).toBe("");
  });

  it("names a sale after its lines, with quantities above one", () => {
    expect(summarizeLines([{ name: "Coffee", quantity: 1 }])).toBe("Coffee");
    expect(
      summarizeLines([
        { name: "Coffee", quantity: 2 },
        { name: "Bun", quantity: 1 },
      ]),
    ).toBe("2 × Coffee, Bun");
    const long = summarizeLines(Array.from({ length: 20 }, (_, i) => ({ name: `Item number ${i}`, quantity: 1 })));
    expect(long).toHaveLength(90);
    expect(long.endsWith("…")).toBe(true);
    expect(long.startsWith("Item number 0, Item number 1, ")).toBe(true);
  });
});

describe("the create-payment request", () => {
  const terminal: Terminal = {
    id: "pos-1",
    name: "Counter 1",
    posId: "POS-A",
    language: "nb",
    currency: "NOK",
    displayToken: "t",
    createdAt: "2026-01-01T00:00:00.000Z",
  };
  const sale: Sale = {
    id: "sale_abc",
    terminalId: "pos-1",
    receiptNumber: "000042",
    currency: "NOK",
    amount: 15_150,
    description: "Coffee and bun",
    lines: [
      { id: "1", name: "Coffee", quantity: 2, unitPrice: 4500, taxRate: 1500, totalAmount: 9000, taxAmount: 1174 },
      {
        id: "2",
        name: "Bun",
        quantity: 1,
        unitPrice: 6150,
        taxRate: 2550,
        totalAmount: 6150,
        taxAmount: 1250,
        productId: "prod_1",
      },
    ],
    state: "pending",
    autoCapture: true,
    capturedAmount: 0,
    refundedAmount: 0,
    currentAttemptId: "att_1",
    attemptCount: 1,
    createdAt: "2026-05-01T10:00:00.000Z",
    updatedAt: "2026-05-01T10:00:00.000Z",
  };
  const attempt: PaymentAttempt = {
    id: "att_1",
    saleId: "sale_abc",
    reference: "kd-test-0001",
    state: "CREATING",
    createdAt: "2026-05-01T10:00:00.000Z",
    expiresAt: "2026-05-01T10:09:57.000Z",
    nextPollAt: "2026-05-01T10:00:01.000Z",
    pollCount: 0,
  };

  it("asks for a customer-present QR wallet payment of the sale's amount, with a receipt line per sale line", () => {
    expect(buildCreatePaymentRequest({ sale, terminal, attempt, publicUrl: "https://shop.example" })).toEqual({
      amount: { value: 15_150, currency: "NOK" },
      paymentMethod: { type: "WALLET" },
      reference: "kd-test-0001",
      userFlow: "QR",
      customerInteraction: "CUSTOMER_PRESENT",
      qrFormat: { format: "TEXT/TARGETURL" },
      paymentDescription: "Coffee and bun (#000042)",
      returnUrl: "https://shop.example/thanks?sale=sale_abc",
      receipt: {
        orderLines: [
          {
            name: "Coffee",
            id: "1",
            totalAmount: 9000,
            totalAmountExcludingTax: 7826,
            totalTaxAmount: 1174,
            taxRate: 1500,
            unitInfo: { unitPrice: 4500, quantity: "2", quantityUnit: "PCS" },
          },
          {
            name: "Bun",
            id: "2",
            totalAmount: 6150,
            totalAmountExcludingTax: 4900,
            totalTaxAmount: 1250,
            // 25.5 % is exact in basis points; no rounding to the deprecated whole-percent taxPercentage.
            taxRate: 2550,
            unitInfo: { unitPrice: 6150, quantity: "1", quantityUnit: "PCS" },
          },
        ],
        bottomLine: { currency: "NOK", posId: "POS-A", receiptNumber: "000042" },
      },
      metadata: { saleId: "sale_abc", terminalId: "pos-1" },
    });
  });

  it("sends the POS's own reference as the receipt's receiptNumber, and keeps our sale number in the description", () => {
    const request = buildCreatePaymentRequest({
      sale: { ...sale, posReference: "Kvittering 4711" },
      terminal,
      attempt,
      publicUrl: "https://shop.example",
    });
    expect(request.receipt?.bottomLine).toEqual({ currency: "NOK", posId: "POS-A", receiptNumber: "Kvittering 4711" });
    expect(request.paymentDescription).toBe("Coffee and bun (#000042)");
  });

  it("sends tax as taxRate in basis points and never the deprecated taxPercentage; every line adds up", () => {
    // Source: the live ePayment spec (vippsas/deno-sdk src/generated_types/epayment/types.gen.ts: taxRate
    // 0–10000, taxPercentage @deprecated) and ../shared/research/VIPPS-FACTS.md ("taxRate ... 2500 = 25 %").
    const request = buildCreatePaymentRequest({ sale, terminal, attempt, publicUrl: "https://shop.example" });
    for (const line of request.receipt!.orderLines) {
      expect(line).not.toHaveProperty("taxPercentage");
      expect(Number.isInteger(line.taxRate)).toBe(true);
      expect(line.totalAmount).toBe(line.totalAmountExcludingTax + line.totalTaxAmount);
      // unitInfo.quantity is a string of at most 10 characters (the receipt schema's UnitInfo).
      expect(line.unitInfo?.quantity.length).toBeLessThanOrEqual(10);
    }
    expect(request.receipt!.orderLines.map((line) => line.taxRate)).toEqual([1500, 2550]);
    // The largest quantity a sale line may have (10000, lib/sales/sale-input.ts) is still a short string.
    const many = buildCreatePaymentRequest({
      sale: { ...sale, lines: [{ ...sale.lines[0]!, quantity: 10_000 }] },
      terminal,
      attempt,
      publicUrl: "https://shop.example",
    });
    expect(many.receipt!.orderLines[0]!.unitInfo).toEqual({ unitPrice: 4500, quantity: "10000", quantityUnit: "PCS" });
  });

  it("sends no return URL from a plain-http install", () => {
    const request = buildCreatePaymentRequest({ sale, terminal, attempt, publicUrl: "http://192.168.1.20:3000" });
    expect(request).not.toHaveProperty("returnUrl");
    expect(
      buildCreatePaymentRequest({ sale, terminal, attempt, publicUrl: "http://https.example" }),
    ).not.toHaveProperty("returnUrl");
  });

  it("keeps the description and line names within Vipps' limits, the receipt number always shown", () => {
    const long = { ...sale, description: "D".repeat(150), lines: [{ ...sale.lines[0]!, name: "N".repeat(120) }] };
    const request = buildCreatePaymentRequest({ sale: long, terminal, attempt, publicUrl: "https://shop.example" });
    expect(request.paymentDescription).toBe(`${"D".repeat(87)}… (#000042)`);
    expect(request.paymentDescription?.length).toBeLessThanOrEqual(100);
    expect(request.receipt?.orderLines[0]?.name).toBe(`${"N".repeat(99)}…`);
    // A description of exactly 88 characters is kept whole.
    const exact = buildCreatePaymentRequest({
      sale: { ...sale, description: "E".repeat(88) },
      terminal,
      attempt,
      publicUrl: "https://shop.example",
    });
    expect(exact.paymentDescription).toBe(`${"E".repeat(88)} (#000042)`);
  });
});
