/**
 * Push to the phone, for customers who cannot or will not scan: the sale carries the customer's
 * number, the payment is created with userFlow PUSH_MESSAGE (still CUSTOMER_PRESENT), and the
 * display says where the request went, by the number's last digits only.
 * Source: Vipps ePayment API, userFlow PUSH_MESSAGE with customer.phoneNumber (../shared/vipps/EPAYMENT-API.md).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseWith } from "@/lib/http/api";
import { isDomainError } from "@/lib/errors";
import { isProblemError } from "@/lib/http/problem";
import { buildCreatePaymentRequest } from "@/lib/sales/payment-request";
import { createSaleSchemaFor } from "@/lib/contracts/sales";
import { toCreateSaleInput } from "@/lib/sales/sale-input";
import { FrozenClock } from "../support/frozen-clock";
import { memoryStore, type TestStore } from "../support/memory-store";
import { buildSaleDomain, COUNTER_1 } from "../support/sale-domain";
import { type ScriptedVipps, scriptedVipps } from "../support/scripted-vipps";

const T0 = Date.parse("2026-06-01T10:00:00.000Z");
const BODY = {
  terminalId: "pos-1",
  currency: "NOK",
  lines: [{ name: "Kaffe", quantity: 1, unitPrice: 3500, taxRate: 1500 }],
};
const parse = (body: unknown) => toCreateSaleInput(parseWith(createSaleSchemaFor(body), body));

describe("the customer's phone number", () => {
  it("is taken with its country code, spaces, + or 00 dropped", () => {
    for (const written of ["4791234567", "+47 912 34 567", "0047 91234567", "+45 12-34-56-78"]) {
      const input = parse({ ...BODY, customer: { phoneNumber: written } });
      expect(input.customerPhone).toMatch(/^(4791234567|4512345678)$/);
    }
    expect(parse(BODY).customerPhone).toBeUndefined();
    expect(
      parse({
        terminalId: "pos-1",
        currency: "NOK",
        amount: 5000,
        description: "Repair",
        customer: { phoneNumber: "+4791234567" },
      }).customerPhone,
    ).toBe("4791234567");
  });

  it("without a country code takes the shop's country: +47 for NOK, +45 for DKK, +358 for EUR", () => {
    const typed = (phoneNumber: string, currency = "NOK") =>
      parse({ ...BODY, currency, customer: { phoneNumber } }).customerPhone;
    expect(typed("41234567")).toBe("4741234567");
    expect(typed("412 34 567")).toBe("4741234567");
    expect(typed("20 12 34 56", "DKK")).toBe("4520123456");
    expect(typed("040 123 4567", "EUR")).toBe("358401234567");
    expect(typed("40 123 4567", "EUR")).toBe("358401234567");
    // With + or 00 the number's own country code wins over the shop's.
    expect(typed("+45 20 12 34 56")).toBe("4520123456");
    expect(typed("0046 70 123 45 67", "DKK")).toBe("46701234567");
  });

  it("is refused with a field-level reason a cashier can act on when it is no mobile number", () => {
    for (const phoneNumber of ["9123456", "abc", "+47 912 34 567 890 123 45", "0791234567", 4791234567, "", "+47"]) {
      try {
        parse({ ...BODY, customer: { phoneNumber } });
        throw new Error(`accepted ${phoneNumber}`);
      } catch (error) {
        if (isProblemError(error))
          expect(error.problem.errors?.[0]?.field, String(phoneNumber)).toBe("customer.phoneNumber");
        else if (isDomainError(error)) {
          expect(error.options.errors).toEqual([expect.objectContaining({ field: "customer.phoneNumber" })]);
          expect(error.message).toMatch(/Type the customer's number, e\.g\. 412 34 567/);
        } else throw error;
      }
    }
  });
});

describe("a push sale", () => {
  let store: TestStore;
  let vipps: ScriptedVipps;
  let domain: ReturnType<typeof buildSaleDomain>;
  beforeEach(async () => {
    store = await memoryStore();
    await store.saveTerminal(COUNTER_1);
    vipps = scriptedVipps();
    vipps.answerCreatesWithoutQr();
    domain = buildSaleDomain({ store, gateway: vipps.gateway, clock: new FrozenClock(T0) });
  });
  afterEach(async () => {
    await store.close();
  });

  it("is created with PUSH_MESSAGE to the customer's number, at the counter, with no QR", async () => {
    const { sale } = await domain.commands.create(
      { ...parse(BODY), customerPhone: "4791234567" },
      { source: "cashier" },
    );
    const [request] = vipps.created;
    expect(request).toMatchObject({
      userFlow: "PUSH_MESSAGE",
      customer: { phoneNumber: "4791234567" },
      customerInteraction: "CUSTOMER_PRESENT",
    });
    expect(request).not.toHaveProperty("qrFormat");
    const view = await domain.views.view((await store.getSale(sale.id))!);
    expect(view).toMatchObject({
      state: "pending",
      flow: "push",
      phoneEnding: "67",
      qr: null,
      expiresAt: expect.any(String),
    });
    expect(JSON.stringify(view)).not.toContain("4791234567");
    const display = await domain.displays.state("pos-1");
    expect(display?.sale).toMatchObject({ push: { phoneEnding: "67" } });
    expect(display?.sale?.qr).toBeUndefined();
    expect(JSON.stringify(display)).not.toContain("4791234567");
  });

  it("a QR sale stays a QR sale, and a QR payment without its QR still fails", async () => {
    const request = buildCreatePaymentRequest({
      sale: {
        ...(await domain.commands.create({ ...parse(BODY), customerPhone: "4791234567" }, { source: "api" })).sale,
      },
      terminal: COUNTER_1,
      attempt: {
        id: "a",
        saleId: "s",
        reference: "ref-00001",
        state: "CREATING",
        createdAt: "",
        expiresAt: "",
        nextPollAt: "",
        pollCount: 0,
      },
      publicUrl: "https://kassa.example",
    });
    expect(request.userFlow).toBe("PUSH_MESSAGE");
    await domain.commands.cancel((await store.getActiveSale("pos-1"))!.id, "cashier").catch(() => undefined);
    await expect(
      domain.commands.create(parse({ ...BODY, terminalId: "pos-1" }), { source: "api" }),
    ).rejects.toMatchObject({ code: "paymentProviderUnavailable" });
  });
});

describe("the QR source setting", () => {
  it("asks Vipps for the link by default and for its own SVG image with KASSA_QR_SOURCE=vipps", () => {
    const sale = {
      id: "s",
      terminalId: "pos-1",
      receiptNumber: "000001",
      currency: "NOK" as const,
      amount: 3500,
      description: "Kaffe",
      lines: [],
      state: "pending" as const,
      autoCapture: true,
      capturedAmount: 0,
      refundedAmount: 0,
      currentAttemptId: "a",
      attemptCount: 1,
      createdAt: "",
      updatedAt: "",
    };
    const attempt = {
      id: "a",
      saleId: "s",
      reference: "ref-00001",
      state: "CREATING" as const,
      createdAt: "",
      expiresAt: "",
      nextPollAt: "",
      pollCount: 0,
    };
    const build = (qrSource?: "app" | "vipps") =>
      buildCreatePaymentRequest({ sale, terminal: COUNTER_1, attempt, publicUrl: "https://kassa.example", qrSource });
    expect(build()).toMatchObject({ userFlow: "QR", qrFormat: { format: "TEXT/TARGETURL" } });
    expect(build("app")).toMatchObject({ qrFormat: { format: "TEXT/TARGETURL" } });
    expect(build("vipps")).toMatchObject({ userFlow: "QR", qrFormat: { format: "IMAGE/SVG+XML" } });
  });
});
