/**
 * Fault injection through PUT /_sim/faults, driven through sim.handle(): what each mode does to the
 * answer and, just as important for a till, whether the operation happened at "Vipps".
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PROBLEM_TYPES } from "@/lib/simulator";
import { MAX_HANG_MS } from "@/lib/simulator/faults";
import { TEST_ORIGIN, createHarness, type Harness } from "../support/simulator-harness";

let h: Harness;
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await h.stop();
});

const HOOK_URL = "https://merchant.example/api/webhooks/vipps";

const setFaults = (body: unknown) => h.send("PUT", "/_sim/faults", { body });

/** An authenticated API request with its own abort signal, straight into sim.handle(). */
async function apiRequest(
  method: string,
  path: string,
  options: { body?: unknown; signal?: AbortSignal; idempotencyKey?: string } = {},
) {
  const headers = new Headers(await h.authHeaders());
  if (method === "POST") headers.set("Idempotency-Key", options.idempotencyKey ?? randomUUID());
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("content-type", "application/json");
  }
  return h.sim.handle(new Request(`${TEST_ORIGIN}/sim${path}`, { method, headers, body, signal: options.signal }));
}

/** Still waiting after `ms` of real time? */
async function pendingAfter(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const waiting = Symbol("waiting");
  const winner = await Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(waiting), ms))]);
  return winner === waiting;
}

describe("/_sim/faults configuration", () => {
  it("sets, shows and clears faults per operation, with rate defaulting to 1", async () => {
    h = createHarness();
    expect((await h.send("GET", "/_sim/faults")).body).toEqual({});
    const put = await setFaults({
      create: { mode: "error", status: 503 },
      capture: { mode: "drop", rate: 0.25 },
      get: { mode: "delay", delayMs: 20 },
      webhooks: { mode: "duplicate" },
    });
    expect(put.status).toBe(200);
    const expected = {
      create: { mode: "error", status: 503, rate: 1 },
      capture: { mode: "drop", rate: 0.25 },
      get: { mode: "delay", delayMs: 20, rate: 1 },
      webhooks: { mode: "duplicate", rate: 1 },
    };
    expect(put.body).toEqual(expected);
    expect((await h.send("GET", "/_sim/faults")).body).toEqual(expected);

    // PUT replaces the whole set.
    expect((await setFaults({ refund: { mode: "timeout" } })).body).toEqual({ refund: { mode: "timeout", rate: 1 } });
    const cleared = await h.send("DELETE", "/_sim/faults");
    expect(cleared.status).toBe(200);
    expect(cleared.body).toEqual({});
    expect((await h.send("GET", "/_sim/webhook-faults")).body).toEqual({ mode: "deliver", delayMs: 0 });
  });

  it("shares the webhook faults with /_sim/webhook-faults in both directions", async () => {
    h = createHarness();
    await h.send("PUT", "/_sim/webhook-faults", { body: { mode: "delay", delayMs: 250 } });
    expect((await h.send("GET", "/_sim/faults")).body).toEqual({ webhooks: { mode: "delay", delayMs: 250, rate: 1 } });
    await setFaults({ webhooks: { mode: "drop" } });
    expect((await h.send("GET", "/_sim/webhook-faults")).body).toMatchObject({ mode: "drop", delayMs: 0 });
    await h.send("DELETE", "/_sim/faults");
    expect((await h.send("GET", "/_sim/webhook-faults")).body).toEqual({ mode: "deliver", delayMs: 0 });
  });

  it.each([
    ["an unknown mode", { create: { mode: "explode" } }, "create.mode"],
    ["duplicate on an API operation", { capture: { mode: "duplicate" } }, "capture.mode"],
    ["error on webhooks", { webhooks: { mode: "error" } }, "webhooks.mode"],
    ["an unknown operation", { approve: { mode: "error" } }, "approve"],
    ["an unknown property", { get: { mode: "timeout", after: 5 } }, "get.after"],
    ["a rate above 1", { get: { mode: "error", rate: 1.5 } }, "get.rate"],
    ["delay without delayMs", { create: { mode: "delay" } }, "create.delayMs"],
    ["a negative delayMs", { create: { mode: "delay", delayMs: -1 } }, "create.delayMs"],
    ["delayMs on another mode", { cancel: { mode: "error", delayMs: 5 } }, "cancel.delayMs"],
    ["status on another mode", { refund: { mode: "timeout", status: 500 } }, "refund.status"],
    ["a status that is no error", { refund: { mode: "error", status: 200 } }, "refund.status"],
    ["an array", [{ mode: "error" }], "body"],
  ])("refuses %s with 400 problem+json naming the field", async (_label, body, field) => {
    h = createHarness();
    await setFaults({ create: { mode: "error" } });
    const response = await setFaults(body);
    expect(response.status).toBe(400);
    expect(response.contentType).toBe("application/problem+json");
    expect(response.body.type).toBe(PROBLEM_TYPES.validation);
    expect(response.body.extraDetails.map((detail: { name: string }) => detail.name)).toContain(field);
    // A refused configuration changes nothing.
    expect((await h.send("GET", "/_sim/faults")).body).toEqual({ create: { mode: "error", rate: 1 } });
  });

  it("requires a body", async () => {
    h = createHarness();
    expect((await h.send("PUT", "/_sim/faults")).status).toBe(400);
  });
});

describe("API faults", () => {
  it("delay: waits delayMs, then handles the request normally", async () => {
    h = createHarness();
    await h.token();
    await setFaults({ create: { mode: "delay", delayMs: 120 } });
    const started = Date.now();
    const { reference } = await h.createPayment();
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect((await h.getPayment(reference)).body.state).toBe("CREATED");
  });

  it("error on create: answers the status with a problem body and creates nothing", async () => {
    h = createHarness();
    await setFaults({ create: { mode: "error", status: 503 } });
    const request = h.paymentRequest();
    const response = await h.api("POST", "/epayment/v1/payments", request);
    expect(response.status).toBe(503);
    expect(response.contentType).toBe("application/problem+json");
    expect(response.body).toMatchObject({
      type: PROBLEM_TYPES.internal,
      title: "Service Unavailable",
      status: 503,
      traceId: expect.any(String),
    });
    await h.send("DELETE", "/_sim/faults");
    expect((await h.getPayment(request.reference as string)).status).toBe(404);
    expect((await h.send("GET", `/_sim/payments/${request.reference}`)).status).toBe(404);
  });

  it("error with a Vipps errorCode: 400 with extraDetails ErrorCode and Vipps' title, for exactly `count` requests", async () => {
    h = createHarness();
    const { reference } = await h.authorizedPayment();
    const set = await setFaults({ capture: { mode: "error", errorCode: "6280", count: 2 } });
    expect(set.status).toBe(200);
    for (const round of [1, 2]) {
      const refused = await h.api("POST", `/epayment/v1/payments/${reference}/capture`, {
        modificationAmount: { value: 100, currency: "NOK" },
      });
      expect(refused.status, `round ${round}`).toBe(400);
      expect(refused.body).toMatchObject({
        title: "Capture failed, please try again later",
        extraDetails: [{ name: "ErrorCode", reason: "6280" }],
      });
    }
    // Used up: the fault is gone and the third capture goes through.
    expect((await h.send("GET", "/_sim/faults")).body.capture).toBeUndefined();
    const captured = await h.api("POST", `/epayment/v1/payments/${reference}/capture`, {
      modificationAmount: { value: 100, currency: "NOK" },
    });
    expect(captured.status).toBe(200);
    expect(captured.body.aggregate.capturedAmount.value).toBe(100);
  });

  it("takes a title of the test's own, and refuses errorCode or title outside mode error, or a bad code", async () => {
    h = createHarness();
    await setFaults({ create: { mode: "error", status: 403, errorCode: "5080", title: "Push is off here" } });
    const refused = await h.api("POST", "/epayment/v1/payments", h.paymentRequest());
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      title: "Push is off here",
      extraDetails: [{ name: "ErrorCode", reason: "5080" }],
    });
    for (const body of [
      { get: { mode: "delay", delayMs: 1, errorCode: "6280" } },
      { get: { mode: "timeout", title: "x" } },
      { get: { mode: "error", errorCode: "62a0" } },
      { get: { mode: "error", count: 0 } },
    ]) {
      const bad = await setFaults(body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("error defaults to 500 and applies per operation (get here, not create)", async () => {
    h = createHarness();
    await setFaults({ get: { mode: "error" } });
    const { reference } = await h.createPayment();
    const response = await h.getPayment(reference);
    expect(response.status).toBe(500);
    expect(response.body.type).toBe(PROBLEM_TYPES.internal);
  });

  it("timeout: never answers until the client gives up, and performs nothing", async () => {
    h = createHarness();
    await setFaults({ create: { mode: "timeout" } });
    const request = h.paymentRequest();
    const client = new AbortController();
    const answer = apiRequest("POST", "/epayment/v1/payments", { body: request, signal: client.signal });
    expect(await pendingAfter(answer, 150)).toBe(true);
    client.abort();
    expect((await answer).status).toBe(504);
    await h.send("DELETE", "/_sim/faults");
    expect((await h.getPayment(request.reference as string)).status).toBe(404);
  });

  it(`timeout: a client that never gives up gets a 504 after ${MAX_HANG_MS / 1000} s`, async () => {
    h = createHarness();
    await h.token();
    await setFaults({ capture: { mode: "timeout" } });
    const { reference } = await h.authorizedPayment();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let answered = false;
    const answer = h.capture(reference, 10_000).finally(() => {
      answered = true;
    });
    // Not vi.waitUntil: with fake timers it moves the clock on while it polls.
    while (vi.getTimerCount() === 0) await new Promise((resolve) => setImmediate(resolve));
    await vi.advanceTimersByTimeAsync(MAX_HANG_MS - 1);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await answer).status).toBe(504);
    vi.useRealTimers();
    expect((await h.getPayment(reference)).body.aggregate.capturedAmount.value).toBe(0);
  });

  it("drop on capture: the money is captured, only the answer is lost; a retry with the same key replays it", async () => {
    h = createHarness();
    const { reference } = await h.authorizedPayment();
    await setFaults({ capture: { mode: "drop" } });
    const key = randomUUID();
    const client = new AbortController();
    const answer = apiRequest("POST", `/epayment/v1/payments/${reference}/capture`, {
      body: { modificationAmount: { value: 10_000, currency: "NOK" } },
      signal: client.signal,
      idempotencyKey: key,
    });
    expect(await pendingAfter(answer, 100)).toBe(true);
    client.abort();
    expect((await answer).status).toBe(504);

    await h.send("DELETE", "/_sim/faults");
    const payment = await h.getPayment(reference);
    expect(payment.body.aggregate.capturedAmount).toEqual({ value: 10_000, currency: "NOK" });
    const retry = await h.capture(reference, 10_000, key);
    expect(retry.status).toBe(200);
    expect(retry.body.aggregate.capturedAmount.value).toBe(10_000);
    expect(
      (await h.getEvents(reference)).body.filter((event: { name: string }) => event.name === "CAPTURED"),
    ).toHaveLength(1);
  });

  it("drop on create: the payment exists and /_sim/payments shows the exact request that was sent", async () => {
    h = createHarness();
    await setFaults({ create: { mode: "drop" } });
    const request = h.paymentRequest({ metadata: { till: "1" }, receipt: undefined });
    const client = new AbortController();
    const answer = apiRequest("POST", "/epayment/v1/payments", { body: request, signal: client.signal });
    expect(await pendingAfter(answer, 50)).toBe(true);
    client.abort();
    await answer;
    const debug = await h.send("GET", `/_sim/payments/${request.reference}`);
    expect(debug.status).toBe(200);
    expect(debug.body.state).toBe("CREATED");
    expect(debug.body.request).toEqual(JSON.parse(JSON.stringify(request)));
  });

  it("a held request is released when the simulator stops", async () => {
    h = createHarness();
    await setFaults({ create: { mode: "timeout" } });
    const answer = apiRequest("POST", "/epayment/v1/payments", { body: h.paymentRequest() });
    expect(await pendingAfter(answer, 50)).toBe(true);
    await h.stop();
    expect((await answer).status).toBe(504);
  });

  it("rate: each request rolls Math.random() < rate", async () => {
    h = createHarness();
    const { reference } = await h.createPayment();
    await setFaults({ get: { mode: "error", rate: 0.5 } });
    const random = vi.spyOn(Math, "random");
    random.mockReturnValue(0.49);
    expect((await h.getPayment(reference)).status).toBe(500);
    random.mockReturnValue(0.5);
    expect((await h.getPayment(reference)).status).toBe(200);
    await setFaults({ get: { mode: "error", rate: 0 } });
    random.mockReturnValue(0);
    expect((await h.getPayment(reference)).status).toBe(200);
  });
});

describe("webhook faults through /_sim/faults", () => {
  it("duplicate: every webhook is delivered twice, identically signed", async () => {
    h = createHarness();
    await h.registerWebhook(HOOK_URL, ["epayments.payment.created.v1"]);
    await setFaults({ webhooks: { mode: "duplicate" } });
    const { reference } = await h.createPayment();
    await h.sim.runDueWork();
    expect(h.received).toHaveLength(2);
    expect(h.received[0]!.body).toBe(h.received[1]!.body);
    expect(JSON.parse(h.received[0]!.body)).toMatchObject({ reference, name: "CREATED" });
    const deliveries = (await h.send("GET", `/_sim/deliveries?reference=${reference}`)).body.deliveries;
    expect(deliveries.map((delivery: { status: string }) => delivery.status)).toEqual(["delivered", "delivered"]);
  });

  it("drop: deliveries are recorded as dropped and never sent", async () => {
    h = createHarness();
    await h.registerWebhook(HOOK_URL, ["epayments.payment.created.v1"]);
    await setFaults({ webhooks: { mode: "drop" } });
    const { reference } = await h.createPayment();
    await h.sim.runDueWork();
    expect(h.received).toHaveLength(0);
    const deliveries = (await h.send("GET", `/_sim/deliveries?reference=${reference}`)).body.deliveries;
    expect(deliveries.map((delivery: { status: string }) => delivery.status)).toEqual(["dropped"]);
  });

  it("drop with a rate rolls once per webhook", async () => {
    h = createHarness();
    await h.registerWebhook(HOOK_URL, ["epayments.payment.created.v1"]);
    await setFaults({ webhooks: { mode: "drop", rate: 0.5 } });
    const random = vi.spyOn(Math, "random");
    random.mockReturnValue(0.9);
    const kept = await h.createPayment();
    random.mockReturnValue(0.1);
    const lost = await h.createPayment();
    random.mockReturnValue(0);
    await h.sim.runDueWork();
    expect(h.received.map((delivery) => JSON.parse(delivery.body).reference)).toEqual([kept.reference]);
    const deliveries = (await h.send("GET", `/_sim/deliveries?reference=${lost.reference}`)).body.deliveries;
    expect(deliveries.map((delivery: { status: string }) => delivery.status)).toEqual(["dropped"]);
  });

  it("delay: waits delayMs (real time) before a delivery", async () => {
    h = createHarness();
    await h.registerWebhook(HOOK_URL, ["epayments.payment.created.v1"]);
    await setFaults({ webhooks: { mode: "delay", delayMs: 120 } });
    await h.createPayment();
    const started = Date.now();
    await h.sim.runDueWork();
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect(h.received).toHaveLength(1);
  });
});
