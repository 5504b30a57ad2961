/**
 * Renders every display phase at the kiosk sizes from fixture states and writes PNGs, so a person
 * can look at the layouts. Usage: npx tsx tests/e2e/tools/preview-display.ts <app url> [out dir]
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright";
import type { DisplayPhase } from "@/lib/display/display-state";
import { fixtureState } from "../support/display-fixtures";

const VIEWPORTS = [
  { name: "1920x1080", width: 1920, height: 1080 },
  { name: "1280x800", width: 1280, height: 800 },
  { name: "1080x1920", width: 1080, height: 1920 },
  { name: "800x480", width: 800, height: 480 },
];
const PHASES: (DisplayPhase | "pending-long" | "pending-en")[] = [
  "idle",
  "pending",
  "pending-long",
  "pending-en",
  "approved",
  "paid",
  "declined",
  "cancelled",
  "expired",
  "failed",
];

async function main() {
  const base = process.argv[2] ?? "http://127.0.0.1:3999";
  const outDir = path.resolve(process.argv[3] ?? "tests/artifacts/preview");
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined,
  });
  for (const viewport of VIEWPORTS) {
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    const page = await context.newPage();
    for (const name of PHASES) {
      const phase = name.startsWith("pending") ? "pending" : (name as DisplayPhase);
      const state = fixtureState(phase, {
        long: name === "pending-long",
        language: name === "pending-en" ? "en" : "nb",
      });
      await page.unroute("**/api/display/**");
      await page.route("**/api/display/*/state*", (route) =>
        route.fulfill({
          status: 200,
          contentType: "application/json",
          body: JSON.stringify({ ...state, serverTime: new Date().toISOString() }),
        }),
      );
      await page.route("**/api/display/*/events*", (route) => route.abort());
      await page.goto(`${base}/display/pos-1?token=preview`);
      await page.locator(`[data-phase="${phase}"]`).waitFor({ timeout: 15_000 });
      await page.waitForTimeout(700);
      await page.screenshot({ path: path.join(outDir, `${viewport.name}-${name}.png`) });
    }
    for (const route of ["/display", "/", "/thanks"]) {
      await page.unroute("**/api/display/**");
      await page.goto(`${base}${route}`);
      await page.waitForTimeout(1200);
      await page.screenshot({
        path: path.join(outDir, `${viewport.name}-page${route.replace(/\//g, "_") || "_root"}.png`),
      });
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
