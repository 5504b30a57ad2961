/**
 * Signs in to a running app and screenshots the admin pages on a desktop, a tablet and a phone.
 * Usage: npx tsx tests/e2e/tools/preview-admin.ts <app url> <admin password> [out dir]
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright";

const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "tablet", width: 820, height: 1180 },
  { name: "phone", width: 390, height: 844 },
];

async function main() {
  const base = process.argv[2] ?? "http://127.0.0.1:3999";
  const password = process.argv[3] ?? "";
  const outDir = path.resolve(process.argv[4] ?? "tests/artifacts/preview-admin");
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined,
  });
  for (const viewport of VIEWPORTS) {
    const context = await browser.newContext({
      viewport: { width: viewport.width, height: viewport.height },
      locale: "en-GB",
    });
    const page = await context.newPage();
    await page.goto(`${base}/admin/login`);
    await page.screenshot({ path: path.join(outDir, `${viewport.name}-login.png`) });
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/admin`);
    await page.waitForTimeout(1500);
    const cards = page.locator('[data-testid^="product-p"]');
    if ((await cards.count()) > 1) {
      await cards.nth(1).click();
      await cards.nth(1).click();
      await cards.nth(2).click();
    }
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(outDir, `${viewport.name}-till.png`), fullPage: true });
    for (const route of ["sales", "terminals", "products", "settings"]) {
      await page.goto(`${base}/admin/${route}`);
      await page.waitForTimeout(1500);
      await page.screenshot({ path: path.join(outDir, `${viewport.name}-${route}.png`), fullPage: true });
    }
    const firstSale = page.locator('[data-testid="sales-row"] a').last();
    await page.goto(`${base}/admin/sales`);
    await page.waitForTimeout(1000);
    if (await firstSale.count()) {
      await page.goto(`${base}${await firstSale.getAttribute("href")}`);
      await page.getByTestId("sale-panel").waitFor({ timeout: 20_000 });
      await page.getByTestId("sale-events").waitFor({ timeout: 20_000 });
      await page.screenshot({ path: path.join(outDir, `${viewport.name}-sale.png`), fullPage: true });
    }
    await context.close();
  }
  await browser.close();
  console.log(`Wrote screenshots to ${outDir}`);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
