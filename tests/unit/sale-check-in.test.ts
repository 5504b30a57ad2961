/**
 * The sticker at the till and the customer's own QR: a check-in (QR API user.checked-in.v1) hands
 * the terminal's waiting QR sale to the scanning customer as a PUSH_MESSAGE with their customer
 * token, and the cashier can scan a personal QR to push a new sale to that customer's phone.
 * Source: ../shared/vipps/spec/qr-v1.yaml and SOURCES.md, EPAYMENT-API.md (customer variants).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSaleSchemaFor } from "@/lib/contracts/sales";
import { CHECK_IN_NOTICE_MS, computeDisplayState } from "@/lib/display/display-state";
import { parseWith } from "@/lib/http/api";
import { isProblemError } from "@/lib/http/problem";
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
const PERSONAL_QR = "https://qr.vipps.no/28/2/01/031/4791234567";
const CHECK_IN = { customerToken: "dG9rZW4tb2YtdGhlLXNjYW5uZXI=", merchantQrId: "kassa-pos-1" };
const parse = (body: unknown) => toCreateSaleInput(parseWith(createSaleSchemaFor(body), body));

describe("the customer's personal QR on a new sale", () => {
  it("is taken whole as the push customer, and exactly one of number and QR is accepted", () => {
    expect(parse({ ...BODY, customer: { personalQr: PERSONAL_QR } })).toMatchObject({
      pushCustomer: { personalQr: PERSONAL_QR },
    });
    expect(parse({ ...BODY, customer: { personalQr: PERSONAL_QR } }).customerPhone).toBeUndefined();
    for (const customer of [{ phoneNumber: "4791234567", personalQr: PERSONAL_QR }, {}, { personalQr: "abcd" }]) {
      try {
        parse({ ...BODY, customer });
        throw new Error(`accepted ${JSON.stringify(customer)}`);
      } catch (error) {
        if (!isProblemError(error)) throw error;
        expect(error.problem.errors?.[0]?.field).toMatch(/^customer/);
      }
    }
  });
});

describe("a sale at a terminal whose sticker is scanned", () => {
  let store: TestStore;
  let vipps: ScriptedVipps;
  let domain: ReturnType<typeof buildSaleDomain>;
  beforeEach(async () => {
    store = await memoryStore();
    await store.saveTerminal(COUNTER_1);
    vipps = scriptedVipps();
    domain = buildSaleDomain({ store, gateway: vipps.gateway, clock: new FrozenClock(T0) });
  });
  afterEach(async () => {
    await store.close();
  });

  it("goes to the scanning customer as a push with their token, and its QR is released", async () => {
    const { sale } = await domain.commands.create(parse(BODY), { source: "cashier" });
    expect(vipps.created[0]).toMatchObject({ userFlow: "QR" });

    expect(await domain.commands.sendToCheckedInCustomer("pos-1", CHECK_IN)).toBe("sent-to-customer");

    expect(vipps.created[1]).toMatchObject({
      userFlow: "PUSH_MESSAGE",
      customer: { customerToken: CHECK_IN.customerToken },
      customerInteraction: "CUSTOMER_PRESENT",
      amount: { value: 3500, currency: "NOK" },
    });
    expect(vipps.created[1]).not.toHaveProperty("qrFormat");
    expect(vipps.cancels.map((cancel) => cancel.reference)).toEqual([vipps.created[0]!.reference]);
    const after = (await store.getSale(sale.id))!;
    const view = await domain.views.view(after);
    expect(view).toMatchObject({ state: "pending", flow: "push", qr: null, attemptCount: 2 });
    expect(view).not.toHaveProperty("phoneEnding");
    expect(view.reference).toBe(vipps.created[1]!.reference);
    const display = await domain.displays.state("pos-1");
    expect(display?.phase).toBe("pending");
    expect(display?.sale?.qr).toBeUndefined();
    expect(display?.sale?.push).toEqual({ expiresAt: expect.any(String) });

    // A second scan meanwhile leaves the request with the first customer.
    expect(await domain.commands.sendToCheckedInCustomer("pos-1", { ...CHECK_IN, customerToken: "b3RoZXI=" })).toBe(
      "already-on-a-phone",
    );
    expect(vipps.created).toHaveLength(2);

    // The customer approves on their phone: the sale is paid like any other.
    vipps.approve(vipps.created[1]!.reference);
    await domain.reconciler.reconcileAttempt(after.currentAttemptId);
    await expect.poll(async () => (await store.getSale(sale.id))?.state).toBe("captured");
  });

  it("with no sale waiting starts nothing, and says so", async () => {
    expect(await domain.commands.sendToCheckedInCustomer("pos-1", CHECK_IN)).toBe("no-sale-waiting");
    expect(vipps.created).toEqual([]);
  });

  it("pushes a sale charged to a scanned personal QR to that customer", async () => {
    const { sale } = await domain.commands.create(parse({ ...BODY, customer: { personalQr: PERSONAL_QR } }), {
      source: "cashier",
    });
    expect(vipps.created[0]).toMatchObject({ userFlow: "PUSH_MESSAGE", customer: { personalQr: PERSONAL_QR } });
    expect((await domain.views.view((await store.getSale(sale.id))!)).flow).toBe("push");
  });
});

describe("the display after a scan with no sale waiting", () => {
  const base = {
    terminal: COUNTER_1,
    shopName: "Kaffebaren",
    nowMs: T0,
  };

  it("asks the customer to wait for the cashier until the notice's time is up", () => {
    const until = T0 + CHECK_IN_NOTICE_MS;
    expect(computeDisplayState({ ...base, checkedInUntilMs: until }).notice).toEqual({
      kind: "checked-in",
      until: new Date(until).toISOString(),
    });
    expect(computeDisplayState({ ...base, checkedInUntilMs: T0 }).notice).toBeUndefined();
    expect(computeDisplayState(base).notice).toBeUndefined();
  });
});
