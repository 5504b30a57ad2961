/**
 * The POS's webhooks and event feed end to end: a receiver on 127.0.0.1 verifies every delivery with
 * the standardwebhooks library and gets all of a sale's events in order; the feed has the same ids
 * in the same order and wakes a waiting call within a second; the receiver still gets them after
 * being down for the first two tries (at the 30 s retry, the app's clock moved to it rather than
 * waited for) and after the app is killed (SIGKILL) right after an approval.
 */
import type { AppHandle } from "../support/app-server";
import { type FeedGet, feedAfter, readFeed } from "../support/event-feed";
import { expect, test } from "../support/fixtures";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";
import { createSale, simAction, waitForSaleState } from "./helpers";

test.describe.configure({ mode: "serial" });

let receiver: WebhookReceiver;

test.beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
test.afterAll(async () => {
  await receiver?.close();
});

/** The app's event feed through app.api() (each answer checked against the OpenAPI document). */
const feedOf =
  (app: AppHandle): FeedGet =>
  async (path) => {
    const response = await app.api(path);
    return { status: response.status, body: response.status === 200 ? await response.json() : await response.text() };
  };

/** The feed's cursor at its end now. */
const feedEnd = async (app: AppHandle): Promise<string> => (await readFeed(feedOf(app))).next;

const SALE_LIFE = ["sale.created", "sale.authorized", "sale.captured"];

test("an endpoint gets a sale's events in order, verified, and the feed has the same ids in the same order", async ({
  app,
}) => {
  const created = await app.api("/api/v1/webhook-endpoints", {
    method: "POST",
    json: { url: receiver.url, description: "Test till" },
  });
  expect(created.status).toBe(201);
  const endpoint = (await created.json()) as { id: string; secret: string; events: string[] };
  expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  expect(endpoint.events).toHaveLength(8);
  receiver.secret = endpoint.secret;
  const listed = (await (await app.api("/api/v1/webhook-endpoints")).json()) as { items: object[] };
  expect(JSON.stringify(listed)).not.toContain(endpoint.secret);

  const cursor = await feedEnd(app);
  const sale = await createSale(app);
  await simAction(app, sale.reference, "approve");
  await waitForSaleState(app, sale.id, "captured");
  await receiver.waitFor(() => receiver.typesOf(sale.id).length >= 3, 10_000, "the sale's three events");
  const refund = await app.api(`/api/v1/sales/${sale.id}/refund`, { method: "POST", json: { amount: 1000 } });
  expect(refund.status).toBe(200);
  await receiver.waitFor(() => receiver.typesOf(sale.id).length >= 4, 10_000, "the refund's event");
  expect(receiver.typesOf(sale.id)).toEqual([...SALE_LIFE, "sale.refunded"]);
  expect(receiver.rejected).toEqual([]);
  const events = receiver.unique().filter((item) => item.data.id === sale.id);
  expect(events.map((event) => event.data.state)).toEqual(["pending", "authorized", "captured", "captured"]);
  expect(events[3]!.data.refund?.amount.value).toBe(1000);
  // data is the sale as GET /api/v1/sales/{id} returns it.
  const now = (await (await app.api(`/api/v1/sales/${sale.id}`)).json()) as Record<string, unknown>;
  const { refund: _refund, ...last } = events[3]!.data;
  expect(last).toEqual(now);

  const feed = await feedAfter(feedOf(app), cursor);
  expect(feed.items.filter((item) => item.data.id === sale.id).map((item) => item.id)).toEqual(
    events.map((event) => event.webhookId),
  );
  expect(feed.items.map((item) => item.type)).toEqual([...SALE_LIFE, "sale.refunded"]);

  const deliveries = (await (await app.api(`/api/v1/webhook-deliveries?endpointId=${endpoint.id}`)).json()) as {
    items: { id: string; state: string; attempts: number }[];
  };
  expect(deliveries.items.map((d) => `${d.state}:${d.attempts}`)).toEqual(Array(4).fill("delivered:1"));
  const again = await app.api(`/api/v1/webhook-deliveries/${deliveries.items[0]!.id}/send-again`, { method: "POST" });
  expect(again.status).toBe(200);
  await receiver.waitFor(() => receiver.received.length > receiver.unique().length, 5_000, "the copy sent again");
  expect(receiver.received.at(-1)!.webhookId).toBe(events[3]!.webhookId);
});

test("a waiting feed call wakes within a second of a new event", async ({ app }) => {
  const cursor = await feedEnd(app);
  const waiting = feedAfter(feedOf(app), cursor, 20);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const sale = await createSale(app);
  const createdAt = Date.now();
  const page = await waiting;
  expect(Date.now() - createdAt).toBeLessThan(1_000);
  expect(page.items[0]).toMatchObject({ type: "sale.created", data: { id: sale.id } });
  // An empty wait ends after its time, with the same cursor.
  const started = Date.now();
  const empty = await feedAfter(feedOf(app), page.next, 1);
  expect(empty).toEqual({ items: [], next: page.next });
  expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  await app.api(`/api/v1/sales/${sale.id}/cancel`, { method: "POST" });
});

/** The delivery of the newest sale's sale.created event (the newest three deliveries are one sale's life). */
async function createdDelivery(app: AppHandle) {
  const deliveries = (await (await app.api("/api/v1/webhook-deliveries?limit=3")).json()) as {
    items: { state: string; attempts: number; eventType: string }[];
  };
  return deliveries.items.find((d) => d.eventType === "sale.created");
}

/** Moves the app's clock (shared with its simulator): a retry falls due without waiting for it. */
async function advance(app: AppHandle, ms: number) {
  const response = await app.sim("/clock/advance", { method: "POST", json: { ms } });
  expect(response.status, await response.clone().text()).toBe(200);
}

test("a receiver that is down for the first two tries gets them all at the 30 s retry", async ({ app }) => {
  await receiver.down();
  const sale = await createSale(app);
  await simAction(app, sale.reference, "approve");
  await waitForSaleState(app, sale.id, "captured");
  // The first try fails at once; the second is due 5 s later by the app's clock, and fails too.
  await expect
    .poll(async () => (await createdDelivery(app))?.attempts ?? 0, { timeout: 10_000 })
    .toBeGreaterThanOrEqual(1);
  await advance(app, 5_000);
  await expect.poll(async () => (await createdDelivery(app))?.attempts, { timeout: 10_000 }).toBe(2);
  expect(receiver.typesOf(sale.id)).toEqual([]);
  await receiver.up();
  // The third try is due 30 s after the second.
  await advance(app, 30_000);
  await receiver.waitFor(() => receiver.typesOf(sale.id).length >= 3, 20_000, "the events after the retry");
  expect(receiver.typesOf(sale.id)).toEqual(SALE_LIFE);
  expect(await createdDelivery(app)).toMatchObject({ state: "delivered", attempts: 3 });
});

test("after a kill -9 right after an approval, the receiver still gets every event", async ({ app }) => {
  test.setTimeout(60_000);
  const sale = await createSale(app);
  await receiver.waitFor(() => receiver.typesOf(sale.id).length >= 1, 10_000, "the creation");
  await simAction(app, sale.reference, "approve");
  await app.kill();
  await app.restart();
  await waitForSaleState(app, sale.id, "captured", 20_000);
  await receiver.waitFor(() => receiver.typesOf(sale.id).length >= 3, 20_000, "the events after the restart");
  expect(receiver.typesOf(sale.id)).toEqual(SALE_LIFE);
  expect(receiver.rejected).toEqual([]);
});
