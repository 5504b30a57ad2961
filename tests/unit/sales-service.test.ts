/**
 * The sale life cycle against the real simulator, in-process: the real Vipps client talks to
 * sim.handle() through an injected fetch, so every call is the real API contract without sockets.
 * These are the races a counter sees: approvals in the last second, lost create responses,
 * webhooks out of order.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AdjustableClock } from "@/lib/clock";
import { SIMULATOR_DEMO_CREDENTIALS } from "@/lib/config";
import type { DisplayState } from "@/lib/display/display-state";
import { type InProcessEventBus, terminalTopic } from "@/lib/events/event-bus";
import { QR_LIFETIME_MS } from "@/lib/sales/payment-rules";
import type { WebhookEvent } from "@/lib/vipps/schemas";
import { buildSaleDomain, COUNTER_1 } from "../support/sale-domain";
import { createSimulator, type Simulator } from "@/lib/simulator";
import { memoryStore, type TestStore } from "../support/memory-store";
import { AccessTokenCache } from "@/lib/vipps/access-token";
import { createVippsClient } from "@/lib/vipps/client";

const ORIGIN = "http://kassa.test";
const LINES = {
  terminalId: "pos-1",
  currency: "NOK" as const,
  lines: [{ name: "Ear buds", quantity: 1, unitPrice: 42924, taxRate: 2500 }],
};

let clock: AdjustableClock;
let sim: Simulator;
let store: TestStore;
/** The domain's entry points these tests drive, named as the cashier and the background see them. */
let sales: {
  createSale: ReturnType<typeof buildSaleDomain>["commands"]["create"];
  cancelSale: ReturnType<typeof buildSaleDomain>["commands"]["cancel"];
  expireIfDue: (attemptId: string) => Promise<void>;
  reconcileAttempt: (attemptId: string, source: "poll") => Promise<void>;
  applyWebhookEvent: (event: {
    reference: string;
    name: string;
    amount: { value: number; currency: string };
    pspReference: string;
    timestamp: string;
    success: boolean;
  }) => Promise<unknown>;
  view: ReturnType<typeof buildSaleDomain>["views"]["get"];
  /** Waits for the background work: the capture an approval starts, then what the displays were told. */
  settled: () => Promise<void>;
};
let bus: InProcessEventBus<DisplayState>;
/** When set, the next create reaches the simulator but its answer is lost on the way back. */
let loseNextCreateResponse = false;

async function simControl(path: string, method = "POST", body?: unknown) {
  const init =
    body === undefined
      ? { method }
      : { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } };
  const response = await sim.handle(new Request(`${ORIGIN}/sim/_sim${path}`, init));
  return response.json() as Promise<any>;
}

beforeEach(async () => {
  clock = new AdjustableClock();
  sim = createSimulator({
    dbFile: ":memory:",
    clock,
    credentials: SIMULATOR_DEMO_CREDENTIALS,
    publicUrl: ORIGIN,
    basePath: "/sim",
    rateLimits: false,
    controls: true,
    // Webhooks are not delivered in these tests: each one drives the events it needs by hand.
    fetch: (async () => new Response("ok")) as typeof fetch,
    log: () => undefined,
  });
  const simFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await sim.handle(new Request(input, init));
    const url = String(input instanceof Request ? input.url : input);
    if (loseNextCreateResponse && url.endsWith("/epayment/v1/payments") && init?.method === "POST") {
      loseNextCreateResponse = false;
      throw new TypeError("fetch failed: connection reset");
    }
    return response;
  }) as typeof fetch;
  const gateway = createVippsClient({
    baseUrl: `${ORIGIN}/sim`,
    credentials: SIMULATOR_DEMO_CREDENTIALS,
    fetch: simFetch,
    clock,
    sleep: async () => undefined,
    retry: { attempts: 1 },
    // Each test has its own simulator, whose tokens the others' must not be mistaken for.
    tokenCache: new AccessTokenCache(),
  });
  store = await memoryStore();
  await store.saveTerminal(COUNTER_1);
  const domain = buildSaleDomain({ store, gateway, clock, publicUrl: ORIGIN });
  bus = domain.bus;
  sales = {
    createSale: (input, options) => domain.commands.create(input, options),
    cancelSale: (saleId, source) => domain.commands.cancel(saleId, source),
    expireIfDue: (attemptId) => domain.reconciler.expireIfDue(attemptId),
    reconcileAttempt: (attemptId, source) => domain.reconciler.reconcileAttempt(attemptId, source),
    applyWebhookEvent: (event) => domain.webhooks.applyEvent({ msn: "123456", ...event } as WebhookEvent),
    view: (saleId) => domain.views.get(saleId),
    settled: async () => {
      await domain.settled();
      await domain.displays.settled();
    },
  };
});

afterEach(async () => {
  await sim.stop();
  await store.close();
});

async function reference(saleId: string) {
  const sale = (await store.getSale(saleId))!;
  return (await store.getAttempt(sale.currentAttemptId))!.reference;
}

describe("sale life cycle against the simulator", () => {
  it("an unapproved QR is cancelled at Vipps at its deadline and the sale expires", async () => {
    const { sale } = await sales.createSale(LINES, { source: "api" });
    const attemptId = sale.currentAttemptId;
    clock.advance(QR_LIFETIME_MS);
    await sales.expireIfDue(attemptId);
    expect((await store.getSale(sale.id))!.state).toBe("expired");
    const atVipps = await simControl(`/payments/${await reference(sale.id)}`, "GET");
    expect(atVipps.state).toBe("TERMINATED");
  });

  it("an approval in the QR's last second is captured, not thrown away by the expiry", async () => {
    const { sale } = await sales.createSale(LINES, { source: "api" });
    clock.advance(QR_LIFETIME_MS - 500);
    await simControl(`/payments/${await reference(sale.id)}/approve`);
    clock.advance(500);
    // The deadline passes before any webhook or poll has told us of the approval.
    await sales.expireIfDue(sale.currentAttemptId);
    await sales.reconcileAttempt(sale.currentAttemptId, "poll");
    const after = (await store.getSale(sale.id))!;
    expect(after.state).toBe("captured");
    const atVipps = await simControl(`/payments/${await reference(sale.id)}`, "GET");
    expect(atVipps.aggregate.capturedAmount.value).toBe(42924);
    expect(atVipps.aggregate.cancelledAmount.value).toBe(0);
  });

  it("webhooks out of order and repeated capture exactly once", async () => {
    const { sale } = await sales.createSale(LINES, { source: "api" });
    const ref = await reference(sale.id);
    await simControl(`/payments/${ref}/approve`);
    const amount = { value: 42924, currency: "NOK" };
    const event = (name: string) => ({
      reference: ref,
      name,
      amount,
      pspReference: "p",
      timestamp: new Date(clock.now()).toISOString(),
      success: true,
    });
    // A CAPTURED from elsewhere can't come first in reality, but a late AUTHORIZED after our own
    // capture can; both orders must end the same.
    await Promise.all([sales.applyWebhookEvent(event("AUTHORIZED")), sales.applyWebhookEvent(event("AUTHORIZED"))]);
    await sales.reconcileAttempt(sale.currentAttemptId, "poll");
    await sales.applyWebhookEvent(event("AUTHORIZED"));
    await sales.reconcileAttempt(sale.currentAttemptId, "poll");
    expect((await store.getSale(sale.id))!.state).toBe("captured");
    const atVipps = await simControl(`/payments/${ref}`, "GET");
    expect(atVipps.events.filter((e: { name: string }) => e.name === "CAPTURED")).toHaveLength(1);
  });

  it("a create whose answer was lost is found by the reconciler and cancelled at Vipps", async () => {
    loseNextCreateResponse = true;
    await expect(sales.createSale(LINES, { source: "api" })).rejects.toMatchObject({
      code: "paymentProviderUnavailable",
    });
    const [failed] = (await store.listSales({})).items;
    expect(failed!.state).toBe("failed");
    const attempt = (await store.getAttempt(failed!.currentAttemptId))!;
    expect(attempt.state).toBe("CREATE_FAILED");
    // The payment exists at Vipps although we never saw the answer.
    expect((await simControl(`/payments/${attempt.reference}`, "GET")).state).toBe("CREATED");
    await sales.reconcileAttempt(attempt.id, "poll");
    expect((await simControl(`/payments/${attempt.reference}`, "GET")).state).toBe("TERMINATED");
    expect((await store.listOpenAttempts()).map((a) => a.id)).not.toContain(attempt.id);
  });

  it("a cashier cancel after the customer approved releases the money", async () => {
    await store.setSetting("sales.autoCapture", "false");
    const { sale } = await sales.createSale(LINES, { source: "api" });
    const ref = await reference(sale.id);
    await simControl(`/payments/${ref}/approve`);
    await sales.reconcileAttempt(sale.currentAttemptId, "poll");
    expect((await store.getSale(sale.id))!.state).toBe("authorized");
    await sales.cancelSale(sale.id, "cashier");
    expect((await store.getSale(sale.id))!.state).toBe("cancelled");
    const atVipps = await simControl(`/payments/${ref}`, "GET");
    expect(atVipps.aggregate.cancelledAmount.value).toBe(42924);
    expect(atVipps.aggregate.capturedAmount.value).toBe(0);
  });

  it("publishes every change to the terminal's display topic", async () => {
    const phases: string[] = [];
    bus.subscribe(terminalTopic("pos-1"), (state) => phases.push(state.phase));
    const { sale } = await sales.createSale(LINES, { source: "api" });
    await simControl(`/payments/${await reference(sale.id)}/approve`);
    await sales.reconcileAttempt(sale.currentAttemptId, "poll");
    await sales.settled();
    expect(phases[0]).toBe("pending");
    expect(phases).toContain("approved");
    expect(phases.at(-1)).toBe("paid");
  });
});

describe("the ePayment changes of 2026", () => {
  it("an approved sale's captureDeadline is Vipps' captureGuaranteedUntil, from the GET as from the AUTHORIZED webhook", async () => {
    await store.setSetting("sales.autoCapture", "false");
    const polled = await sales.createSale(LINES, { source: "api" });
    await simControl(`/payments/${await reference(polled.sale.id)}/approve`);
    await sales.reconcileAttempt(polled.sale.currentAttemptId, "poll");
    const atVipps = await simControl(`/payments/${await reference(polled.sale.id)}`, "GET");
    expect(atVipps.captureGuaranteedUntil).toEqual(expect.any(String));
    expect((await sales.view(polled.sale.id)).captureDeadline).toBe(atVipps.captureGuaranteedUntil);

    await sales.cancelSale(polled.sale.id, "cashier");
    const hooked = await sales.createSale(LINES, { source: "api" });
    const ref = await reference(hooked.sale.id);
    const guaranteed = "2026-12-24T12:00:00.000Z";
    await sales.applyWebhookEvent({
      reference: ref,
      name: "AUTHORIZED",
      amount: { value: 42924, currency: "NOK" },
      pspReference: "p",
      timestamp: new Date(clock.now()).toISOString(),
      success: true,
      captureGuaranteedUntil: guaranteed,
    } as never);
    expect((await store.getSale(hooked.sale.id))!.state).toBe("authorized");
    expect((await sales.view(hooked.sale.id)).captureDeadline).toBe(guaranteed);
  });

  it("without captureGuaranteedUntil the market's own deadline stands (180 days for NOK)", async () => {
    await store.setSetting("sales.autoCapture", "false");
    const { sale } = await sales.createSale(LINES, { source: "api" });
    const ref = await reference(sale.id);
    const approvedAt = clock.now();
    await sales.applyWebhookEvent({
      reference: ref,
      name: "AUTHORIZED",
      amount: { value: 42924, currency: "NOK" },
      pspReference: "p",
      timestamp: new Date(approvedAt).toISOString(),
      success: true,
    });
    const deadline = Date.parse((await sales.view(sale.id)).captureDeadline!);
    expect(Math.round((deadline - approvedAt) / (24 * 60 * 60 * 1000))).toBe(180);
  });

  it("a capture refused twice with 6280 (capture failed, try later) is retried and the sale ends captured, once", async () => {
    const { sale } = await sales.createSale(LINES, { source: "api" });
    const ref = await reference(sale.id);
    await simControl("/faults", "PUT", { capture: { mode: "error", errorCode: "6280", count: 2 } });
    await simControl(`/payments/${ref}/approve`);
    for (let poll = 0; poll < 3; poll += 1) await sales.reconcileAttempt(sale.currentAttemptId, "poll");
    expect((await store.getSale(sale.id))!.state).toBe("captured");
    const failures = (await store.listEvents(sale.id)).filter((event) => event.type === "payment.capture-failed");
    expect(failures).toHaveLength(2);
    expect(failures[0]!.detail).toMatchObject({ errorCode: "6280" });
    const atVipps = await simControl(`/payments/${ref}`, "GET");
    expect(atVipps.events.filter((e: { name: string }) => e.name === "CAPTURED")).toHaveLength(1);
  });
});
