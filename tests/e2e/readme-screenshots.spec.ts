// The README's pictures, taken from a real sale and checked like any browser test: the branded idle
// display, the display with its QR in landscape and portrait, the till with its mirror of the
// customer's screen, and the simulated phone page the QR opens.
//
// `npm run screenshots` runs this file with KASSA_SCREENSHOTS_DIR=docs/screenshots, and the PNGs
// land there. Without it they go to the test artifacts like every other screenshot, so ordinary
// test runs never touch docs/.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { BrowserContextOptions, Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { requireQrFromPng } from "../support/qr";
import { brandShop } from "./support/branding";
import {
  displayUrl,
  expectPhase,
  LANDSCAPE,
  PORTRAIT,
  readDisplayQr,
  SCREENSHOT_DIR,
  signInAdmin,
} from "./support/e2e";

const OUT_DIR = process.env.KASSA_SCREENSHOTS_DIR
  ? path.resolve(process.env.KASSA_SCREENSHOTS_DIR)
  : path.join(SCREENSHOT_DIR, "readme");

/** One CSS pixel per image pixel keeps the files small; animations are settled so a picture is never caught mid-fade. */
async function picture(page: Page, name: string): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(OUT_DIR, `${name}.png`), animations: "disabled", caret: "hide" });
}

const kiosk = (viewport: { width: number; height: number }): BrowserContextOptions => ({
  viewport,
  deviceScaleFactor: 1,
  locale: "nb-NO",
});

test("README screenshots: the display idle and with its QR, the till with its mirror, the phone page", async ({
  app,
  browser,
}) => {
  // Four pages side by side (two displays, the till or settings, a phone) on a shared two-core machine.
  test.setTimeout(180_000);
  await brandShop(app);
  const link = await displayUrl(app);

  const landscape = await (await browser.newContext(kiosk(LANDSCAPE))).newPage();
  const portrait = await (await browser.newContext(kiosk(PORTRAIT))).newPage();
  for (const page of [landscape, portrait]) {
    await page.goto(link);
    await expectPhase(page, "idle");
    await expect(page.getByRole("heading", { name: "Kassa demo shop" })).toBeVisible();
    const logo = page.getByTestId("display-logo");
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  }
  await picture(landscape, "display-idle");

  // The cashier rings up a coffee order and charges it; both displays show the same QR.
  const cashier = await signInAdmin(browser, app);
  const till = cashier.page;
  await expect(till.getByTestId("no-display-warning")).toHaveCount(0);
  for (const product of ["p2", "p2", "p3", "p1"]) await till.getByTestId(`product-${product}`).click();
  await expect(till.getByTestId("till-total")).toHaveText(/182/);
  await till.getByTestId("charge").click();
  for (const page of [landscape, portrait]) await expectPhase(page, "pending");
  const qrUrl = await readDisplayQr(landscape);
  expect(await readDisplayQr(portrait)).toBe(qrUrl);
  for (const page of [landscape, portrait]) await expect(page.getByTestId("display-amount")).toHaveText(/182/);
  await picture(landscape, "display-qr-landscape");
  await picture(portrait, "display-qr-portrait");

  // The till mirrors the customer's screen: the same QR, decodable from the till's own pixels.
  const mirror = till.getByTestId("till-mirror");
  await expect(mirror).toHaveAttribute("data-phase", "pending");
  expect(requireQrFromPng(await till.getByTestId("mirror-qr").screenshot())).toBe(qrUrl);
  await picture(till, "till-mirror");

  // The customer's phone opens the QR: the simulated wallet app asks to pay the same amount.
  const phoneContext = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: "nb-NO",
  });
  const phone = await phoneContext.newPage();
  await phone.goto(qrUrl);
  await expect(phone.getByTestId("phone-merchant")).toContainText("Kassa demo shop");
  await expect(phone.getByTestId("phone-amount")).toContainText("182");
  await expect(phone.getByTestId("phone-pay")).toBeVisible();
  await picture(phone, "phone");

  // Paying finishes the sale everywhere.
  await phone.getByTestId("phone-pay").click();
  for (const page of [landscape, portrait]) await expectPhase(page, "paid");
  await expect(till.getByTestId("sale-state")).toHaveAttribute("data-state", "captured");

  await Promise.all([
    landscape.context().close(),
    portrait.context().close(),
    phoneContext.close(),
    cashier.context.close(),
  ]);
});
