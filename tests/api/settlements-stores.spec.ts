/**
 * Settlements per store against the embedded simulator's Report API: a second store, added while
 * the app runs, with its own MSN and its own keys. Its ledger is imported without a restart, with
 * its keys (the simulator links MSN 654321 to those keys only: the deployment's keys would be
 * refused), and each store's figures are shown to its own manager only, in the list, one ledger
 * date and the CSV; another store's id is a 404.
 */
import { SCREENSHOT_DIR, signInAdmin } from "../e2e/support/e2e";
import { expect, test } from "../support/fixtures";
import type { AppHandle } from "../support/app-server";
import { createSale, simAction, waitForSaleState } from "./helpers";
import { addStaff, callAs, signIn } from "./staff-helpers";

test.use({ appOptions: { env: { KASSA_SETTLEMENT_POLL_SECONDS: "1" } } });

const STORE_B_KEYS = {
  clientId: "bergen-client-id",
  clientSecret: "bergen-client-secret-never-shown",
  subscriptionKey: "bergen-subscription-key-never-shown",
};

interface Day {
  ledgerDate: string;
  captured: number;
}

type Call = ReturnType<typeof callAs>;

async function paidSale(app: AppHandle, terminalId: string, unitPrice: number) {
  const sale = await createSale(app, {
    terminalId,
    currency: "NOK",
    lines: [{ name: "Coffee beans", quantity: 1, unitPrice, taxRate: 1500 }],
  });
  await simAction(app, sale.reference, "approve");
  return waitForSaleState(app, sale.id, "captured");
}

async function captured(call: Call, query = ""): Promise<number> {
  const response = await call(`/api/v1/settlements${query}`);
  expect(response.status, await response.clone().text()).toBe(200);
  const { items } = (await response.json()) as { items: Day[] };
  return items.reduce((sum, day) => sum + day.captured, 0);
}

test("two stores with their own MSNs: each ledger is imported with its store's keys and shown to its manager only", async ({
  app,
  browser,
}) => {
  const created = await app.api("/api/v1/stores", {
    method: "POST",
    json: { name: "Bergen", msn: "654321", currency: "NOK", vipps: STORE_B_KEYS },
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const storeB = ((await created.json()) as { id: string }).id;
  const terminal = await app.api("/api/v1/terminals", {
    method: "POST",
    json: { id: "bergen-1", name: "Bergen counter", storeId: storeB },
  });
  expect(terminal.status, await terminal.clone().text()).toBe(201);

  const atA = await paidSale(app, "pos-1", 11_100);
  const atB = await paidSale(app, "bergen-1", 22_200);

  const ownerCookie = await signIn(app, { password: app.adminPassword });
  const owner = callAs(app, { cookie: ownerCookie });
  // B's importer was made when B was saved: its ledger comes in without a restart.
  await expect.poll(() => captured(owner, `?storeId=${storeB}`), { timeout: 30_000 }).toBe(atB.amount.value);
  await expect.poll(() => captured(owner, "?storeId=store-1"), { timeout: 30_000 }).toBe(atA.amount.value);
  expect(await captured(owner)).toBe(atA.amount.value + atB.amount.value);

  await addStaff(app, ownerCookie, { username: "mia", role: "manager", password: "mia-password-1" });
  await addStaff(app, ownerCookie, {
    username: "bo",
    role: "manager",
    password: "bo-password-12",
    storeIds: [storeB],
  });
  const managerA = callAs(app, { cookie: await signIn(app, { username: "mia", password: "mia-password-1" }) });
  const managerB = callAs(app, { cookie: await signIn(app, { username: "bo", password: "bo-password-12" }) });

  expect(await captured(managerA)).toBe(atA.amount.value);
  expect(await captured(managerB)).toBe(atB.amount.value);
  expect(await captured(managerB, `?storeId=${storeB}`)).toBe(atB.amount.value);
  expect((await managerA(`/api/v1/settlements?storeId=${storeB}`)).status).toBe(404);
  expect((await managerB("/api/v1/settlements?storeId=store-1")).status).toBe(404);

  const { items } = (await (await managerA("/api/v1/settlements")).json()) as { items: Day[] };
  const ledgerDate = items[0]!.ledgerDate;
  const detailA = await (await managerA(`/api/v1/settlements/${ledgerDate}`)).json();
  expect(detailA.sales.map((sale: { saleId: string }) => sale.saleId)).toEqual([atA.id]);
  const detailB = await (await managerB(`/api/v1/settlements/${ledgerDate}`)).json();
  expect(detailB.sales.map((sale: { saleId: string }) => sale.saleId)).toEqual([atB.id]);
  expect((await managerA(`/api/v1/settlements/${ledgerDate}?storeId=${storeB}`)).status).toBe(404);

  const csvA = await (await managerA(`/api/v1/settlements/export.csv?format=csv`)).text();
  expect(csvA).toContain(atA.id);
  expect(csvA).not.toContain(atB.id);
  const csvB = await managerB(`/api/v1/settlements/export.csv?format=csv&storeId=${storeB}`);
  expect(csvB.status).toBe(200);
  const csvBody = await csvB.text();
  expect(csvBody).toContain(atB.id);
  expect(csvBody).not.toContain(atA.id);
  expect((await managerA(`/api/v1/settlements/export.csv?storeId=${storeB}`)).status).toBe(404);
  // The deployment's API key sees every store, the one it names included, with answers as the document says.
  expect(await captured((path) => app.api(path), `?storeId=${storeB}`)).toBe(atB.amount.value);

  // The owner, who has both stores, picks one on the Settlements page.
  const { context, page } = await signInAdmin(browser, app);
  try {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${app.url}/admin/settlements`);
    const picker = page.getByTestId("store-picker");
    await expect(picker.locator("option")).toHaveText([/All your stores/, /123456/, /654321/]);
    await expect(page.getByTestId("settlement-day")).toHaveCount(1);
    await picker.selectOption(storeB);
    await expect(page.getByTestId("settlement-day").first()).toContainText("222");
    await page.getByTestId("settlement-day").first().getByRole("button").click();
    await expect(page.getByTestId("settlement-detail")).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/admin-settlements-stores.png`, fullPage: true });
  } finally {
    await context.close();
  }
});
