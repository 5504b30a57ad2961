// The customer's receipt: the paid screen shows a small QR of it, a phone camera reads it off the
// screen (pixels only), and the page it opens carries the seller, the lines, VAT by rate and the
// payment. A setting turns the QR off.
import { expect, test } from "../support/fixtures";
import { requireQrFromPng } from "../support/qr";
import { createSale, expectPhase, openDisplay, saveScreenshot, simAction } from "./support/e2e";

const LINES = {
  terminalId: "pos-1",
  currency: "NOK",
  posReference: "KV-4711",
  lines: [
    { name: "Cappuccino", quantity: 2, unitPrice: 4900, taxRate: 1500 },
    { name: "Ear buds", quantity: 1, unitPrice: 42924, taxRate: 2500 },
  ],
};

/** "kr 1 234,56" and the like, with whatever spaces the locale uses, as plain digits and a comma. */
const digits = (text: string | null) => (text ?? "").replace(/[^\d,−-]/g, "");

test("the paid screen's receipt QR opens the receipt with the right lines and VAT", async ({ app, browser }) => {
  const settings = await app.api("/api/v1/settings", {
    method: "PATCH",
    json: { organisationNumber: "912 345 678 MVA", address: "Storgata 1, 0155 Oslo", receiptQr: true },
  });
  expect(settings.status).toBe(200);
  const display = await openDisplay(browser, app);
  const sale = await createSale(app, LINES);
  await expectPhase(display.page, "pending");
  await simAction(app, sale.reference, "approve");
  await expectPhase(display.page, "paid");
  await expect(display.page.getByTestId("receipt-qr")).toBeVisible();
  await saveScreenshot(display.page, "display-paid-receipt-qr");
  const fromScreen = requireQrFromPng(await display.page.screenshot());
  const view = (await (await app.api(`/api/v1/sales/${sale.id}`)).json()) as { receiptUrl: string };
  expect(fromScreen).toBe(view.receiptUrl);

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "nb-NO" });
  const page = await phone.newPage();
  const response = await page.goto(fromScreen);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kassa demo shop");
  await expect(page.getByText("912 345 678 MVA")).toBeVisible();
  await expect(page.getByText("Storgata 1, 0155 Oslo")).toBeVisible();
  await expect(page.getByTestId("pos-reference")).toHaveText("KV-4711");
  const lines = page.getByTestId("receipt-lines").locator("tbody tr");
  await expect(lines).toHaveCount(2);
  await expect(lines.nth(0)).toContainText("2 × Cappuccino");
  expect(digits(await lines.nth(0).locator("td").last().textContent())).toBe("98,00");
  await expect(lines.nth(1)).toContainText("Ear buds");
  expect(digits(await page.getByTestId("receipt-total").textContent())).toBe("527,24");
  // VAT by rate, rounded once per rate: 15 % of 98,00 gross is 12,78; 25 % of 429,24 is 85,85.
  const vat = page.getByTestId("receipt-vat").locator("tbody tr");
  await expect(vat).toHaveCount(2);
  expect((await vat.nth(0).locator("td").allTextContents()).map(digits)).toEqual(["15", "85,22", "12,78"]);
  expect((await vat.nth(1).locator("td").allTextContents()).map(digits)).toEqual(["25", "343,39", "85,85"]);
  await expect(page.getByText(sale.reference)).toBeVisible();
  await expect(page.getByText(/Vipps/).first()).toBeVisible();
  await page.screenshot({ path: "tests/artifacts/screenshots/receipt-page.png", fullPage: true });

  // A refund shows on the receipt.
  const refund = await app.api(`/api/v1/sales/${sale.id}/refund`, { method: "POST", json: { amount: 4900 } });
  expect(refund.status).toBe(200);
  await page.reload();
  await expect(page.getByTestId("receipt-refunds")).toContainText("49,00");
  await phone.close();

  // Turned off, the paid screen shows no receipt QR.
  await app.api("/api/v1/settings", { method: "PATCH", json: { receiptQr: false } });
  const second = await createSale(app, LINES);
  await expectPhase(display.page, "pending");
  await simAction(app, second.reference, "approve");
  await expectPhase(display.page, "paid");
  await expect(display.page.getByTestId("receipt-qr")).toHaveCount(0);
  await display.context.close();
});
