// 12 January 2027: MobilePay becomes Vipps in Denmark and Finland. The app's clock is pinned on
// both sides of the switch (KASSA_BRAND_SWITCH_AT an hour ahead, then the shared clock moved past
// it): a Danish and a Finnish display say "MobilePay" first before, and only Vipps after.
import type { Browser, Page } from "@playwright/test";
import type { AppHandle } from "../support/app-server";
import { expect, test } from "../support/fixtures";
import { displayUrl, expectPhase, saveScreenshot } from "./support/e2e";

const SWITCH_AT = new Date(Date.now() + 60 * 60_000).toISOString();
test.use({ appOptions: { env: { KASSA_SIMULATOR_CONTROLS: "on", KASSA_BRAND_SWITCH_AT: SWITCH_AT } } });

const MARKETS = [
  { id: "dk-1", name: "Kasse 1", language: "da", currency: "DKK" },
  { id: "fi-1", name: "Kassa 1", language: "fi", currency: "EUR" },
] as const;

async function openMarketDisplay(browser: Browser, app: AppHandle, terminalId: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(await displayUrl(app, terminalId));
  await expectPhase(page, "idle");
  return page;
}

async function startSale(app: AppHandle, terminalId: string, currency: string): Promise<string> {
  const response = await app.api("/api/v1/sales", {
    method: "POST",
    json: { terminalId, currency, lines: [{ name: "Kaffe", quantity: 1, unitPrice: 3500, taxRate: 2500 }] },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

test("a Danish and a Finnish display name MobilePay first before the brand change and only Vipps after it", async ({
  app,
  browser,
}) => {
  for (const market of MARKETS) {
    const created = await app.api("/api/v1/terminals", { method: "POST", json: market });
    expect(created.status, await created.clone().text()).toBe(201);
  }
  const displays = await Promise.all(MARKETS.map((market) => openMarketDisplay(browser, app, market.id)));

  // Before: the idle sign says Vipps MobilePay; the call to action names MobilePay first.
  for (const [index, market] of MARKETS.entries()) {
    const page = displays[index]!;
    await expect(page.getByTestId("display-wallet")).toContainText("Vipps MobilePay");
    await startSale(app, market.id, market.currency);
    await expectPhase(page, "pending", 5_000);
    await expect(page.getByTestId("display-phase")).toHaveAttribute("data-wallet-brand", "vipps-mobilepay");
    const callToAction = (await page.getByTestId("display-sale-status").textContent()) ?? "";
    expect(callToAction.indexOf("MobilePay"), `${market.currency}: ${callToAction}`).toBeGreaterThanOrEqual(0);
    expect(callToAction.indexOf("MobilePay")).toBeLessThan(callToAction.indexOf("Vipps"));
  }
  await saveScreenshot(displays[0]!, "brand-before-dkk");

  // The server's clock moves past the switch (the open QRs run out on the way).
  const advance = await app.sim("/clock/advance", { method: "POST", json: { ms: 2 * 60 * 60_000 } });
  expect(advance.status).toBe(200);

  for (const [index, market] of MARKETS.entries()) {
    const page = displays[index]!;
    await startSale(app, market.id, market.currency);
    await expect(page.getByTestId("display-phase")).toHaveAttribute("data-wallet-brand", "vipps", { timeout: 5_000 });
    await expectPhase(page, "pending", 5_000);
    await expect(page.getByTestId("display-sale-status")).toContainText("Vipps");
    await expect(page.locator("main")).not.toContainText("MobilePay");
    await expect(page.getByTestId("display-qr").locator("svg title")).toHaveText(/Vipps/);
    await expect(page.getByTestId("display-qr").locator("svg title")).not.toHaveText(/MobilePay/);
  }
  await saveScreenshot(displays[0]!, "brand-after-dkk");
  await saveScreenshot(displays[1]!, "brand-after-eur");

  // The cashier cancels; the idle screens say Vipps alone too.
  for (const [index, market] of MARKETS.entries()) {
    const terminal = (await (await app.api(`/api/v1/terminals/${market.id}`)).json()) as { activeSaleId: string };
    const cancelled = await app.api(`/api/v1/sales/${terminal.activeSaleId}/cancel`, { method: "POST" });
    expect(cancelled.status, await cancelled.clone().text()).toBe(200);
    await expectPhase(displays[index]!, "idle", 20_000);
    await expect(displays[index]!.getByTestId("display-wallet")).toHaveText(/Vipps/);
    await expect(displays[index]!.getByTestId("display-wallet")).not.toContainText("MobilePay");
  }

  // The phone's app page after the switch says Vipps as well.
  const home = await browser.newPage();
  await home.goto(app.url);
  await expect(home.locator("h1")).toHaveText(/^Vipps at the counter/);
});
