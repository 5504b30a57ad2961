// Shop branding in the browser: the cashier uploads a logo and picks an accent colour in Settings
// (a hostile SVG and a colour too dark for the display are refused there), and the customer
// display shows both, between sales and next to the QR, following every change live.
import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { SAMPLE_ACCENT, SAMPLE_ACCENT_RGB, SAMPLE_LOGO_SVG } from "./support/branding";
import {
  createSale,
  expectPhase,
  LANDSCAPE,
  openDisplay,
  PORTRAIT,
  readDisplayQr,
  saveScreenshot,
  signInAdmin,
} from "./support/e2e";

/** The logo is on screen and its image really loaded (an <img> whose load failed is not "visible" proof). */
async function expectLogoLoaded(page: Page, testId: string): Promise<void> {
  const logo = page.getByTestId(testId);
  await expect(logo).toBeVisible();
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
}

/** The accent a screen part passes to its highlights, as the CSS custom property --brand. */
function brandOf(page: Page, selector: string) {
  return () =>
    page
      .locator(selector)
      .first()
      .evaluate((element) => getComputedStyle(element).getPropertyValue("--brand").trim());
}

test("a logo and an accent colour chosen in Settings appear on the idle and the sale screen", async ({
  app,
  browser,
}) => {
  // Four pages side by side (two displays, the till or settings, a phone) on a shared two-core machine.
  test.setTimeout(180_000);
  const cashier = await signInAdmin(browser, app);
  const settings = cashier.page;
  await settings.goto(`${app.url}/admin/settings`);
  const file = settings.getByTestId("branding-logo-file");

  await file.setInputFiles({ name: "logo.svg", mimeType: "image/svg+xml", buffer: Buffer.from(SAMPLE_LOGO_SVG) });
  await expect(settings.getByText("Logo saved.")).toBeVisible();
  await expectLogoLoaded(settings, "branding-logo-preview");

  // A hostile SVG is refused with the reason, and the logo stays.
  await file.setInputFiles({
    name: "evil.svg",
    mimeType: "image/svg+xml",
    buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'),
  });
  await expect(settings.getByRole("alert").filter({ hasText: "event-handler attribute (onload" })).toBeVisible();
  await expectLogoLoaded(settings, "branding-logo-preview");

  // A colour too dark for the display cannot be saved; a light one can.
  const accent = settings.getByTestId("branding-accent");
  const save = settings.getByRole("button", { name: "Save colour" });
  await accent.fill("#1a237e");
  await expect(settings.getByTestId("branding-contrast")).toContainText("Too dark for the display");
  await expect(save).toBeDisabled();
  await accent.fill(SAMPLE_ACCENT);
  await expect(settings.getByTestId("branding-contrast")).toContainText("Contrast on the display:");
  await save.click();
  await expect(settings.getByText("Colour saved.")).toBeVisible();
  await expect.poll(brandOf(settings, '[data-testid="branding-preview"]')).toBe(SAMPLE_ACCENT);

  // The idle screen: the logo loaded, the accent on its highlights, in both orientations.
  const display = await openDisplay(browser, app, LANDSCAPE);
  await expectLogoLoaded(display.page, "display-logo");
  await expect(display.page.getByTestId("display-accent")).toHaveCSS("background-color", SAMPLE_ACCENT_RGB);
  await saveScreenshot(display.page, "branding-idle-landscape");
  const portrait = await openDisplay(browser, app, PORTRAIT);
  await expectLogoLoaded(portrait.page, "display-logo");
  await saveScreenshot(portrait.page, "branding-idle-portrait");

  // The sale screen: the logo by the shop's name, the accent on the countdown; the QR still reads.
  const sale = await createSale(app);
  for (const page of [display.page, portrait.page]) {
    await expectPhase(page, "pending");
    await expectLogoLoaded(page, "display-logo");
    await expect.poll(brandOf(page, ".sale-grid")).toBe(SAMPLE_ACCENT);
    expect(await readDisplayQr(page)).toMatch(/^https?:\/\//);
  }
  await saveScreenshot(display.page, "branding-sale-landscape");
  await saveScreenshot(portrait.page, "branding-sale-portrait");

  // Removing the logo takes it off the screen at once; the default colour comes back.
  await settings.getByRole("button", { name: "Remove logo" }).click();
  await expect(settings.getByText("Logo removed.")).toBeVisible();
  await expect(display.page.getByTestId("display-logo")).toHaveCount(0);
  await settings.getByRole("button", { name: "Use the default" }).click();
  await expect.poll(brandOf(display.page, ".sale-grid")).toBe("#ff5b24");

  expect((await app.api(`/api/v1/sales/${sale.id}/cancel`, { method: "POST" })).status).toBe(200);
  await Promise.all([display.context.close(), portrait.context.close(), cashier.context.close()]);
});
