// A refund from the sale's page: asked, confirmed with its amount, sent once per confirmed intent.
import { createSale, getSale, simAction, waitForSaleState } from "../api/helpers";
import { expect, test } from "../support/fixtures";
import { readmePicture, saveScreenshot, signInAdmin } from "./support/e2e";

test("a refund asks for confirmation with the amount, empties the field, and a lost answer never refunds twice", async ({
  app,
  browser,
}) => {
  const sale = await createSale(app, {
    terminalId: "pos-1",
    currency: "NOK",
    lines: [{ name: "Rain jacket", quantity: 1, unitPrice: 100_000, taxRate: 2500 }],
  });
  await simAction(app, sale.reference, "approve");
  await waitForSaleState(app, sale.id, "captured");

  const cashier = await signInAdmin(browser, app);
  const page = cashier.page;
  await page.goto(`${app.url}/admin/sales/${sale.id}`);
  const amount = page.getByTestId("refund-amount");
  await expect(amount).toHaveValue("");

  // More than is left: a reason, not "Refund NOK 0.00".
  await amount.fill("1500");
  await expect(page.getByTestId("refund-too-much")).toContainText("1,000.00");
  await expect(page.getByTestId("refund-submit")).toBeDisabled();

  // Asked first: nothing is refunded until the cashier confirms the amount shown.
  await amount.fill("150");
  await page.getByTestId("refund-submit").click();
  const confirmation = page.getByTestId("refund-confirm");
  await expect(confirmation).toContainText("150.00");
  expect((await getSale(app, sale.id)).refundedAmount.value).toBe(0);
  await saveScreenshot(page, "admin-refund-confirm");

  // The first answer is lost on the way back; confirming again repeats that refund, it adds none.
  let lost = false;
  await page.route("**/api/v1/sales/*/refund", async (route) => {
    if (lost) return route.continue();
    lost = true;
    await route.fetch();
    await route.abort("connectionreset");
  });
  await page.getByTestId("refund-confirm-button").click();
  await expect(confirmation.getByRole("alert")).toBeVisible();
  expect((await getSale(app, sale.id)).refundedAmount.value).toBe(15_000);
  await page.getByTestId("refund-confirm-button").click();
  await expect(page.getByTestId("refund-done")).toContainText("150.00");
  expect((await getSale(app, sale.id)).refundedAmount.value).toBe(15_000);

  // The field empties; the next refund, right after, is asked again and says one was just made.
  await expect(amount).toHaveValue("");
  await page.getByRole("button", { name: /850.00/ }).click();
  await page.getByTestId("refund-submit").click();
  await expect(page.getByTestId("refund-again-warning")).toContainText("150.00");
  await page.getByRole("button", { name: "Back", exact: true }).click();
  await expect(page.getByTestId("refund-confirm")).toHaveCount(0);
  expect((await getSale(app, sale.id)).refundedAmount.value).toBe(15_000);

  // Partly refunded, with what the shop kept, on the sale, in the list and on the summary chip.
  await expect(page.getByTestId("sale-state")).toHaveText(/Partly refunded/);
  await expect(page.getByTestId("sale-net")).toHaveText("NOK 850.00");
  // The event log reads as sentences: no raw JSON in view, no "Captured → Captured".
  const log = page.getByTestId("sale-events");
  await expect(log.getByTestId("sale-event-sentence")).toContainText([
    "Sale started for NOK 1,000.00.",
    "The customer approved the payment.",
    "The money was taken: NOK 1,000.00.",
    "Refunded to the customer: NOK 150.00.",
  ]);
  await expect(log).not.toContainText("Captured → Captured");
  await expect(log.locator("pre").first()).toBeHidden();
  await saveScreenshot(page, "admin-sale-partly-refunded");
  await readmePicture(page, "sale-partly-refunded");
  await page.goto(`${app.url}/admin/sales`);
  const row = page.getByTestId("sales-row").filter({ hasText: "Rain jacket" });
  await expect(row.getByTestId("sales-row-net")).toHaveText("net NOK 850.00");
  await expect(row.locator("[data-partly-refunded]")).toHaveText(/Partly refunded/);
  await expect(page.getByTestId("summary-net")).toContainText("net NOK 850.00");
  await saveScreenshot(page, "admin-sales-partly-refunded");
  await cashier.context.close();
});
