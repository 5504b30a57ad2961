// The webhook registration's health: checked at start and hourly by the lease holder, registered
// anew when Vipps has deleted it (as it does after two weeks of failed deliveries), its state shared
// with the other instances through the store.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "@/lib/log";
import {
  REGISTERED_EVENT_TYPES,
  SETTING_WEBHOOK_STATUS,
  WEBHOOK_CHECK_INTERVAL_MS,
  type WebhookApi,
  WebhookRegistration,
} from "@/lib/webhooks/webhook-registrar";
import { FrozenClock } from "../support/frozen-clock";
import { captureLog } from "../support/log-capture";
import { memoryStore, type TestStore } from "../support/memory-store";

const URL_A = "https://kassa.example/api/webhooks/vipps";
const T0 = Date.parse("2026-06-01T08:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

function fakeVipps() {
  const webhooks: { id: string; url: string; events: string[] }[] = [];
  let counter = 0;
  let down = false;
  const calls: string[] = [];
  const api: WebhookApi = {
    async registerWebhook(body) {
      calls.push("register");
      if (down) throw new Error("Vipps registerWebhook failed with HTTP 503");
      const id = `wh-${++counter}`;
      webhooks.push({ id, url: body.url, events: body.events });
      return { id, secret: `secret-${id}` };
    },
    async listWebhooks() {
      calls.push("list");
      if (down) throw new Error("Vipps listWebhooks failed with HTTP 503");
      return { webhooks: webhooks.map((w) => ({ ...w })) };
    },
    async deleteWebhook(id) {
      calls.push(`delete ${id}`);
      webhooks.splice(
        webhooks.findIndex((w) => w.id === id),
        1,
      );
    },
  };
  return {
    api,
    webhooks,
    calls,
    setDown(value: boolean) {
      down = value;
    },
  };
}

function lease(held: boolean) {
  const listeners: (() => void)[] = [];
  return {
    held,
    onAcquired(listener: () => void) {
      listeners.push(listener);
    },
    acquire() {
      this.held = true;
      for (const listener of listeners) listener();
    },
  };
}

const stores: TestStore[] = [];
async function newStore() {
  const store = await memoryStore();
  stores.push(store);
  return store;
}

afterEach(async () => {
  vi.useRealTimers();
  for (const store of stores.splice(0)) await store.close();
});

describe("WebhookRegistration", () => {
  it("registers on the first check, keeps it on the next, and records both", async () => {
    const store = await newStore();
    const vipps = fakeVipps();
    const clock = new FrozenClock(T0);
    const onRegistered = vi.fn();
    const registration = new WebhookRegistration({
      api: vipps.api,
      settings: store,
      url: URL_A,
      log: createLogger("error"),
      clock,
      lease: lease(true),
      onRegistered,
    });

    expect(await registration.status()).toEqual({
      state: "pending",
      registered: false,
      url: URL_A,
      lastCheckedAt: null,
      lastRegisteredAt: null,
      lastError: null,
    });
    expect(await registration.check()).toEqual({
      state: "registered",
      registered: true,
      url: URL_A,
      lastCheckedAt: iso(T0),
      lastRegisteredAt: iso(T0),
      lastError: null,
    });
    expect(vipps.webhooks).toEqual([{ id: "wh-1", url: URL_A, events: REGISTERED_EVENT_TYPES }]);
    expect(await store.getSetting("vipps.webhook.secret")).toBe("secret-wh-1");

    clock.advance(WEBHOOK_CHECK_INTERVAL_MS);
    expect(await registration.check()).toMatchObject({
      state: "registered",
      lastCheckedAt: iso(T0 + WEBHOOK_CHECK_INTERVAL_MS),
      lastRegisteredAt: iso(T0),
    });
    expect(vipps.calls).toEqual(["list", "register", "list"]);
    expect(onRegistered).toHaveBeenCalledTimes(2);
  });

  it("registers again when Vipps has deleted the registration, with a new secret", async () => {
    const store = await newStore();
    const vipps = fakeVipps();
    const clock = new FrozenClock(T0);
    const registration = new WebhookRegistration({
      api: vipps.api,
      settings: store,
      url: URL_A,
      log: createLogger("error"),
      clock,
      lease: lease(true),
    });
    await registration.check();
    // Two weeks of failed deliveries later, Vipps has removed it.
    vipps.webhooks.splice(0);
    clock.advance(14 * 24 * WEBHOOK_CHECK_INTERVAL_MS);
    const after = await registration.check();
    expect(after).toMatchObject({
      state: "registered",
      registered: true,
      lastRegisteredAt: iso(clock.ms),
      lastError: null,
    });
    expect(vipps.webhooks.map((w) => w.id)).toEqual(["wh-2"]);
    expect(await store.getSetting("vipps.webhook.secret")).toBe("secret-wh-2");
  });

  it("keeps a registration through one failed check, says why, and turns failing after a run of them", async () => {
    const store = await newStore();
    const vipps = fakeVipps();
    const clock = new FrozenClock(T0);
    const registration = new WebhookRegistration({
      api: vipps.api,
      settings: store,
      url: URL_A,
      log: createLogger("error"),
      clock,
      lease: lease(true),
    });
    await registration.check();
    vipps.setDown(true);
    clock.advance(1000);
    expect(await registration.check()).toMatchObject({
      state: "registered",
      registered: true,
      lastCheckedAt: iso(T0 + 1000),
      lastRegisteredAt: iso(T0),
      lastError: "Vipps listWebhooks failed with HTTP 503",
    });
    for (let i = 0; i < 3; i += 1) await registration.check();
    expect(await registration.status()).toMatchObject({
      state: "failing",
      lastError: "Vipps listWebhooks failed with HTTP 503",
    });
    vipps.setDown(false);
    expect(await registration.check()).toMatchObject({ state: "registered", lastError: null });
  });

  it("is pending, then failing, when it never got through", async () => {
    const store = await newStore();
    const vipps = fakeVipps();
    vipps.setDown(true);
    const registration = new WebhookRegistration({
      api: vipps.api,
      settings: store,
      url: URL_A,
      log: createLogger("error"),
      clock: new FrozenClock(T0),
      lease: lease(true),
    });
    expect(await registration.check()).toMatchObject({
      state: "pending",
      registered: false,
      lastError: expect.stringContaining("503"),
    });
    for (let i = 0; i < 3; i += 1) await registration.check();
    expect(await registration.status()).toMatchObject({ state: "failing", registered: false });
  });

  it("shows other instances what the holder found, without their asking Vipps", async () => {
    const store = await newStore();
    const vipps = fakeVipps();
    const clock = new FrozenClock(T0);
    const holder = new WebhookRegistration({
      api: vipps.api,
      settings: store,
      url: URL_A,
      log: createLogger("error"),
      clock,
      lease: lease(true),
    });
    const otherLease = lease(false);
    const onRegistered = vi.fn();
    const other = new WebhookRegistration({
      api: vipps.api,
      settings: store,
      url: URL_A,
      log: createLogger("error"),
      clock,
      lease: otherLease,
      onRegistered,
    });
    expect(await other.check()).toMatchObject({
      state: "pending",
      lastError: "Another instance has not registered the webhook yet",
    });
    await holder.check();
    expect(await other.check()).toMatchObject({ state: "registered", registered: true, lastCheckedAt: iso(T0) });
    expect(await other.status()).toMatchObject({ state: "registered", url: URL_A });
    expect(onRegistered).toHaveBeenCalledTimes(1);
    expect(vipps.calls).toEqual(["list", "register"]);
  });

  it("checks soon after start, retries quickly until it succeeds, then hourly, and at once on taking the lease", async () => {
    vi.useFakeTimers();
    const store = await newStore();
    const vipps = fakeVipps();
    vipps.setDown(true);
    const clock = new FrozenClock(T0);
    const held = lease(false);
    const registration = new WebhookRegistration({
      api: vipps.api,
      settings: store,
      url: URL_A,
      log: createLogger("error"),
      clock,
      lease: held,
      retryDelayMs: () => 1000,
    });
    registration.start(50);
    // Not the holder: it only reads the store, however often it looks.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(vipps.calls).toEqual([]);
    held.acquire();
    await vi.advanceTimersByTimeAsync(10);
    expect(vipps.calls).toEqual(["list"]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(vipps.calls).toEqual(["list", "list"]);
    vipps.setDown(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(vipps.calls).toEqual(["list", "list", "list", "register"]);
    // Registered: the next look is an hour later, not a second.
    await vi.advanceTimersByTimeAsync(WEBHOOK_CHECK_INTERVAL_MS - 100);
    expect(vipps.calls.filter((call) => call === "list")).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(200);
    expect(vipps.calls.filter((call) => call === "list")).toHaveLength(4);
    registration.stop();
  });

  it("a status the store cannot keep or give is logged, and the check answers all the same", async () => {
    const store = await newStore();
    const { log, records } = captureLog("warn");
    const registration = new WebhookRegistration({
      api: fakeVipps().api,
      settings: store,
      url: URL_A,
      log,
      clock: new FrozenClock(T0),
      lease: lease(true),
    });
    // Only the shared status fails; the registration's own settings are kept.
    const { getSetting, setSetting } = store;
    store.setSetting = async (key, value) => {
      if (key === SETTING_WEBHOOK_STATUS) throw new Error("disk I/O error");
      return setSetting.call(store, key, value);
    };
    store.getSetting = async (key) => {
      if (key === SETTING_WEBHOOK_STATUS) throw new Error("database is locked");
      return getSetting.call(store, key);
    };
    expect(await registration.check()).toMatchObject({ state: "registered", registered: true });
    expect(await registration.status()).toMatchObject({ state: "registered", registered: true });
    expect(records().map(({ message, err }) => [message, err.message])).toEqual([
      [
        "Could not read the webhook registration's status; answering with what this instance last knew",
        "database is locked",
      ],
      [
        "Could not store the webhook registration's status; other instances go on reading the last one stored",
        "disk I/O error",
      ],
      [
        "Could not read the webhook registration's status; answering with what this instance last knew",
        "database is locked",
      ],
    ]);
  });
});
