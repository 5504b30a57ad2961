import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log";
import { memoryStore } from "../support/memory-store";
import { REGISTERED_EVENT_TYPES, ensureWebhookRegistered, type WebhookApi } from "@/lib/webhooks/webhook-registrar";

function fakeApi(initial: { id: string; url: string; events: string[] }[] = []) {
  const webhooks = [...initial];
  let counter = 0;
  const calls: string[] = [];
  const api: WebhookApi = {
    async registerWebhook(body) {
      calls.push(`register ${body.url}`);
      const id = `wh-${++counter}`;
      webhooks.push({ id, url: body.url, events: body.events });
      return { id, secret: `secret-${id}` };
    },
    async listWebhooks() {
      calls.push("list");
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
  return { api, webhooks, calls };
}

const log = createLogger("error");
const URL_A = "http://192.168.1.20:3000/api/webhooks/vipps";
const URL_B = "http://192.168.1.21:3000/api/webhooks/vipps";

describe("webhook registration at start", () => {
  it("registers once, then keeps the registration on every later start", async () => {
    const store = await memoryStore();
    const { api, calls, webhooks } = fakeApi();
    expect(await ensureWebhookRegistered({ api, settings: store, url: URL_A, log })).toBe("registered");
    expect(await store.getSetting("vipps.webhook.secret")).toBe("secret-wh-1");
    expect(await ensureWebhookRegistered({ api, settings: store, url: URL_A, log })).toBe("kept");
    expect(calls.filter((c) => c.startsWith("register"))).toHaveLength(1);
    expect(webhooks).toHaveLength(1);
    expect(webhooks[0]!.events).toEqual(REGISTERED_EVENT_TYPES);
  });

  it("replaces a registration whose secret was lost, and one for an old address, but no one else's", async () => {
    const store = await memoryStore();
    const other = { id: "someone-else", url: "https://erp.example/hooks", events: ["epayments.payment.captured.v1"] };
    const { api, webhooks } = fakeApi([{ id: "lost", url: URL_A, events: REGISTERED_EVENT_TYPES }, other]);
    expect(await ensureWebhookRegistered({ api, settings: store, url: URL_A, log })).toBe("registered");
    expect(webhooks.map((w) => w.id).sort()).toEqual(["someone-else", "wh-1"]);

    expect(await ensureWebhookRegistered({ api, settings: store, url: URL_B, log })).toBe("registered");
    expect(webhooks.map((w) => w.url).sort()).toEqual([URL_B, "https://erp.example/hooks"].sort());
    expect(await store.getSetting("vipps.webhook.url")).toBe(URL_B);
  });
});

describe("webhook dedupe records", () => {
  it("are kept through Vipps' seven days of retries and pruned after", async () => {
    const store = await memoryStore();
    expect(await store.markWebhookProcessed("old", "2026-11-01T00:00:00.000Z")).toBe(true);
    expect(await store.markWebhookProcessed("new", "2026-11-20T00:00:00.000Z")).toBe(true);
    expect(await store.markWebhookProcessed("new", "2026-11-20T00:00:01.000Z")).toBe(false);
    expect(await store.pruneProcessedWebhooks("2026-11-12T00:00:00.000Z")).toBe(1);
    expect(await store.markWebhookProcessed("old", "2026-11-25T00:00:00.000Z")).toBe(true);
    expect(await store.markWebhookProcessed("new", "2026-11-25T00:00:00.000Z")).toBe(false);
  });
});
