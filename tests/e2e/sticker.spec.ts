// The sticker at the till (Vipps' merchant callback QR) and the customer's own QR: with no customer
// display at all, the payment request reaches the customer's phone and the till sees it paid.
import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { expectPhase, openDisplay, saveScreenshot, signInAdmin } from "./support/e2e";

const PHONE = "4791234567";

/** The phone's inbox, reloaded until a payment request is there (it has no live updates). */
async function waitForRequest(phone: Page): Promise<void> {
  await expect(async () => {
    await phone.reload();
    await expect(phone.getByTestId("push-request")).toHaveCount(1, { timeout: 500 });
  }).toPass({ timeout: 15_000 });
}

test("with the display closed, the customer scans the sticker on their phone, pays there, and the till shows it paid", async ({
  app,
  browser,
}) => {
  const cashier = await signInAdmin(browser, app);

  // The admin prints the till's sticker: an A6 page with its QR code.
  const print = await cashier.context.newPage();
  await print.goto(`${app.url}/admin/print/stickers/pos-1`);
  const sticker = print.getByTestId("sticker-print");
  await expect(sticker).toHaveAttribute("data-merchant-qr-id", "kassa-pos-1");
  await expect(print.getByTestId("sticker-terminal")).toHaveText("Counter 1");
  await expect(print.getByTestId("sticker-call")).toContainText(/Scan to pay with Vipps/);
  await expect(sticker.locator("svg")).toBeVisible();
  await saveScreenshot(print, "sticker-print");
  const { qrContent } = (await (await app.api("/api/v1/terminals/pos-1/sticker", { method: "POST" })).json()) as {
    qrContent: string;
  };

  // The cashier charges; no customer display is open anywhere.
  const till = cashier.page;
  await till.getByTestId("product-p2").click();
  await till.getByTestId("charge").click();
  await expect(till.getByTestId("sale-state")).toHaveAttribute("data-state", "pending");

  // The customer's phone reads the sticker and checks in as its number.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(qrContent);
  await expect(phone.getByTestId("sticker-location")).toHaveText("Counter 1");
  await phone.getByTestId("sticker-phone-number").fill(PHONE);
  await phone.getByTestId("sticker-scan").click();
  await expect(phone).toHaveURL(new RegExp(`/sim/phone/${PHONE}$`));
  await waitForRequest(phone);
  await expect(till.getByTestId("sale-push-status")).toBeVisible();
  await saveScreenshot(phone, "sticker-phone");
  await phone.getByTestId("phone-pay").click();

  await expect(till.getByTestId("sale-state")).toHaveAttribute("data-state", "captured", { timeout: 15_000 });
  const saleId = await till.getByTestId("sale-panel").getAttribute("data-sale-id");
  const sale = (await (await app.api(`/api/v1/sales/${saleId}`)).json()) as { state: string; flow: string };
  expect(sale).toMatchObject({ state: "captured", flow: "push" });
});

test("the cashier scans the customer's personal QR into the till's scanner field and the request goes to that phone", async ({
  app,
  browser,
}) => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(`${app.url}/sim/phone/${PHONE}`);
  const personalQr = (await phone.getByTestId("personal-qr-content").textContent())!.trim();
  expect(personalQr).toMatch(new RegExp(`/sim/personal-qr/${PHONE}\\?v=1$`));

  const { page: till } = await signInAdmin(browser, app);
  await till.getByTestId("product-p2").click();
  // A keyboard-wedge scanner types the code's content and presses Enter.
  await till.getByTestId("customer-qr").pressSequentially(personalQr, { delay: 1 });
  await till.getByTestId("customer-qr").press("Enter");
  await expect(till.getByTestId("sale-state")).toHaveAttribute("data-state", "pending");
  await expect(till.getByTestId("sale-push-status")).toBeVisible();

  await waitForRequest(phone);
  await phone.getByTestId("phone-pay").click();
  await expect(till.getByTestId("sale-state")).toHaveAttribute("data-state", "captured", { timeout: 15_000 });
});

test("a scan before the cashier charges asks the customer, on the display in its language, to wait for the cashier", async ({
  app,
  browser,
}) => {
  const display = await openDisplay(browser, app);
  const made = await app.api("/api/v1/terminals/pos-1/sticker", { method: "POST" });
  expect(made.status).toBe(200);
  const scanned = await app.sim("/stickers/kassa-pos-1/scan", { method: "POST", json: { phoneNumber: PHONE } });
  expect(scanned.status).toBe(200);
  const notice = display.page.getByTestId("display-check-in");
  // Counter 1 speaks Norwegian.
  await expect(notice).toContainText("Vent til kassen");
  await expectPhase(display.page, "idle");
  await saveScreenshot(display.page, "sticker-display-wait");
  // It is a moment's message: the idle screen returns on its own.
  await expect(notice).toHaveCount(0, { timeout: 20_000 });
});
