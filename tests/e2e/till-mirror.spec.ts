// The cashier's mirror: the till shows what the customer display shows for the sale in progress,
// with a QR that decodes to the same payment, the countdown and the status.
import { expect, test } from "../support/fixtures";
import { requireQrFromPng } from "../support/qr";
import { expectPhase, openDisplay, readDisplayQr, saveScreenshot, signInAdmin } from "./support/e2e";

test("the till's mirror shows the sale's QR (decodable, the display's own), its countdown and its status", async ({
  app,
  browser,
}) => {
  const display = await openDisplay(browser, app);
  const cashier = await signInAdmin(browser, app);
  const till = cashier.page;
  await till.getByTestId("product-p2").click();
  await till.getByTestId("charge").click();
  await expectPhase(display.page, "pending");

  const mirror = till.getByTestId("till-mirror");
  await expect(mirror).toHaveAttribute("data-phase", "pending");
  await expect(till.getByTestId("mirror-countdown")).toHaveText(/^(10:00|09:[0-5]\d)$/);
  const fromMirror = requireQrFromPng(await till.getByTestId("mirror-qr").screenshot());
  const fromDisplay = await readDisplayQr(display.page);
  expect(fromMirror).toBe(fromDisplay);
  const saleId = await till.getByTestId("sale-panel").getAttribute("data-sale-id");
  const sale = (await (await app.api(`/api/v1/sales/${saleId}`)).json()) as { qr: { url: string } };
  expect(fromMirror).toBe(sale.qr.url);
  await saveScreenshot(till, "till-with-mirror");

  // The phone pays from the mirror's code; the mirror follows to the end of the sale.
  const phone = await browser.newPage();
  await phone.goto(fromMirror);
  await phone.getByTestId("phone-pay").click();
  await expect(till.getByTestId("sale-state")).toHaveAttribute("data-state", "captured", { timeout: 10_000 });
  await expect(mirror).toHaveCount(0);
});
