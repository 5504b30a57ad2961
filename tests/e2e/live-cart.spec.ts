// The live cart in the browser: the cashier taps products and the customer display shows the
// basket building, line by line with the running total; emptying it returns the display to idle.
import { expect, test } from "../support/fixtures";
import { expectPhase, openDisplay, saveScreenshot, signInAdmin } from "./support/e2e";

test("the display follows the till's basket as it is rung up, and goes idle when it is emptied", async ({
  app,
  browser,
}) => {
  const display = await openDisplay(browser, app);
  // The cashier's till speaks English; the display speaks the terminal's language (Norwegian).
  const cashier = await signInAdmin(browser, app);
  const till = cashier.page;
  await expectPhase(display.page, "idle");

  await till.getByTestId("product-p2").click();
  await expectPhase(display.page, "cart", 5_000);
  await expect(display.page.getByTestId("display-lines")).toContainText("1×");
  await till.getByTestId("product-p2").click();
  await till.getByTestId("product-p4").click();
  const lines = display.page.getByTestId("display-lines").locator("li");
  await expect(lines).toHaveCount(2, { timeout: 5_000 });
  await expect(lines.first()).toContainText("2×");
  await expect(display.page.getByTestId("display-cart-total")).toContainText("527,24");
  await expect(display.page.getByTestId("display-qr")).toHaveCount(0);
  await saveScreenshot(display.page, "live-cart-display");

  // Emptying the basket returns the display to idle.
  const oneLess = till.getByRole("button", { name: /^One less / });
  for (let taps = 0; taps < 3; taps++) await oneLess.first().click();
  await expect(oneLess).toHaveCount(0);
  await expectPhase(display.page, "idle", 5_000);
});

test("an amount typed on the till shows on the display before Charge, with its description", async ({
  app,
  browser,
}) => {
  const display = await openDisplay(browser, app);
  const cashier = await signInAdmin(browser, app);
  const till = cashier.page;
  await expectPhase(display.page, "idle");
  await till.getByTestId("till-mode-amount").click();
  await till.getByTestId("till-amount").fill("249,50");
  await expectPhase(display.page, "cart", 5_000);
  await expect(display.page.getByTestId("display-cart-total")).toContainText("249,50");
  await till.getByTestId("till-description").fill("Sykkelreparasjon");
  await expect(display.page.getByTestId("display-lines")).toContainText("Sykkelreparasjon", { timeout: 5_000 });
  await expect(display.page.getByTestId("display-qr")).toHaveCount(0);
  // Clearing the amount returns the display to idle.
  await till.getByTestId("till-amount").fill("");
  await expectPhase(display.page, "idle", 5_000);
});
