/**
 * What a sale change costs the POS events when nobody consumes them: after the commit nothing is
 * rendered or written (the data waits for its first reader), rings that come while one is being
 * sent become one more, and the webhook dispatcher is not woken while there is no endpoint. Adding
 * or removing an endpoint tells the dispatcher at once.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SaleView } from "@/lib/contracts/sales";
import type { Sale } from "@/lib/entities/sale";
import { InProcessNotifier } from "@/lib/events/change-notifier";
import { createPosEventServices } from "@/lib/pos-events/pos-event-services";
import { PosEvents } from "@/lib/pos-events/pos-events";
import { WebhookDispatcher } from "@/lib/pos-events/webhook-dispatcher";
import { WebhookEndpoints } from "@/lib/pos-events/webhook-endpoints";
import type { WebhookSend } from "@/lib/pos-events/webhook-sender";
import { captureLog } from "../support/log-capture";
import { memoryStore, type TestStore } from "../support/memory-store";
import { newSale, terminal } from "../support/store-conformance";

const { log } = captureLog("warn");
const clock = { now: () => Date.now() };
/** Lets whatever a commit started in the background run to its end. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

let store: TestStore;
beforeEach(async () => {
  store = await memoryStore();
  await store.saveTerminal(terminal("t1"));
  await store.saveTerminal(terminal("t2"));
});
afterEach(() => store.close());

describe("after a sale's commit", () => {
  it("renders and writes no data; the first read renders it, once", async () => {
    const render = vi.fn(async (sale: Sale) => ({ id: sale.id, state: sale.state }) as unknown as SaleView);
    const pos = await createPosEventServices({
      store: store.repositories,
      render,
      config: { vippsEnv: "simulator", webhookAllowPrivate: false },
      clock,
      log,
    });
    const { sale, attempt, event } = newSale("s1");
    await pos.sales.insertSale(sale, attempt, event);
    await pos.sales.transitionSale("s1", ["pending"], { state: "cancelled" }, { type: "c", source: "api" });
    await settle();
    expect(render).not.toHaveBeenCalled();
    expect((await store.listPosEvents(0, 10)).map((stored) => stored.data)).toEqual([undefined, undefined]);

    const page = await pos.services.posEvents.feed({ limit: 10, wait: 0 });
    expect(page.items.map((item) => item.data)).toEqual([
      { id: "s1", state: "pending" },
      { id: "s1", state: "cancelled" },
    ]);
    await pos.services.posEvents.feed({ limit: 10, wait: 0 });
    expect(render).toHaveBeenCalledTimes(2);
  });

  it("rings every instance, and rings asked for while one is being sent become one more", async () => {
    const notifier = new InProcessNotifier();
    const notify = vi.spyOn(notifier, "notify");
    const posEvents = new PosEvents({ events: store, sales: store, render: vi.fn(), notifier, clock, log });
    const heard = vi.fn();
    posEvents.onEvent(heard);
    await Promise.all(Array.from({ length: 5 }, () => posEvents.ring()));
    expect(notify).toHaveBeenCalledTimes(2);
    expect(heard).toHaveBeenCalledTimes(2);
    // The next one, after those were sent, is sent on its own.
    await posEvents.ring();
    expect(notify).toHaveBeenCalledTimes(3);
  });
});

describe("the webhook dispatcher", () => {
  let posEvents: PosEvents;
  let dispatcher: WebhookDispatcher;
  let endpoints: WebhookEndpoints;
  let sent: string[];
  const send: WebhookSend = async (request) => {
    const body = JSON.parse(request.body) as { type: string; data: { id: string } };
    sent.push(`${body.data.id}:${body.type}`);
    return { status: 204 };
  };

  beforeEach(() => {
    sent = [];
    posEvents = new PosEvents({
      events: store,
      sales: store,
      render: async (sale: Sale) => ({ id: sale.id }) as unknown as SaleView,
      notifier: new InProcessNotifier(),
      clock,
      log,
    });
    // The timer's tick is kept out of the way: every tick here is one a ring started.
    dispatcher = new WebhookDispatcher({
      events: store,
      posEvents,
      lease: { held: true },
      clock,
      log,
      policy: { allowPrivate: true },
      send,
      tickMs: 3_600_000,
    });
    endpoints = new WebhookEndpoints({
      events: store,
      clock,
      log,
      policy: { allowPrivate: true },
      deliveryDue: () => void posEvents.ring(),
      endpointsChanged: () => void posEvents.endpointsChanged(),
    });
    dispatcher.start();
  });
  afterEach(() => dispatcher.stop());

  async function sell(id: string, terminalId = "t1") {
    const { sale, attempt, event } = newSale(id, { terminalId });
    await store.insertSale(sale, attempt, event);
    await posEvents.ring();
    await settle();
    await dispatcher.idle();
  }

  it("is not woken by new events while there is no endpoint, and is at once when one is added", async () => {
    const listEndpoints = vi.spyOn(store, "listEndpoints");
    const dueDeliveries = vi.spyOn(store, "dueDeliveries");
    await dispatcher.tick();
    expect(listEndpoints).toHaveBeenCalledTimes(1);
    await sell("s1");
    await sell("s2", "t2");
    expect(listEndpoints).toHaveBeenCalledTimes(1);
    expect(dueDeliveries).not.toHaveBeenCalled();

    const { id } = await endpoints.create({ url: "http://127.0.0.1:9/hook" });
    await settle();
    await dispatcher.idle();
    expect(listEndpoints).toHaveBeenCalledTimes(2);
    await store.transitionSale("s1", ["pending"], { state: "cancelled" }, { type: "c", source: "api" });
    await sell("s3");
    // The endpoint takes the events after it was added.
    expect(sent).toEqual(["s1:sale.cancelled", "s3:sale.created"]);

    await endpoints.remove(id);
    await settle();
    await dispatcher.idle();
    const calls = listEndpoints.mock.calls.length;
    await store.transitionSale("s3", ["pending"], { state: "cancelled" }, { type: "c", source: "api" });
    await posEvents.ring();
    await settle();
    expect(listEndpoints).toHaveBeenCalledTimes(calls);
    expect(sent).toHaveLength(2);
  });
});
