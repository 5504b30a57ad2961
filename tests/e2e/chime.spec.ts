// The success chime: made in the browser when the display sees a payment go through, once per
// sale, never on a reload of the paid screen, and not at all when the terminal turns it off.
import { expect, test } from "../support/fixtures";
import { createSale, expectPhase, openDisplay, signInAdmin } from "./support/e2e";

const chimes = (page: import("@playwright/test").Page) =>
  page.evaluate(() => Number(document.documentElement.dataset.chimes ?? "0"));

test("the display chimes once when a payment goes through, stays quiet on reload, and not at all when turned off", async ({
  app,
  browser,
}) => {
  const display = await openDisplay(browser, app);
  await expectPhase(display.page, "idle");

  const first = await createSale(app);
  await expectPhase(display.page, "pending");
  expect((await app.sim(`/payments/${first.reference}/approve`, { method: "POST" })).status).toBeLessThan(300);
  await expectPhase(display.page, "paid");
  await expect.poll(() => chimes(display.page)).toBe(1);
  // A reload during the paid screen does not chime again.
  await display.page.reload();
  await expectPhase(display.page, "paid");
  // A chime that must not come cannot be awaited: half a second for one that would follow the paid screen.
  await display.page.waitForTimeout(500);
  expect(await chimes(display.page)).toBe(0);

  // The cashier turns the chime off for this terminal in the terminals page.
  const cashier = await signInAdmin(browser, app);
  await cashier.page.goto(`${app.url}/admin/terminals`);
  await cashier.page.getByTestId("terminal-chime-pos-1").uncheck();
  await cashier.page.getByTestId("terminal-form-pos-1").getByRole("button", { name: "Save" }).click();
  await expect
    .poll(async () => ((await (await app.api("/api/v1/terminals/pos-1")).json()) as { chime: boolean }).chime)
    .toBe(false);

  await expectPhase(display.page, "idle", 15_000);
  const second = await createSale(app);
  await expectPhase(display.page, "pending");
  await app.sim(`/payments/${second.reference}/approve`, { method: "POST" });
  await expectPhase(display.page, "paid");
  await display.page.waitForTimeout(500);
  expect(await chimes(display.page)).toBe(0);
});
