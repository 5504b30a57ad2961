// The admin's Settlements page in a browser, over the simulator's Report API: three sales over two
// ledger dates, one of them captured but withheld from the ledger. The page draws its chart and
// shows the first date with a difference; opened, the date names the sale the ledger is missing.
// The picture goes to docs/screenshots with `npm run screenshots` (KASSA_SCREENSHOTS_DIR), as the
// README's other pictures do.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "../support/fixtures";
import { advanceClock, createSale, SCREENSHOT_DIR, saleState, signInAdmin, simAction } from "./support/e2e";

test.use({ appOptions: { env: { KASSA_SETTLEMENT_POLL_SECONDS: "1" } } });

const OUT_DIR = process.env.KASSA_SCREENSHOTS_DIR
  ? path.resolve(process.env.KASSA_SCREENSHOTS_DIR)
  : path.join(SCREENSHOT_DIR, "readme");
const DAY_MS = 24 * 60 * 60 * 1000;

async function paid(app: Parameters<typeof createSale>[0], withhold = false) {
  const sale = await createSale(app);
  if (withhold) {
    const config = await app.sim("/report/config", { method: "PUT", json: { withholdReferences: [sale.reference] } });
    expect(config.status).toBe(200);
  }
  await simAction(app, sale.reference, "approve");
  await expect.poll(() => saleState(app, sale.id)).toBe("captured");
  return sale;
}

test("the Settlements page charts the last 30 days and opens a day to the sale its ledger is missing", async ({
  app,
  browser,
}) => {
  test.setTimeout(120_000);
  await paid(app);
  const withheld = await paid(app, true);
  await advanceClock(app, DAY_MS);
  await paid(app);
  const refund = await app.api(`/api/v1/sales/${withheld.id}/refund`, { method: "POST", json: { amount: 4900 } });
  expect(refund.status).toBe(200);
  await advanceClock(app, DAY_MS + 60_000);

  const { page } = await signInAdmin(browser, app);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${app.url}/admin/settlements`);
  await expect(page.getByRole("heading", { name: /Oppgjør|Settlements/ })).toBeVisible();
  // uPlot draws into a canvas inside the chart's box.
  await expect(page.getByTestId("settlement-chart").locator("canvas")).toHaveCount(1);
  const days = page.getByTestId("settlement-day");
  await expect(days).toHaveCount(2, { timeout: 30_000 });
  const withDifference = page.locator('[data-testid="settlement-day"]:has([data-status="differences"])');
  await expect(withDifference).toHaveCount(1, { timeout: 30_000 });
  await withDifference.getByRole("button").click();
  const differences = page.getByTestId("settlement-differences");
  await expect(differences).toBeVisible();
  const receipt = await (await app.api(`/api/v1/sales/${withheld.id}`)).json();
  await expect(differences).toContainText(`#${receipt.receiptNumber}`);

  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(OUT_DIR, "settlements.png"), animations: "disabled", caret: "hide" });
});
