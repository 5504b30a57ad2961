/**
 * The POS's webhooks from the outbox to the endpoint: signed per Standard Webhooks (checked with the
 * library), the retry schedule and the 72-hour window, in order per sale, any 2xx as success, the
 * 10 s bound and the 1 KiB kept, and one sender at a time by the lease. Time is an injected clock.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Lease } from "@/lib/background/lease";
import type { SaleView } from "@/lib/contracts/sales";
import type { Sale } from "@/lib/entities/sale";
import { InProcessNotifier } from "@/lib/events/change-notifier";
import { PosEvents } from "@/lib/pos-events/pos-events";
import { nextAttemptAt, RETRY_SCHEDULE } from "@/lib/pos-events/retry-schedule";
import { WebhookDispatcher } from "@/lib/pos-events/webhook-dispatcher";
import { WebhookEndpoints } from "@/lib/pos-events/webhook-endpoints";
import { sendWebhook, type SendResult, type WebhookSend } from "@/lib/pos-events/webhook-sender";
import { captureLog } from "../support/log-capture";
import { memoryStore, type TestStore } from "../support/memory-store";
import { newSale, T0, terminal } from "../support/store-conformance";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe("the retry schedule", () => {
  it("waits about 5 s, 30 s, 2 min, 10 min, 30 min, then an hour, and gives up on a try 72 h after the first", () => {
    const waits = [1, 2, 3, 4, 5, 6, 7].map((attempts) => nextAttemptAt(attempts, T0, T0 + 1_000)! - (T0 + 1_000));
    expect(waits).toEqual([5 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, HOUR]);
    expect(nextAttemptAt(80, T0, T0 + 72 * HOUR - 1)).toBe(T0 + 73 * HOUR - 1);
    expect(nextAttemptAt(80, T0, T0 + 72 * HOUR)).toBeUndefined();
    expect(RETRY_SCHEDULE.windowMs).toBe(72 * HOUR);
  });
});

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

describe("the webhook dispatcher", () => {
  let store: TestStore;
  /** The library checks the timestamp against the real time: the clock starts at it. */
  let start: number;
  let now: number;
  let sent: Sent[];
  let answers: SendResult[];
  const clock = { now: () => now };
  const { log } = captureLog("warn");

  const send: WebhookSend = async (request) => {
    sent.push({ url: request.url, headers: request.headers, body: request.body, at: now });
    return answers.shift() ?? { status: 200 };
  };

  const posEventsOn = (events: TestStore) =>
    new PosEvents({
      events,
      sales: events,
      render: async (sale: Sale) => ({ id: sale.id, state: sale.state }) as unknown as SaleView,
      notifier: new InProcessNotifier(),
      clock,
      log,
    });

  const dispatcherOn = (held: { held: boolean } = { held: true }, events = store, sender = send) =>
    new WebhookDispatcher({
      events,
      posEvents: posEventsOn(events),
      lease: held,
      clock,
      log,
      policy: { allowPrivate: true },
      send: sender,
    });

  const endpoints = () =>
    new WebhookEndpoints({
      events: store,
      clock,
      log,
      policy: { allowPrivate: true },
      deliveryDue: () => undefined,
      endpointsChanged: () => undefined,
    });

  async function run(dispatcher: WebhookDispatcher, at?: number) {
    if (at !== undefined) now = at;
    await dispatcher.tick();
    await dispatcher.idle();
  }

  async function sell(id: string, terminalId = "t1") {
    const { sale, attempt, event } = newSale(id, { terminalId });
    await store.insertSale(sale, attempt, event);
  }

  const typesSent = () => sent.map((request) => `${JSON.parse(request.body).data.id}:${JSON.parse(request.body).type}`);

  beforeEach(async () => {
    store = await memoryStore();
    await store.saveTerminal(terminal("t1"));
    await store.saveTerminal(terminal("t2"));
    start = Date.now();
    now = start;
    sent = [];
    answers = [];
  });
  afterEach(() => store.close());

  it("sends each event once, signed per Standard Webhooks, with its stable id and {type, timestamp, data}", async () => {
    const { secret } = await endpoints().create({ url: "http://127.0.0.1:9/hook" });
    await sell("s1");
    await store.transitionSale("s1", ["pending"], { state: "cancelled" }, { type: "c", source: "api" });
    const dispatcher = dispatcherOn();
    await run(dispatcher);
    await run(dispatcher);
    expect(typesSent()).toEqual(["s1:sale.created", "s1:sale.cancelled"]);
    const feed = await store.listPosEvents(0, 10);
    for (const [i, request] of sent.entries()) {
      // The library's own check: signature over id, timestamp and body, and the timestamp's age.
      expect(new Webhook(secret).verify(request.body, request.headers)).toMatchObject({ type: feed[i]!.type });
      expect(request.headers["webhook-id"]).toBe(feed[i]!.id);
      expect(request.headers["webhook-timestamp"]).toBe(String(Math.floor(now / 1000)));
      expect(JSON.parse(request.body)).toEqual({
        type: feed[i]!.type,
        timestamp: feed[i]!.createdAt,
        data: feed[i]!.data,
      });
    }
    expect(() => new Webhook(secret).verify(`${sent[0]!.body} `, sent[0]!.headers)).toThrow();
    // A crash left the data empty: the dispatcher rendered it from the sale as the change left it.
    expect(feed.map((event) => event.data)).toEqual([
      { id: "s1", state: "pending" },
      { id: "s1", state: "cancelled" },
    ]);
    const deliveries = await store.listDeliveries({ limit: 10 });
    expect(deliveries.map((d) => `${d.state}:${d.attempts}`)).toEqual(["delivered:1", "delivered:1"]);
  });

  it("counts any 2xx as delivered and anything else as a failed try", async () => {
    await endpoints().create({ url: "http://127.0.0.1:9/hook" });
    const dispatcher = dispatcherOn();
    for (const [i, status] of [299, 204, 300, 404, 500].entries()) {
      await sell(`s${i}`, "t1");
      await store.transitionSale(`s${i}`, ["pending"], { state: "cancelled" }, { type: "c", source: "api" });
      answers.push({ status });
      await run(dispatcher);
      const delivery = (await store.listDeliveries({ limit: 10 })).find(
        (candidate) => candidate.subject === `s${i}` && candidate.eventType === "sale.created",
      );
      expect(`${status}:${delivery!.state}`).toBe(`${status}:${status < 300 ? "delivered" : "pending"}`);
      await store.deleteEndpoint(delivery!.endpointId);
      await endpoints().create({ url: "http://127.0.0.1:9/hook" });
    }
  });

  it("tries a failed delivery again after 5 s and then 30 s, and a sale's next event waits for it", async () => {
    await endpoints().create({ url: "http://127.0.0.1:9/hook" });
    await sell("s1");
    await sell("s2", "t2");
    const dispatcher = dispatcherOn();
    answers.push({ error: "connect ECONNREFUSED" });
    await run(dispatcher);
    await store.transitionSale("s1", ["pending"], { state: "cancelled" }, { type: "c", source: "api" });
    await run(dispatcher, start + 4_999);
    // s2 went; s1's cancel waits behind its refused creation.
    expect(typesSent()).toEqual(["s1:sale.created", "s2:sale.created"]);
    answers.push({ status: 503, response: "x".repeat(10) });
    await run(dispatcher, start + 5_000);
    expect(typesSent().slice(2)).toEqual(["s1:sale.created"]);
    await run(dispatcher, start + 34_999);
    expect(sent).toHaveLength(3);
    const [pending] = (await store.listDeliveries({ limit: 10 })).filter(
      (d) => d.state === "pending" && d.attempts > 0,
    );
    expect(pending).toMatchObject({
      attempts: 2,
      lastStatus: 503,
      lastResponse: "xxxxxxxxxx",
      nextAttemptAtMs: start + 35_000,
    });
    await run(dispatcher, start + 35_000);
    expect(typesSent().slice(3)).toEqual(["s1:sale.created", "s1:sale.cancelled"]);
    const webhookIds = sent.filter((request) => request.body.includes('"s1"')).map((r) => r.headers["webhook-id"]);
    expect(new Set(webhookIds).size).toBe(2);
  });

  it("marks a delivery failed after a failed try 72 hours after the first, and the sale's next event goes", async () => {
    await endpoints().create({ url: "http://127.0.0.1:9/hook" });
    await sell("s1");
    await store.transitionSale("s1", ["pending"], { state: "cancelled" }, { type: "c", source: "api" });
    const dispatcher = dispatcherOn();
    const failing: WebhookSend = async (request) => {
      sent.push({ ...request, at: now });
      return JSON.parse(request.body).type === "sale.created" ? { status: 500 } : { status: 200 };
    };
    const stubborn = dispatcherOn({ held: true }, store, failing);
    await run(stubborn);
    for (let i = 0; i < 200; i += 1) {
      const [created] = (await store.listDeliveries({ limit: 10 })).filter((d) => d.eventType === "sale.created");
      if (created!.state !== "pending") break;
      await run(stubborn, created!.nextAttemptAtMs);
    }
    const [created, cancelled] = (await store.listDeliveries({ limit: 10 })).reverse();
    expect(created).toMatchObject({ state: "failed", lastStatus: 500 });
    const tries = sent.filter((request) => request.body.includes("sale.created")).map((request) => request.at - start);
    expect(tries.slice(0, 7)).toEqual([
      0,
      5 * SECOND,
      35 * SECOND,
      155 * SECOND,
      755 * SECOND,
      2555 * SECOND,
      2555 * SECOND + HOUR,
    ]);
    expect(tries.at(-1)).toBeGreaterThanOrEqual(72 * HOUR);
    expect(tries.at(-2)).toBeLessThan(72 * HOUR);
    expect(created!.attempts).toBe(tries.length);
    expect(cancelled).toMatchObject({ eventType: "sale.cancelled", state: "delivered" });
    await dispatcher.stop();
  });

  it("sends nothing without the lease, and one of two instances sends each delivery", async () => {
    await endpoints().create({ url: "http://127.0.0.1:9/hook" });
    await sell("s1");
    await run(dispatcherOn({ held: false }));
    expect(sent).toEqual([]);
    const other = await memoryStore();
    // Two instances' leases on one store: only the first to take it holds it.
    const leases = ["a:1", "b:2"].map((holder) => new Lease({ operations: store, log, name: "pos-webhooks", holder }));
    for (const lease of leases) await lease.start();
    expect(leases.map((lease) => lease.held)).toEqual([true, false]);
    await Promise.all(leases.map((lease) => run(dispatcherOn(lease))));
    expect(typesSent()).toEqual(["s1:sale.created"]);
    for (const lease of leases) await lease.stop();
    await other.close();
  });

  describe("over HTTP", () => {
    let server: Server;
    let url: string;
    let behaviour: "hang" | "long";
    beforeEach(async () => {
      server = createServer((_request, response) => {
        if (behaviour === "long") response.end("y".repeat(50_000));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    });
    afterEach(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it("gives up on an endpoint that does not answer in time, and keeps 1 KiB of a long answer", async () => {
      behaviour = "hang";
      const started = Date.now();
      const hung = await sendWebhook({ url, headers: {}, body: "{}", timeoutMs: 300 });
      expect(hung.error).toBe("no answer within 300 ms");
      expect(Date.now() - started).toBeLessThan(2_000);
      behaviour = "long";
      const long = await sendWebhook({ url, headers: {}, body: "{}", timeoutMs: 5_000 });
      expect(long).toEqual({ status: 200, response: "y".repeat(1024) });
    });
  });
});
