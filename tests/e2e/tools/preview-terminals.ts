/**
 * Signs in to a running app, adds a terminal through the form, replaces a display link, and
 * screenshots the terminals page on a desktop and a phone at each step.
 * Usage: npx tsx tests/e2e/tools/preview-terminals.ts <app url> <admin password> [out dir] [locale]
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright";

const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
];

async function main() {
  const base = process.argv[2] ?? "http://127.0.0.1:3999";
  const password = process.argv[3] ?? "";
  const outDir = path.resolve(process.argv[4] ?? "tests/artifacts/preview-terminals");
  const locale = process.argv[5] ?? "en-GB";
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined,
  });
  for (const [index, viewport] of VIEWPORTS.entries()) {
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, locale });
    const page = await context.newPage();
    page.on("dialog", (dialog) => {
      console.log(`dialog: ${dialog.message()}`);
      void dialog.accept();
    });
    await page.goto(`${base}/admin/login?next=${encodeURIComponent("/admin/terminals")}`);
    await page.locator("input[type=password]").fill(password);
    await page.locator("button[type=submit]").click();
    await page.waitForURL(`${base}/admin/terminals`);
    await page.getByTestId("add-terminal-form").waitFor();
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(outDir, `${viewport.name}-1-start.png`), fullPage: true });

    await page.getByTestId("add-terminal-id").fill("Bad id");
    await page.getByTestId("add-terminal-name").fill(`Counter ${index + 2}`);
    await page.screenshot({ path: path.join(outDir, `${viewport.name}-2-bad-id.png`), fullPage: true });
    await page.getByTestId("add-terminal-id").fill("");
    await page.getByTestId("add-terminal-submit").click();
    await page.getByTestId("add-terminal-success").waitFor();
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(outDir, `${viewport.name}-3-added.png`), fullPage: true });

    await page.getByTestId("rotate-display-link").first().click();
    await page.getByTestId("display-link-replaced").waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(outDir, `${viewport.name}-4-new-link.png`), fullPage: true });
    // Viewport-sized close-ups, readable where the full page is too tall to judge.
    await page.getByTestId("display-link-replaced").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(outDir, `${viewport.name}-5-link-closeup.png`) });
    await page.getByTestId("add-terminal-id").fill("Bad id");
    await page.getByTestId("add-terminal-submit").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(outDir, `${viewport.name}-6-form-closeup.png`) });
    await context.close();
  }
  await browser.close();
  console.log(`Wrote screenshots to ${outDir}`);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
