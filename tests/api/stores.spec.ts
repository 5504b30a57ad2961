import { statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "../support/fixtures";
import type { AppHandle } from "../support/app-server";
import { createSale, simAction, simPayment, TWO_LINES, TWO_LINES_TOTAL, waitForSaleState } from "./helpers";

/**
 * Stores as Vipps sales units: a second store with its own MSN and keys, whose terminal's sales are
 * made, captured and refunded through its sales unit only, and shown in its reports only.
 */

const STORE_B_KEYS = {
  clientId: "bergen-client-id",
  clientSecret: "bergen-client-secret-never-shown",
  subscriptionKey: "bergen-subscription-key-never-shown",
};

interface StoreBody {
  id: string;
  name: string;
  msn: string;
  vipps: { keys: "own" | "partner"; clientId: string; hasSecret: boolean };
}

interface NotedCall {
  operation: string;
  msn: string;
  clientId: string;
}

async function addStore(app: AppHandle, body: unknown): Promise<StoreBody> {
  const response = await app.api("/api/v1/stores", { method: "POST", json: body });
  const text = await response.clone().text();
  expect(response.status, text).toBe(201);
  expect(text).not.toContain(STORE_B_KEYS.clientSecret);
  expect(text).not.toContain(STORE_B_KEYS.subscriptionKey);
  return (await response.json()) as StoreBody;
}

test.describe.configure({ mode: "serial" });

test("store 1 is the environment's sales unit on the deployment's keys", async ({ app }) => {
  const response = await app.api("/api/v1/stores");
  expect(response.status).toBe(200);
  const { items } = (await response.json()) as { items: StoreBody[] };
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({ id: "store-1", msn: "123456", vipps: { keys: "partner" } });
  const terminal = await (await app.api("/api/v1/terminals/pos-1")).json();
  expect(terminal.storeId).toBe("store-1");
});

test("a sale at store B's terminal goes through B's MSN and keys, and is in B's reports only", async ({ app }) => {
  const storeB = await addStore(app, { name: "Bergen", msn: "654321", currency: "NOK", vipps: STORE_B_KEYS });
  expect(storeB).toMatchObject({
    msn: "654321",
    vipps: { keys: "own", clientId: STORE_B_KEYS.clientId, hasSecret: true },
  });
  const read = await (await app.api(`/api/v1/stores/${storeB.id}`)).text();
  expect(read).not.toContain(STORE_B_KEYS.clientSecret);
  // The simulator's key for the sealed secrets is the app's own, readable by it alone.
  expect(statSync(path.join(app.dataDir, "secrets.key")).mode & 0o777).toBe(0o600);

  const terminal = await app.api("/api/v1/terminals", {
    method: "POST",
    json: { id: "bergen-1", name: "Bergen counter", storeId: storeB.id },
  });
  expect(terminal.status, await terminal.clone().text()).toBe(201);
  expect((await terminal.json()).storeId).toBe(storeB.id);
  const unknownStore = await app.api("/api/v1/terminals", {
    method: "POST",
    json: { name: "Nowhere", storeId: "store-99" },
  });
  expect(unknownStore.status).toBe(400);
  expect((await unknownStore.json()).errors).toEqual([{ field: "storeId", reason: "unknown store" }]);

  await app.api("/api/v1/settings", { method: "PATCH", json: { autoCapture: false } });
  try {
    const atA = await createSale(app);
    const atB = await createSale(app, { ...TWO_LINES, terminalId: "bergen-1" });
    expect((await simPayment(app, atA.reference)).msn).toBe("123456");
    expect((await simPayment(app, atB.reference)).msn).toBe("654321");

    await simAction(app, atB.reference, "approve");
    await waitForSaleState(app, atB.id, "authorized");
    const capture = await app.api(`/api/v1/sales/${atB.id}/capture`, { method: "POST" });
    expect(capture.status, await capture.clone().text()).toBe(200);
    const refund = await app.api(`/api/v1/sales/${atB.id}/refund`, { method: "POST", json: { amount: 1000 } });
    expect(refund.status, await refund.clone().text()).toBe(200);

    const payment = await simPayment(app, atB.reference);
    expect(payment.aggregate.capturedAmount.value).toBe(TWO_LINES_TOTAL);
    expect(payment.aggregate.refundedAmount.value).toBe(1000);
    const calls = payment.calls as NotedCall[];
    for (const operation of ["create", "capture", "refund"])
      expect(calls.find((call) => call.operation === operation)).toMatchObject({
        msn: "654321",
        clientId: STORE_B_KEYS.clientId,
      });
    expect(calls.every((call) => call.msn === "654321" && call.clientId === STORE_B_KEYS.clientId)).toBe(true);
    expect((await simPayment(app, atA.reference)).calls[0]).toMatchObject({ msn: "123456" });

    // B's own webhook registration delivers B's events to B's address, and the app takes them.
    const deliveries = (await (await app.sim(`/deliveries?reference=${atB.reference}`)).json()).deliveries as {
      url: string;
      status: string;
    }[];
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((delivery) => delivery.url.endsWith(`/api/webhooks/vipps?store=${storeB.id}`))).toBe(true);
    await expect
      .poll(async () => (await (await app.sim(`/deliveries?reference=${atB.reference}`)).json()).deliveries[0].status)
      .toBe("delivered");

    const listed = await (await app.api(`/api/v1/sales?storeId=${storeB.id}`)).json();
    expect(listed.items.map((sale: { id: string }) => sale.id)).toEqual([atB.id]);
    expect(listed.items[0]).toMatchObject({ storeId: storeB.id, msn: "654321" });
    const ofA = await (await app.api("/api/v1/sales?storeId=store-1")).json();
    expect(ofA.items.map((sale: { id: string }) => sale.id)).toContain(atA.id);
    expect(ofA.items.map((sale: { id: string }) => sale.id)).not.toContain(atB.id);

    const summary = await (await app.api(`/api/v1/sales/summary?storeId=${storeB.id}`)).json();
    expect(summary.items).toEqual([expect.objectContaining({ state: "captured", count: 1, refunded: 1000 })]);
    const csv = await (await app.api(`/api/v1/sales/export.csv?storeId=${storeB.id}`)).text();
    expect(csv).toContain(atB.id);
    expect(csv).not.toContain(atA.id);
    expect(csv).toContain("654321");

    await app.api(`/api/v1/sales/${atA.id}/cancel`, { method: "POST" });
  } finally {
    await app.api("/api/v1/settings", { method: "PATCH", json: { autoCapture: true } });
  }
});

test("a second store with a taken MSN is refused, and a store changes its keys without showing them", async ({
  app,
}) => {
  const taken = await app.api("/api/v1/stores", {
    method: "POST",
    json: { name: "Copy", msn: "123456", currency: "NOK" },
  });
  expect(taken.status).toBe(409);
  const partner = await addStore(app, { name: "Torget", msn: "222333", currency: "NOK" });
  expect(partner.vipps.keys).toBe("partner");
  const patched = await app.api(`/api/v1/stores/${partner.id}`, {
    method: "PATCH",
    json: { name: "Torget nord", vipps: STORE_B_KEYS },
  });
  const text = await patched.text();
  expect(patched.status, text).toBe(200);
  expect(text).not.toContain(STORE_B_KEYS.clientSecret);
  expect(JSON.parse(text)).toMatchObject({ name: "Torget nord", vipps: { keys: "own" } });
});
