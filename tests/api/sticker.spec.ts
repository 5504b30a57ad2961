// The sticker at the till (QR API merchant callback QR): made per terminal, and a scan of it hands
// the waiting sale to the scanning customer's phone, or does nothing to the sales when none waits.
import type { AppHandle } from "../support/app-server";
import { expect, test } from "../support/fixtures";
import { createSale, getSale, simPayment, TWO_LINES, waitForSaleState } from "./helpers";

const PHONE = "4791234567";

async function makeSticker(app: AppHandle, terminalId = "pos-1"): Promise<{ merchantQrId: string; qrContent: string }> {
  const response = await app.api(`/api/v1/terminals/${terminalId}/sticker`, { method: "POST" });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as { merchantQrId: string; qrContent: string };
}

async function scan(app: AppHandle, merchantQrId: string, phoneNumber = PHONE): Promise<void> {
  const response = await app.sim(`/stickers/${merchantQrId}/scan`, { method: "POST", json: { phoneNumber } });
  expect(response.status, await response.clone().text()).toBe(200);
}

/** Pays the first request waiting on the simulated phone, as its owner would on the phone's page. */
async function payOnPhone(app: AppHandle, phoneNumber = PHONE): Promise<void> {
  let action: string | undefined;
  await expect
    .poll(async () => {
      const page = await (await fetch(`${app.url}/sim/phone/${phoneNumber}`)).text();
      action = /action="([^"]+\/approve)"/.exec(page)?.[1];
      return action;
    })
    .toBeTruthy();
  const paid = await fetch(new URL(action!, app.url), { method: "POST", redirect: "manual" });
  expect(paid.status).toBe(303);
}

test("the sticker is made once per terminal, named after it, and making it again keeps its code", async ({ app }) => {
  const first = await makeSticker(app);
  expect(first.merchantQrId).toBe("kassa-pos-1");
  expect(first.qrContent).toMatch(/\/sim\/sticker\/\d+\/kassa-pos-1$/);
  expect(await makeSticker(app)).toEqual(first);
  const page = await (await fetch(first.qrContent)).text();
  expect(page).toContain("Counter 1");
  expect((await app.api("/api/v1/terminals/pos-404/sticker", { method: "POST" })).status).toBe(404);
});

test("a scan while a sale waits sends it to the scanning customer's phone, who pays there", async ({ app }) => {
  const sticker = await makeSticker(app);
  const sale = await createSale(app);
  expect(sale.qr).not.toBeNull();
  await scan(app, sticker.merchantQrId);

  await expect
    .poll(async () => {
      const view = (await getSale(app, sale.id)) as unknown as { flow: string; attemptCount: number; qr: unknown };
      return { flow: view.flow, attemptCount: view.attemptCount, qr: view.qr };
    })
    .toEqual({ flow: "push", attemptCount: 2, qr: null });
  const pushed = await getSale(app, sale.id);
  expect(pushed.reference).not.toBe(sale.reference);
  const pushPayment = await simPayment(app, pushed.reference);
  expect(pushPayment.userFlow).toBe("PUSH_MESSAGE");
  expect(Object.keys(pushPayment.request.customer)).toEqual(["customerToken"]);
  // The QR's payment is released, so it cannot be paid as well.
  await expect.poll(async () => (await simPayment(app, sale.reference)).state).not.toBe("CREATED");

  await payOnPhone(app);
  const captured = await waitForSaleState(app, sale.id, "captured");
  expect(captured.capturedAmount.value).toBe(sale.amount.value);
});

/** The check-ins the simulator has sent the app, by their delivery's status (the app is shared by this file's tests). */
async function checkInDeliveries(app: AppHandle): Promise<string[]> {
  const deliveries = (await (await app.sim("/deliveries")).json()) as {
    deliveries: { eventType: string; status: string }[];
  };
  return deliveries.deliveries.filter((d) => d.eventType === "user.checked-in.v1").map((d) => d.status);
}

test("a scan with no sale waiting starts no payment", async ({ app }) => {
  const sticker = await makeSticker(app);
  const before = (await (await app.api("/api/v1/sales?terminalId=pos-1")).json()) as { items: unknown[] };
  const earlier = (await checkInDeliveries(app)).length;
  await scan(app, sticker.merchantQrId);
  await expect.poll(async () => (await checkInDeliveries(app)).slice(earlier)).toEqual(["delivered"]);
  const phone = await (await fetch(`${app.url}/sim/phone/${PHONE}`)).text();
  expect(phone).toContain('data-testid="push-inbox-empty"');
  const after = (await (await app.api("/api/v1/sales?terminalId=pos-1")).json()) as { items: unknown[] };
  expect(after.items.length).toBe(before.items.length);
  // The terminal is free: the next sale goes through as usual.
  expect((await createSale(app, TWO_LINES)).state).toBe("pending");
});

test("a sticker at store B's till is made under B's MSN and keys, and a scan of it reaches B's sale", async ({
  app,
}) => {
  const store = await app.api("/api/v1/stores", {
    method: "POST",
    json: {
      name: "Bergen",
      msn: "654321",
      currency: "NOK",
      vipps: { clientId: "bergen-qr-client", clientSecret: "bergen-qr-secret", subscriptionKey: "bergen-qr-sub" },
    },
  });
  expect(store.status, await store.clone().text()).toBe(201);
  const storeId = ((await store.json()) as { id: string }).id;
  const terminal = await app.api("/api/v1/terminals", {
    method: "POST",
    json: { id: "bergen-1", name: "Bergen counter", storeId },
  });
  expect(terminal.status, await terminal.clone().text()).toBe(201);

  const sticker = await makeSticker(app, "bergen-1");
  // The code names the sales unit it was made under: B's, not the deployment's 123456.
  expect(sticker.qrContent).toMatch(/\/sim\/sticker\/654321\/kassa-bergen-1$/);
  expect(await (await fetch(sticker.qrContent)).text()).toContain("Bergen counter");

  const sale = await createSale(app, { ...TWO_LINES, terminalId: "bergen-1" });
  await scan(app, sticker.merchantQrId, "4790000002");
  await expect.poll(async () => ((await getSale(app, sale.id)) as unknown as { flow: string }).flow).toBe("push");
  expect((await simPayment(app, (await getSale(app, sale.id)).reference)).msn).toBe("654321");
});
