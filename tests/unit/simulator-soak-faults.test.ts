/**
 * The "reorder" webhook fault (used by `npm run soak`): a held-back delivery lets the payment's
 * later events overtake it, and goes out itself once its hold (simulator clock) has passed.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHarness, type Harness } from "../support/simulator-harness";

let h: Harness;
afterEach(async () => {
  vi.restoreAllMocks();
  await h.stop();
});

const HOOK_URL = "https://merchant.example/api/webhooks/vipps";
const setFaults = (body: unknown) => h.send("PUT", "/_sim/faults", { body });
const eventNames = () => h.received.map((delivery) => (JSON.parse(delivery.body) as { name: string }).name);

describe("webhook reorder fault", () => {
  it("is configured with delayMs like delay, and shown back", async () => {
    h = createHarness();
    const put = await setFaults({ webhooks: { mode: "reorder", delayMs: 1500, rate: 0.3 } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ webhooks: { mode: "reorder", delayMs: 1500, rate: 0.3 } });
    expect((await h.send("GET", "/_sim/webhook-faults")).body).toEqual({ mode: "reorder", delayMs: 1500, rate: 0.3 });
    const missing = await setFaults({ webhooks: { mode: "reorder" } });
    expect(missing.status).toBe(400);
    expect(missing.body.extraDetails.map((detail: { name: string }) => detail.name)).toContain("webhooks.delayMs");
  });

  it("holds a delivery back while the payment's later events go out first", async () => {
    h = createHarness();
    await h.registerWebhook(HOOK_URL);
    await setFaults({ webhooks: { mode: "reorder", delayMs: 5_000 } });
    const { reference } = await h.createPayment();
    await h.send("DELETE", "/_sim/faults");
    await h.api("POST", `/epayment/v1/test/payments/${reference}/approve`, undefined, { idempotencyKey: null });
    await h.sim.runDueWork();
    // CREATED is held; AUTHORIZED, queued after it, is not blocked by it.
    expect(eventNames()).toEqual(["AUTHORIZED"]);

    h.clock.advance(5_000);
    await h.sim.runDueWork();
    expect(eventNames()).toEqual(["AUTHORIZED", "CREATED"]);
    const deliveries = (await h.send("GET", `/_sim/deliveries?reference=${reference}`)).body.deliveries;
    expect(
      deliveries.map((delivery: { eventName: string; status: string }) => [delivery.eventName, delivery.status]),
    ).toEqual([
      ["CREATED", "delivered"],
      ["AUTHORIZED", "delivered"],
    ]);
  });

  it("with a rate, only the deliveries the roll hits are held; the others keep their order", async () => {
    h = createHarness();
    await h.registerWebhook(HOOK_URL);
    await setFaults({ webhooks: { mode: "reorder", delayMs: 5_000, rate: 0.5 } });
    const random = vi.spyOn(Math, "random");
    random.mockReturnValue(0.9);
    const { reference } = await h.createPayment();
    random.mockReturnValue(0.1);
    await h.api("POST", `/epayment/v1/test/payments/${reference}/approve`, undefined, { idempotencyKey: null });
    random.mockReturnValue(0.9);
    await h.capture(reference, 10_000);
    await h.sim.runDueWork();
    expect(eventNames()).toEqual(["CREATED", "CAPTURED"]);
    h.clock.advance(5_000);
    await h.sim.runDueWork();
    expect(eventNames()).toEqual(["CREATED", "CAPTURED", "AUTHORIZED"]);
  });
});
