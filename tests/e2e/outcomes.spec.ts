// Every way a sale can end other than paid, as the customer and the cashier see it.
import { expect, test } from "../support/fixtures";
import {
  advanceClock,
  createSale,
  expectPhase,
  openDisplay,
  readDisplayQr,
  saleState,
  signInAdmin,
  waitForIdle,
} from "./support/e2e";

test.describe.configure({ mode: "serial" });

test("the customer declines on the phone: the display says so, then returns to idle", async ({ app, browser }) => {
  const display = await openDisplay(browser, app);
  const sale = await createSale(app);
  await expectPhase(display.page, "pending");
  const qrUrl = await readDisplayQr(display.page);

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const phonePage = await phone.newPage();
  await phonePage.goto(qrUrl);
  await phonePage.getByTestId("phone-decline").click();

  await expectPhase(display.page, "declined", 5_000);
  await expect(display.page.getByTestId("display-qr")).toHaveCount(0);
  await expect(display.page.getByRole("heading")).toHaveText("Betalingen ble avvist");
  await expect(display.page.getByTestId("display-outcome-icon")).toBeVisible();
  expect(await saleState(app, sale.id)).toBe("aborted");
  await waitForIdle(display.page);
  await phone.close();
  await display.context.close();
});

test("the cashier cancels: the QR leaves the display at once", async ({ app, browser }) => {
  const display = await openDisplay(browser, app);
  const cashier = await signInAdmin(browser, app);
  await cashier.page.getByTestId("till-mode-amount").click();
  await cashier.page.getByTestId("till-amount").fill("149,50");
  await cashier.page.getByTestId("till-description").fill("Bicycle repair");
  await cashier.page.getByTestId("charge").click();
  await expect(cashier.page.getByTestId("sale-state")).toHaveAttribute("data-state", "pending");

  await expectPhase(display.page, "pending");
  await expect(display.page.getByTestId("display-amount")).toContainText("149,50");
  await expect(display.page.getByTestId("display-lines")).toContainText("Bicycle repair");

  cashier.page.once("dialog", (dialog) => void dialog.accept());
  await cashier.page.getByTestId("sale-cancel").click();
  await expectPhase(display.page, "cancelled", 5_000);
  await expect(display.page.getByTestId("display-qr")).toHaveCount(0);
  await expect(cashier.page.getByTestId("sale-state")).toHaveAttribute("data-state", "cancelled");
  await waitForIdle(display.page);
  await cashier.context.close();
  await display.context.close();
});

test("the QR expires after ten minutes of server time, and the cashier makes a new one", async ({ app, browser }) => {
  const display = await openDisplay(browser, app);
  const cashier = await signInAdmin(browser, app);
  await cashier.page.getByTestId("product-p1").click();
  await cashier.page.getByTestId("charge").click();
  await expect(cashier.page.getByTestId("sale-state")).toHaveAttribute("data-state", "pending");
  await expectPhase(display.page, "pending");
  const firstQr = await readDisplayQr(display.page);

  // Nine minutes in: still scannable, and the countdown follows the server's clock. Nothing is
  // pushed when only the clock moves, so the display learns the new time from its next poll.
  await advanceClock(app, 9 * 60_000);
  await expect(display.page.getByTestId("display-countdown")).toHaveText(/^00:[0-5]\d$/, { timeout: 20_000 });
  await expect(display.page.getByTestId("display-qr")).toBeVisible();

  // Past ten minutes: the QR is gone from the screen immediately.
  await advanceClock(app, 61_000);
  await expect(display.page.getByTestId("display-qr")).toHaveCount(0, { timeout: 1_500 });
  await expectPhase(display.page, "expired", 5_000);
  await expect(cashier.page.getByTestId("sale-state")).toHaveAttribute("data-state", "expired", { timeout: 5_000 });

  await cashier.page.getByTestId("sale-new-qr").click();
  await expect(cashier.page.getByTestId("sale-state")).toHaveAttribute("data-state", "pending");
  await expectPhase(display.page, "pending");
  const secondQr = await readDisplayQr(display.page);
  expect(secondQr).not.toBe(firstQr);
  await expect(display.page.getByTestId("display-countdown")).toHaveText(/^(10:00|09:[0-5]\d)$/);

  cashier.page.once("dialog", (dialog) => void dialog.accept());
  await cashier.page.getByTestId("sale-cancel").click();
  await expectPhase(display.page, "cancelled");
  await cashier.context.close();
  await display.context.close();
});
