// KASSA_QR_SOURCE=vipps: the payment is created with qrFormat IMAGE/SVG+XML, the app fetches Vipps'
// own image once and serves it from its origin; the display shows it, a reload still shows it,
// the phone scans it off the screen and pays.
import { expect, test } from "../support/fixtures";
import { createSale, expectPhase, openDisplay, readDisplayQr, saveScreenshot } from "./support/e2e";

test.use({ appOptions: { env: { KASSA_QR_SOURCE: "vipps" } } });

test("the display shows Vipps' own QR image from our origin, after a reload too, and the phone pays from it", async ({
  app,
  browser,
}) => {
  const display = await openDisplay(browser, app);
  const sale = (await createSale(app)) as { id: string; reference: string; qr?: { url: string; imageUrl?: string } };
  expect(sale.qr?.imageUrl).toMatch(new RegExp(`^${app.url}/api/display/qr-image/att_`));
  expect(sale.qr?.url).toContain("/sim/qr-image/");
  const image = await fetch(sale.qr!.imageUrl!);
  expect(image.status).toBe(200);
  expect(image.headers.get("content-type")).toBe("image/svg+xml");
  expect(image.headers.get("content-security-policy")).toContain("default-src 'none'");
  expect(await image.text()).toContain("<svg");

  await expectPhase(display.page, "pending");
  await expect(display.page.getByTestId("display-qr-image")).toBeVisible();
  await display.page.reload();
  await expectPhase(display.page, "pending");
  await expect(display.page.getByTestId("display-qr-image")).toBeVisible();
  await expect
    .poll(() =>
      display.page
        .getByTestId("display-qr-image")
        .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    )
    .toBe(true);
  await saveScreenshot(display.page, "vipps-qr-image-display");
  const target = await readDisplayQr(display.page);
  expect(target).toContain("/sim/qr/");

  const phone = await browser.newPage();
  await phone.goto(target);
  await phone.getByTestId("phone-pay").click();
  await expectPhase(display.page, "paid");
  // Over: our copy is no longer served.
  await expect.poll(async () => (await fetch(sale.qr!.imageUrl!)).status).toBe(404);
});
