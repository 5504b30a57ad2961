/**
 * The POS's webhooks from two app instances on one PostgreSQL database: every event reaches the
 * receiver at least once, in order per sale, all copies of an event under one webhook-id, while the
 * instance holding the webhook lease is killed (SIGKILL) and the other takes over; the feed on
 * either instance has the same ids in the same order.
 */
import { expect, test } from "@playwright/test";
import type { AppHandle } from "../support/app-server";
import { twoInstances } from "../support/two-instances";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";

const LINE = {
  terminalId: "pos-1",
  currency: "NOK",
  lines: [{ name: "Ear buds", quantity: 1, unitPrice: 42924, taxRate: 2500 }],
};
const SALE_LIFE = ["sale.created", "sale.authorized", "sale.captured"];

let receiver: WebhookReceiver;

test.describe.configure({ mode: "serial", timeout: 60_000 });

const pair = twoInstances(test, { database: "kassa_webhooks", startTimeoutMs: 240_000 });

test.beforeAll(async () => {
  receiver = await startWebhookReceiver();
});

test.afterAll(async () => {
  await receiver?.close();
});

async function sell(app: AppHandle): Promise<string> {
  const created = await app.api("/api/v1/sales", { method: "POST", json: LINE });
  expect(created.status, await created.clone().text()).toBe(201);
  const sale = (await created.json()) as { id: string; reference: string };
  expect((await pair.simulator.control(`/payments/${sale.reference}/approve`, { method: "POST" })).status).toBe(200);
  await expect
    .poll(async () => ((await (await app.api(`/api/v1/sales/${sale.id}`)).json()) as { state: string }).state, {
      timeout: 20_000,
      intervals: [200],
    })
    .toBe("captured");
  return sale.id;
}

test("every event reaches the receiver in order per sale, under one webhook-id, across a takeover", async () => {
  const created = await pair.second.api("/api/v1/webhook-endpoints", { method: "POST", json: { url: receiver.url } });
  expect(created.status).toBe(201);
  receiver.secret = ((await created.json()) as { secret: string }).secret;

  const sales = [await sell(pair.first), await sell(pair.second)];
  await receiver.waitFor(() => sales.every((id) => receiver.typesOf(id).length >= 3), 10_000, "both sales' events");
  // The first instance started first and holds the lease: kill it, and sell on the second.
  await pair.first.kill();
  sales.push(await sell(pair.second));
  await receiver.waitFor(() => receiver.typesOf(sales[2]!).length >= 3, 25_000, "the events after the takeover");

  for (const id of sales) expect(receiver.typesOf(id)).toEqual(SALE_LIFE);
  expect(receiver.rejected).toEqual([]);
  // Copies (at least once) carry the same id and the same body.
  for (const item of receiver.received)
    expect(item.body).toBe(receiver.unique().find((first) => first.webhookId === item.webhookId)!.body);

  const feed = (await (await pair.second.api("/api/v1/events?limit=500")).json()) as {
    items: { id: string; data: { id: string } }[];
  };
  expect(feed.items).toHaveLength(9);
  for (const id of sales)
    expect(feed.items.filter((item) => item.data.id === id).map((item) => item.id)).toEqual(
      receiver
        .unique()
        .filter((item) => item.data.id === id)
        .map((item) => item.webhookId),
    );
});
