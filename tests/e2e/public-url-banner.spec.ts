// The quick start leaves PUBLIC_URL at localhost, and QR codes and display links point there, where
// no phone or tablet can follow them. Here PUBLIC_URL says localhost while the cashier opens the
// admin at 127.0.0.1, as they would open it at the machine's LAN address: the admin says so, with
// the line that fixes it, and says nothing once the two agree.
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { saveScreenshot } from "./support/e2e";

test.use({ appOptions: { publicHost: "localhost" } });

async function signInAt(browser: Browser, origin: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "en-GB" });
  const page = await context.newPage();
  await page.goto(`${origin}/admin/login`);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${origin}/admin`);
  return page;
}

test("the admin opened under another host than PUBLIC_URL's warns, with the one-line fix", async ({ app, browser }) => {
  const page = await signInAt(browser, `http://127.0.0.1:${app.port}`, app.adminPassword);
  const banner = page.getByTestId("public-url-banner");
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(
    `QR codes and display links point at localhost:${app.port}, but this page is open at 127.0.0.1:${app.port}.`,
  );
  await expect(banner.locator("code")).toHaveText(`PUBLIC_URL=http://127.0.0.1:${app.port} npm start`);
  // On every signed-in page, not only the till.
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Terminals" }).click();
  await page.waitForURL(/\/admin\/terminals$/);
  await expect(banner).toBeVisible();
  await saveScreenshot(page, "admin-public-url-banner");
  // Readable: no WCAG A or AA rule broken by the banner (contrast of its text and its code line).
  const axe = await new AxeBuilder({ page })
    .include('[data-testid="public-url-banner"]')
    .withTags(["wcag2a", "wcag2aa", "wcag21aa"])
    .analyze();
  expect(axe.violations.map((violation) => violation.id)).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  await saveScreenshot(page, "admin-public-url-banner-phone");
  await page.context().close();
});

test("the admin opened under PUBLIC_URL's host shows no warning", async ({ app, browser }) => {
  const page = await signInAt(browser, `http://localhost:${app.port}`, app.adminPassword);
  await expect(page.getByRole("navigation", { name: "Admin" })).toBeVisible();
  // The banner would appear with hydration: a click that switches the till's mode proves it is done.
  await page.getByTestId("till-mode-amount").click();
  await expect(page.getByTestId("till-amount")).toBeVisible();
  await expect(page.getByTestId("public-url-banner")).toHaveCount(0);
  await page.context().close();
});
