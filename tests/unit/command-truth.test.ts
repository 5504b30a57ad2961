/**
 * No command answers success without having done what it says: when Vipps' answer leaves the sale
 * where it was, the cashier is told, not shown a 200.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AdjustableClock } from "@/lib/clock";
import { buildSaleDomain, COUNTER_1 } from "../support/sale-domain";
import { memoryStore, type TestStore } from "../support/memory-store";
import { type ScriptedVipps, scriptedVipps } from "../support/scripted-vipps";

const LINES = {
  terminalId: "pos-1",
  currency: "NOK" as const,
  lines: [{ name: "Ear buds", quantity: 1, unitPrice: 42924, taxRate: 2500 }],
};

let clock: AdjustableClock;
let store: TestStore;
let vipps: ScriptedVipps;

beforeEach(async () => {
  clock = new AdjustableClock();
  store = await memoryStore();
  await store.saveTerminal(COUNTER_1);
  vipps = scriptedVipps();
});

afterEach(async () => {
  await store.close();
});

describe("commands tell the truth", () => {
  it("a cancel that Vipps answers without ending the payment is an error, and the sale stays as it is", async () => {
    // Vipps acknowledges the cancel but the payment is still open (its answer says CREATED).
    const gateway = {
      ...vipps.gateway,
      cancelPayment: async (reference: string) => vipps.gateway.getPayment(reference),
    };
    const domain = buildSaleDomain({ store, gateway, clock });
    const { sale } = await domain.commands.create(LINES, { source: "api" });
    await expect(domain.commands.cancel(sale.id, "cashier")).rejects.toMatchObject({ code: "paymentProvider" });
    expect((await store.getSale(sale.id))?.state).toBe("pending");
  });

  it("a capture that Vipps answers without capturing is an error, and the sale stays approved", async () => {
    await store.setSetting("sales.autoCapture", "false");
    const gateway = {
      ...vipps.gateway,
      capturePayment: async (reference: string) => vipps.gateway.getPayment(reference),
    };
    const domain = buildSaleDomain({ store, gateway, clock });
    const { sale } = await domain.commands.create(LINES, { source: "api" });
    const attempt = await store.getAttempt(sale.currentAttemptId);
    vipps.approve(attempt!.reference);
    await domain.reconciler.reconcileAttempt(attempt!.id, "poll");
    expect((await store.getSale(sale.id))?.state).toBe("authorized");
    await expect(domain.commands.capture(sale.id, "cashier")).rejects.toMatchObject({ code: "paymentProvider" });
    expect((await store.getSale(sale.id))?.state).toBe("authorized");
  });

  it("a webhook approval that Vipps' GET contradicts does not hold the terminal: the sale waits for the customer again", async () => {
    await store.setSetting("sales.autoCapture", "false");
    const domain = buildSaleDomain({ store, gateway: vipps.gateway, clock });
    const { sale } = await domain.commands.create(LINES, { source: "api" });
    const attempt = (await store.getAttempt(sale.currentAttemptId))!;
    // A (signed, but wrong) AUTHORIZED event; Vipps itself still has the payment CREATED.
    await domain.webhooks.applyEvent({
      msn: "123456",
      reference: attempt.reference,
      pspReference: "p",
      name: "AUTHORIZED",
      amount: { value: 42924, currency: "NOK" },
      timestamp: new Date(clock.now()).toISOString(),
      success: true,
    });
    expect((await store.getSale(sale.id))?.state).toBe("authorized");
    clock.advance(11_000);
    await domain.reconciler.reconcileAttempt(attempt.id, "poll");
    expect((await store.getSale(sale.id))?.state).toBe("pending");
    // And the cashier's cancel now really cancels.
    expect((await domain.commands.cancel(sale.id, "cashier")).state).toBe("cancelled");
    expect(vipps.payments.get(attempt.reference)?.state).toBe("TERMINATED");
  });
});
