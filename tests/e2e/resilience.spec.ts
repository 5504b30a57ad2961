// The display must keep telling the truth when its live stream breaks or the server restarts.
import { expect, test } from "../support/fixtures";
import { createSale, expectPhase, openDisplay, readDisplayQr, simAction, waitForIdle } from "./support/e2e";

test.describe.configure({ mode: "serial" });

test("with the event stream cut the display falls back to polling, and reconnects when it returns", async ({
  app,
  browser,
}) => {
  const display = await openDisplay(browser, app);
  await expect(display.page.getByTestId("display-phase")).toHaveAttribute("data-connection", "live");

  // Cut the stream: block new connections, then drop the open one by reloading the page.
  await display.page.route("**/api/display/*/events*", (route) => route.abort("connectionreset"));
  await display.page.reload();
  await expectPhase(display.page, "idle");
  await expect(display.page.getByTestId("display-phase")).toHaveAttribute("data-connection", "polling");

  const sale = await createSale(app);
  await expectPhase(display.page, "pending", 5_000);
  await readDisplayQr(display.page);
  await simAction(app, sale.reference, "approve");
  await expectPhase(display.page, "paid", 5_000);
  await expect(display.page.getByTestId("display-offline")).toBeVisible();
  // Told to screen readers too, through a live region that was there before the notice.
  await expect(display.page.getByTestId("display-connection-status")).toHaveText(/\S/);
  await expect(display.page.getByTestId("display-connection-status")).toHaveAttribute("aria-live", "polite");

  // Restore: the display reconnects by itself, without anyone touching it.
  await display.page.unroute("**/api/display/*/events*");
  await expect(display.page.getByTestId("display-phase")).toHaveAttribute("data-connection", "live", {
    timeout: 20_000,
  });
  await expect(display.page.getByTestId("display-offline")).toHaveCount(0);
  await expect(display.page.getByTestId("display-connection-status")).toHaveText("");
  await waitForIdle(display.page);

  const next = await createSale(app);
  await expectPhase(display.page, "pending", 5_000);
  await simAction(app, next.reference, "approve");
  await expectPhase(display.page, "paid", 5_000);
  await display.context.close();
});

test("after a server restart mid-sale the display shows the same sale again, and then the payment", async ({
  app,
  browser,
}) => {
  const display = await openDisplay(browser, app);
  const sale = await createSale(app);
  await expectPhase(display.page, "pending");
  const before = await readDisplayQr(display.page);

  await app.restart();
  // While it was down the display kept the sale on screen; now it is live again.
  await expect(display.page.getByTestId("display-phase")).toHaveAttribute("data-connection", "live", {
    timeout: 20_000,
  });
  await expectPhase(display.page, "pending");
  expect(await readDisplayQr(display.page)).toBe(before);

  await simAction(app, sale.reference, "approve");
  await expectPhase(display.page, "paid", 5_000);

  // A reload shows the right state at once, not a blank or idle screen first.
  await display.page.reload();
  await expectPhase(display.page, "paid", 5_000);
  await display.context.close();
});
