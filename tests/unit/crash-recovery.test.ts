/**
 * A process killed while its create call to Vipps was in flight leaves an attempt CREATING. The
 * next process's start-up sweep must resolve it: resume it under the same idempotency key while its
 * QR can still be scanned, or fail the sale, and free the terminal either way.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AdjustableClock } from "@/lib/clock";
import { QR_LIFETIME_MS } from "@/lib/sales/payment-rules";
import { memoryStore, type TestStore } from "../support/memory-store";
import { buildSaleDomain, COUNTER_1 } from "../support/sale-domain";
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

/** The sale whose create call is now out at Vipps (stored, and awaited by the process). */
async function createCallOut(domain: ReturnType<typeof buildSaleDomain>) {
  return vi.waitFor(async () => {
    const [sale] = (await store.listSales({})).items;
    if (!sale || !domain.commands.isCreating(sale.currentAttemptId)) throw new Error("the create call is not out yet");
    return sale;
  });
}

/** The first process: its create call never answers, and then the process is gone. */
async function crashMidCreate() {
  const dying = buildSaleDomain({
    store,
    gateway: { ...vipps.gateway, createPayment: () => new Promise(() => {}) },
    clock,
  });
  void dying.commands.create(LINES, { source: "api" });
  const sale = await createCallOut(dying);
  const attempt = await store.getAttempt(sale.currentAttemptId);
  expect(attempt?.state).toBe("CREATING");
  return { sale, attempt: attempt! };
}

describe("the start-up sweep after a crash mid-create", () => {
  it("resumes the create under the same idempotency key, so the sale gets its QR", async () => {
    const { sale, attempt } = await crashMidCreate();
    clock.advance(5_000);
    // The restarted process.
    const next = buildSaleDomain({ store, gateway: vipps.gateway, clock });
    await next.reconciler.tick(true);
    expect(vipps.calls).toContain(`create ${attempt.reference} create-${attempt.id}`);
    const view = await next.views.get(sale.id);
    expect(view.state).toBe("pending");
    expect(view.qr?.url).toContain(attempt.reference);
  });

  it("fails the sale and frees the terminal when the QR could no longer be scanned in time", async () => {
    const { sale } = await crashMidCreate();
    clock.advance(QR_LIFETIME_MS - 30_000);
    const next = buildSaleDomain({ store, gateway: vipps.gateway, clock });
    await next.reconciler.tick(true);
    expect((await store.getSale(sale.id))?.state).toBe("failed");
    expect(await store.getActiveSale("pos-1")).toBeUndefined();
    // A new sale can start on the terminal.
    const { sale: again } = await next.commands.create(LINES, { source: "api" });
    expect(again.state).toBe("pending");
  });

  it("leaves a create that this process is still waiting for alone", async () => {
    const slow = buildSaleDomain({
      store,
      gateway: { ...vipps.gateway, createPayment: () => new Promise(() => {}) },
      clock,
    });
    void slow.commands.create(LINES, { source: "api" });
    await createCallOut(slow);
    clock.advance(5_000);
    await slow.reconciler.tick(true);
    const [sale] = (await store.listSales({})).items;
    expect((await store.getAttempt(sale!.currentAttemptId))?.state).toBe("CREATING");
    expect(vipps.count("create ")).toBe(0);
  });
});
