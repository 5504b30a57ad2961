import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_BACKOFF_MS, PROBLEM_TYPES } from "@/lib/simulator";
import { createHarness, type Harness } from "../support/simulator-harness";
import { verifyWebhookSignature } from "@/lib/vipps/webhook-signature";

let h: Harness;
afterEach(async () => {
  await h.stop();
});

const HOOK_URL = "https://merchant.example/api/webhooks/vipps?source=sim";

interface Delivery {
  id: number;
  registrationId: string;
  url: string;
  eventName: string;
  eventType: string;
  reference: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  headers: Record<string, string>;
  body: string;
}

async function deliveries(reference?: string): Promise<Delivery[]> {
  const response = await h.send("GET", `/_sim/deliveries${reference ? `?reference=${reference}` : ""}`);
  expect(response.status).toBe(200);
  return response.body.deliveries as Delivery[];
}

function verify(
  secret: string,
  url: string,
  headers: { get(name: string): string | null },
  body: string,
  nowMs = h.clock.now(),
) {
  const parsed = new URL(url);
  return verifyWebhookSignature({
    secret,
    pathAndQuery: `${parsed.pathname}${parsed.search}`,
    host: parsed.host,
    headers,
    rawBody: body,
    nowMs,
  });
}

const received = (reference?: string) =>
  h.received
    .filter((d) => !reference || JSON.parse(d.body).reference === reference)
    .map((d) => `${JSON.parse(d.body).name}:${d.status}`);

describe("Webhooks API", () => {
  it("registers (201, id + secret once), lists without the secret and deletes (204)", async () => {
    h = createHarness();
    const register = await h.api("POST", "/webhooks/v1/webhooks", {
      url: HOOK_URL,
      events: ["epayments.payment.authorized.v1"],
    });
    expect(register.status).toBe(201);
    expect(register.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), secret: expect.any(String) });
    expect(register.body.secret.length).toBeGreaterThanOrEqual(32);
    const list = await h.api("GET", "/webhooks/v1/webhooks");
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      webhooks: [{ id: register.body.id, url: HOOK_URL, events: ["epayments.payment.authorized.v1"] }],
    });
    expect(list.text).not.toContain(register.body.secret);
    const remove = await h.api("DELETE", `/webhooks/v1/webhooks/${register.body.id}`);
    expect(remove.status).toBe(204);
    expect(remove.text).toBe("");
    expect((await h.api("GET", "/webhooks/v1/webhooks")).body).toEqual({ webhooks: [] });
    const again = await h.api("DELETE", `/webhooks/v1/webhooks/${register.body.id}`);
    expect(again.status).toBe(404);
    expect((await h.api("DELETE", "/webhooks/v1/webhooks/not-a-uuid")).status).toBe(400);
  });

  it("needs the bearer token but not the MSN header", async () => {
    h = createHarness();
    const headers = await h.authHeaders();
    delete headers["Merchant-Serial-Number"];
    expect((await h.send("GET", "/webhooks/v1/webhooks", { headers })).status).toBe(200);
    const anonymous = await h.send("GET", "/webhooks/v1/webhooks", {
      headers: { "Ocp-Apim-Subscription-Key": h.credentials.subscriptionKey },
    });
    expect(anonymous.status).toBe(401);
  });

  it.each([
    ["https anywhere", "https://shop.example.com/hook"],
    ["http on localhost", "http://localhost:3000/api/webhooks/vipps"],
    ["http on 127.0.0.1", "http://127.0.0.1:3000/hook"],
    ["http on a 192.168 LAN address", "http://192.168.1.20:3000/hook"],
    ["http on a 10.x address", "http://10.0.0.7/hook"],
    ["http on a 172.16-31 address", "http://172.20.1.1:8080/hook"],
    ["http on IPv6 loopback", "http://[::1]:3000/hook"],
    ["http on a docker service name", "http://kassa:3000/hook"],
    ["http on a .local name", "http://kassa.local/hook"],
  ])("accepts %s", async (_label, url) => {
    h = createHarness();
    expect(
      (await h.api("POST", "/webhooks/v1/webhooks", { url, events: ["epayments.payment.created.v1"] })).status,
    ).toBe(201);
  });

  it.each([
    ["http on a public host", { url: "http://shop.example.com/hook", events: ["epayments.payment.created.v1"] }, "url"],
    ["http on a public IP", { url: "http://8.8.8.8/hook", events: ["epayments.payment.created.v1"] }, "url"],
    ["a relative URL", { url: "/hook", events: ["epayments.payment.created.v1"] }, "url"],
    ["an ftp URL", { url: "ftp://localhost/hook", events: ["epayments.payment.created.v1"] }, "url"],
    ["a missing url", { events: ["epayments.payment.created.v1"] }, "url"],
    [
      "an unknown event",
      { url: HOOK_URL, events: ["epayments.payment.created.v1", "recurring.agreement-activated.v1"] },
      "events[1]",
    ],
    ["no events", { url: HOOK_URL, events: [] }, "events"],
    ["an unknown property", { url: HOOK_URL, events: ["epayments.payment.created.v1"], secret: "mine" }, "secret"],
  ])("rejects %s with 400 ProblemDetails", async (_label, body, field) => {
    h = createHarness();
    const response = await h.api("POST", "/webhooks/v1/webhooks", body);
    expect(response.status).toBe(400);
    expect(response.contentType).toBe("application/problem+json");
    expect(response.body).toMatchObject({
      status: 400,
      type: PROBLEM_TYPES.validation,
      instance: "/webhooks/v1/webhooks",
    });
    expect(response.body.extraDetails.map((d: { name: string }) => d.name)).toContain(field);
  });

  it("allows at most 5 registrations per event", async () => {
    h = createHarness();
    for (let i = 0; i < 5; i++)
      await h.registerWebhook(`https://hooks.example/${i}`, ["epayments.payment.captured.v1"]);
    const sixth = await h.api("POST", "/webhooks/v1/webhooks", {
      url: "https://hooks.example/6",
      events: ["epayments.payment.captured.v1"],
    });
    expect(sixth.status).toBe(400);
    expect(sixth.body.detail).toMatch(/At most 5/);
    expect(
      (
        await h.api("POST", "/webhooks/v1/webhooks", {
          url: "https://hooks.example/6",
          events: ["epayments.payment.created.v1"],
        })
      ).status,
    ).toBe(201);
  });
});

describe("webhook deliveries", () => {
  it("delivers every subscribed ePayment event as a signed WebhookEvent", async () => {
    h = createHarness();
    const hook = await h.registerWebhook(HOOK_URL);
    const { reference } = await h.authorizedPayment();
    await h.capture(reference, 4_000, "capture-1");
    await h.refund(reference, 1_000, "refund-1");
    await h.cancel(reference, undefined, "cancel-1");
    await h.sim.runDueWork();

    expect(received()).toEqual(["CREATED:200", "AUTHORIZED:200", "CAPTURED:200", "REFUNDED:200", "CANCELLED:200"]);
    const events = (await h.getEvents(reference)).body as Record<string, unknown>[];
    h.received.forEach((delivery, index) => {
      expect(delivery.url).toBe(HOOK_URL);
      expect(delivery.headers.get("content-type")).toMatch(/^application\/json/);
      expect(delivery.headers.get("host")).toBe("merchant.example");
      expect(delivery.headers.get("authorization")).toMatch(
        /^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=/,
      );
      expect(verify(hook.secret, hook.url, delivery.headers, delivery.body)).toEqual({ ok: true });
      expect(verify("wrong-secret", hook.url, delivery.headers, delivery.body)).toEqual({
        ok: false,
        reason: "bad-signature",
      });
      const body = JSON.parse(delivery.body);
      // The webhook carries what the event log has, plus the MSN, and on AUTHORIZED (ePayment,
      // August 2026) until when the capture is guaranteed: a week after the approval here.
      const { msn, captureGuaranteedUntil, ...rest } = body;
      expect(msn).toBe(h.credentials.msn);
      expect(rest).toEqual(events[index]);
      const fields = ["msn", "reference", "pspReference", "name", "amount", "timestamp", "idempotencyKey", "success"];
      if (body.name === "AUTHORIZED") {
        expect(Date.parse(captureGuaranteedUntil) - Date.parse(body.timestamp)).toBe(7 * 24 * 60 * 60 * 1000);
        fields.push("captureGuaranteedUntil");
      } else expect(captureGuaranteedUntil).toBeUndefined();
      expect(Object.keys(body)).toEqual(fields);
    });
    const captured = JSON.parse(h.received[2]!.body);
    expect(captured).toMatchObject({
      name: "CAPTURED",
      amount: { currency: "NOK", value: 4_000 },
      idempotencyKey: "capture-1",
      success: true,
    });

    const records = await deliveries(reference);
    expect(records.map((d) => [d.eventType, d.status, d.attempts, d.lastStatusCode])).toEqual([
      ["epayments.payment.created.v1", "delivered", 1, 200],
      ["epayments.payment.authorized.v1", "delivered", 1, 200],
      ["epayments.payment.captured.v1", "delivered", 1, 200],
      ["epayments.payment.refunded.v1", "delivered", 1, 200],
      ["epayments.payment.cancelled.v1", "delivered", 1, 200],
    ]);
    // The recorded headers and body are exactly what was sent.
    expect(records[0]!.body).toBe(h.received[0]!.body);
    expect(records[0]!.headers.authorization).toBe(h.received[0]!.headers.get("authorization"));
    expect(records[0]!.registrationId).toBe(hook.id);
  });

  it("only sends the event types a registration subscribed to, to every matching registration", async () => {
    h = createHarness();
    await h.registerWebhook("https://a.example/hook", ["epayments.payment.authorized.v1"]);
    await h.registerWebhook("https://b.example/hook", [
      "epayments.payment.authorized.v1",
      "epayments.payment.expired.v1",
    ]);
    const approved = await h.authorizedPayment();
    const expired = await h.createPayment();
    h.clock.advance(10 * 60 * 1000);
    await h.sim.runDueWork();
    // Which events reach which registration; deliveries to different registrations run side by
    // side, so their relative order is not part of the contract (per registration it is, see above).
    const sent = h.received
      .map((d) => `${new URL(d.url).host}:${JSON.parse(d.body).name}:${JSON.parse(d.body).reference}`)
      .sort();
    expect(sent).toEqual(
      [
        `a.example:AUTHORIZED:${approved.reference}`,
        `b.example:AUTHORIZED:${approved.reference}`,
        `b.example:EXPIRED:${expired.reference}`,
      ].sort(),
    );
  });

  it("fires TERMINATED and ABORTED webhooks", async () => {
    h = createHarness();
    await h.registerWebhook(HOOK_URL, ["epayments.payment.terminated.v1", "epayments.payment.aborted.v1"]);
    const a = await h.createPayment();
    await h.cancel(a.reference);
    const b = await h.createPayment();
    await h.send("POST", `/_sim/payments/${b.reference}/reject`);
    await h.sim.runDueWork();
    expect(h.received.map((d) => JSON.parse(d.body).name)).toEqual(["TERMINATED", "ABORTED"]);
  });

  it("retries a failing delivery with exponential backoff (capped) and then succeeds", async () => {
    h = createHarness();
    await h.registerWebhook(HOOK_URL, ["epayments.payment.created.v1"]);
    h.setWebhookResponder(() => 500);
    const { reference } = await h.createPayment();
    await h.sim.runDueWork();
    let [record] = await deliveries(reference);
    expect(record).toMatchObject({ status: "failing", attempts: 1, lastStatusCode: 500, lastError: "HTTP 500" });
    expect(Date.parse(record!.nextAttemptAt!) - h.clock.now()).toBeGreaterThan(0);
    expect(Date.parse(record!.nextAttemptAt!) - h.clock.now()).toBeLessThanOrEqual(1_000);

    // Not due yet: nothing is sent.
    await h.sim.runDueWork();
    expect(h.received).toHaveLength(1);

    const gaps: number[] = [];
    for (let attempt = 2; attempt <= 7; attempt++) {
      const due = Date.parse(record!.nextAttemptAt!);
      h.clock.advance(Math.max(0, due - h.clock.now()));
      await h.sim.runDueWork();
      [record] = await deliveries(reference);
      expect(record!.attempts).toBe(attempt);
      gaps.push(Date.parse(record!.nextAttemptAt!) - due);
    }
    // 2 s, 4 s, 8 s, 16 s, then capped at 30 s (small slack for real time passing between calls).
    expect(gaps.map((gap) => Math.round(gap / 1000))).toEqual([2, 4, 8, 16, 30, 30]);
    expect(MAX_BACKOFF_MS).toBe(30_000);

    h.setWebhookResponder(() => 204);
    h.clock.advance(30_000);
    await h.sim.runDueWork();
    [record] = await deliveries(reference);
    expect(record).toMatchObject({
      status: "delivered",
      attempts: 8,
      lastStatusCode: 204,
      lastError: null,
      nextAttemptAt: null,
    });
    // Each attempt is signed anew with its own date, and each one verifies.
    const hookSecret = (await h.api("GET", "/webhooks/v1/webhooks")).body.webhooks[0];
    expect(hookSecret.url).toBe(HOOK_URL);
    expect(new Set(h.received.map((d) => d.headers.get("x-ms-date"))).size).toBeGreaterThan(1);
  });

  it("treats network errors and redirects as failures", async () => {
    h = createHarness();
    await h.registerWebhook(HOOK_URL, ["epayments.payment.created.v1"]);
    h.setWebhookResponder(() => {
      throw new TypeError("fetch failed");
    });
    const a = await h.createPayment();
    await h.sim.runDueWork();
    expect((await deliveries(a.reference))[0]).toMatchObject({
      status: "failing",
      lastStatusCode: null,
      lastError: expect.stringMatching(/fetch failed/),
    });
    h.setWebhookResponder(() => 302);
    const b = await h.createPayment();
    await h.sim.runDueWork();
    expect((await deliveries(b.reference))[0]).toMatchObject({ status: "failing", lastStatusCode: 302 });
  });

  it("holds later events of a payment back until the earlier one succeeds, without blocking other payments", async () => {
    h = createHarness();
    const hook = await h.registerWebhook(HOOK_URL);
    let rejectAuthorized = true;
    h.setWebhookResponder(({ body }) => (rejectAuthorized && JSON.parse(body).name === "AUTHORIZED" ? 503 : 200));
    const first = await h.authorizedPayment();
    await h.capture(first.reference, 10_000);
    const second = await h.createPayment();
    await h.sim.runDueWork();

    expect(received(first.reference)).toEqual(["CREATED:200", "AUTHORIZED:503"]);
    expect(received(second.reference)).toEqual(["CREATED:200"]);
    let records = await deliveries(first.reference);
    expect(records.map((d) => [d.eventName, d.status, d.attempts])).toEqual([
      ["CREATED", "delivered", 1],
      ["AUTHORIZED", "failing", 1],
      ["CAPTURED", "pending", 0],
    ]);

    // Still failing on the retry: CAPTURED keeps waiting.
    h.clock.advance(1_000);
    await h.sim.runDueWork();
    expect(received(first.reference)).toEqual(["CREATED:200", "AUTHORIZED:503", "AUTHORIZED:503"]);

    rejectAuthorized = false;
    h.clock.advance(2_000);
    await h.sim.runDueWork();
    expect(received(first.reference)).toEqual([
      "CREATED:200",
      "AUTHORIZED:503",
      "AUTHORIZED:503",
      "AUTHORIZED:200",
      "CAPTURED:200",
    ]);
    records = await deliveries(first.reference);
    expect(records.map((d) => d.status)).toEqual(["delivered", "delivered", "delivered"]);
    for (const delivery of h.received)
      expect(verify(hook.secret, hook.url, delivery.headers, delivery.body)).toEqual({ ok: true });
  });

  it("drop mode records deliveries as dropped and never sends them; the records can be replayed by hand", async () => {
    h = createHarness();
    const hook = await h.registerWebhook(HOOK_URL);
    expect((await h.send("GET", "/_sim/webhook-faults")).body).toEqual({ mode: "deliver", delayMs: 0 });
    const put = await h.send("PUT", "/_sim/webhook-faults", { body: { mode: "drop" } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ mode: "drop", delayMs: 0 });
    const { reference } = await h.authorizedPayment();
    await h.sim.runDueWork();
    expect(h.received).toHaveLength(0);
    const records = await deliveries(reference);
    expect(records.map((d) => [d.eventName, d.status, d.attempts])).toEqual([
      ["CREATED", "dropped", 0],
      ["AUTHORIZED", "dropped", 0],
    ]);
    // The payment itself is fine: polling still sees it.
    expect((await h.getPayment(reference)).body.state).toBe("AUTHORIZED");
    // A test can replay the exact signed requests, e.g. in reverse order.
    for (const record of [...records].reverse()) {
      expect(verify(hook.secret, record.url, new Headers(record.headers), record.body)).toEqual({ ok: true });
    }
    await h.send("PUT", "/_sim/webhook-faults", { body: { mode: "deliver" } });
    const later = await h.createPayment();
    await h.sim.runDueWork();
    expect(received(later.reference)).toEqual(["CREATED:200"]);
  });

  it("delay mode waits delayMs (real time) before each delivery", async () => {
    h = createHarness();
    await h.registerWebhook(HOOK_URL, ["epayments.payment.created.v1"]);
    await h.send("PUT", "/_sim/webhook-faults", { body: { mode: "delay", delayMs: 150 } });
    await h.createPayment();
    const started = Date.now();
    await h.sim.runDueWork();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(h.received).toHaveLength(1);
  });

  it("rejects an invalid fault configuration", async () => {
    h = createHarness();
    expect((await h.send("PUT", "/_sim/webhook-faults", { body: { mode: "explode" } })).status).toBe(400);
    expect((await h.send("PUT", "/_sim/webhook-faults", { body: { mode: "delay", delayMs: -1 } })).status).toBe(400);
  });

  it("drops open deliveries of a deleted registration", async () => {
    h = createHarness();
    const hook = await h.registerWebhook(HOOK_URL, ["epayments.payment.created.v1"]);
    h.setWebhookResponder(() => 500);
    const { reference } = await h.createPayment();
    await h.sim.runDueWork();
    await h.api("DELETE", `/webhooks/v1/webhooks/${hook.id}`);
    h.clock.advance(60_000);
    await h.sim.runDueWork();
    expect(h.received).toHaveLength(1);
    expect((await deliveries(reference))[0]).toMatchObject({
      status: "dropped",
      lastError: "webhook registration deleted",
    });
  });

  it("gives up after 7 days of failures", async () => {
    h = createHarness();
    await h.registerWebhook(HOOK_URL, ["epayments.payment.created.v1"]);
    h.setWebhookResponder(() => 500);
    const { reference } = await h.createPayment();
    await h.sim.runDueWork();
    h.clock.advance(7 * 24 * 60 * 60 * 1000);
    await h.sim.runDueWork();
    expect((await deliveries(reference))[0]).toMatchObject({
      status: "dropped",
      attempts: 2,
      lastError: expect.stringMatching(/gave up after 7 days/),
    });
  });

  it("filters /_sim/deliveries by reference", async () => {
    h = createHarness();
    await h.registerWebhook(HOOK_URL, ["epayments.payment.created.v1"]);
    const a = await h.createPayment();
    const b = await h.createPayment();
    expect((await deliveries(a.reference)).map((d) => d.reference)).toEqual([a.reference]);
    expect((await deliveries()).map((d) => d.reference)).toEqual([a.reference, b.reference]);
  });
});

describe("background work", () => {
  it("start() delivers without runDueWork and reacts to AdjustableClock.advance", async () => {
    h = createHarness();
    h.sim.start();
    await h.registerWebhook(HOOK_URL, ["epayments.payment.created.v1", "epayments.payment.expired.v1"]);
    const { reference } = await h.createPayment();
    await expect.poll(() => received(reference), { timeout: 3_000, interval: 20 }).toEqual(["CREATED:200"]);
    h.clock.advance(10 * 60 * 1000);
    await expect
      .poll(() => received(reference), { timeout: 3_000, interval: 20 })
      .toEqual(["CREATED:200", "EXPIRED:200"]);
  });

  it("runs one pass at a time: concurrent runDueWork calls never send a delivery twice", async () => {
    h = createHarness();
    await h.registerWebhook(HOOK_URL);
    // A receiver that takes 20 ms to answer, so that the four passes overlap.
    h.setWebhookResponder(() => new Promise((resolve) => setTimeout(() => resolve(200), 20)));
    const a = await h.authorizedPayment();
    const b = await h.authorizedPayment();
    await Promise.all([h.sim.runDueWork(), h.sim.runDueWork(), h.sim.runDueWork(), h.sim.runDueWork()]);
    expect(received(a.reference)).toEqual(["CREATED:200", "AUTHORIZED:200"]);
    expect(received(b.reference)).toEqual(["CREATED:200", "AUTHORIZED:200"]);
    expect((await deliveries()).every((d) => d.attempts === 1 && d.status === "delivered")).toBe(true);
  });

  it("stop() is idempotent and later requests get 503", async () => {
    h = createHarness();
    h.sim.start();
    await h.sim.stop();
    await h.sim.stop();
    const response = await h.send("GET", "/_sim/clock");
    expect(response.status).toBe(503);
    // afterEach calls stop() again: still fine.
  });
});

describe("restart on the same database file", () => {
  it("keeps payments, events, idempotency, webhooks, the outbox and tokens", async () => {
    const dbFile = path.join(mkdtempSync(path.join(tmpdir(), "sim-restart-")), "nested", "sim.sqlite");
    h = createHarness({ dbFile });
    const hook = await h.registerWebhook(HOOK_URL);
    h.setWebhookResponder(() => 500);
    const request = h.paymentRequest();
    const created = await h.api("POST", "/epayment/v1/payments", request, { idempotencyKey: "restart-create" });
    await h.api("POST", `/epayment/v1/test/payments/${request.reference}/approve`, undefined, { idempotencyKey: null });
    await h.capture(request.reference as string, 2_000, "restart-capture");
    await h.sim.runDueWork();
    expect(received()).toEqual(["CREATED:500"]);
    const tokenBefore = await h.token();

    await h.restart();

    // Token still valid (the harness reuses it), payment and event log intact.
    expect(await h.token()).toBe(tokenBefore);
    const payment = await h.getPayment(request.reference as string);
    expect(payment.status).toBe(200);
    expect(payment.body).toMatchObject({ state: "AUTHORIZED", aggregate: { capturedAmount: { value: 2_000 } } });
    expect(((await h.getEvents(request.reference as string)).body as { name: string }[]).map((e) => e.name)).toEqual([
      "CREATED",
      "AUTHORIZED",
      "CAPTURED",
    ]);
    // Idempotency survives: the same create is replayed, the same capture is not applied twice.
    const replay = await h.api("POST", "/epayment/v1/payments", request, { idempotencyKey: "restart-create" });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(created.body);
    await h.capture(request.reference as string, 2_000, "restart-capture");
    expect((await h.getPayment(request.reference as string)).body.aggregate.capturedAmount.value).toBe(2_000);
    // Webhook registration survives, with its secret: the outbox continues in order after the restart.
    expect((await h.api("GET", "/webhooks/v1/webhooks")).body.webhooks.map((w: { id: string }) => w.id)).toEqual([
      hook.id,
    ]);
    h.setWebhookResponder(() => 200);
    h.clock.advance(5_000);
    await h.sim.runDueWork();
    expect(received()).toEqual(["CREATED:500", "CREATED:200", "AUTHORIZED:200", "CAPTURED:200"]);
    for (const delivery of h.received)
      expect(verify(hook.secret, hook.url, delivery.headers, delivery.body)).toEqual({ ok: true });
    // The QR token is still derived from the same secret.
    const debug = await h.send("GET", `/_sim/payments/${request.reference}`);
    expect(created.body.redirectUrl).toContain(debug.body.qrToken);
  });
});
