// In Norway and Denmark the till is the shop's payment terminal beside its cash register: it says
// so, reminds the cashier to register the sale there too, and takes the register's receipt number.
import { expect, test } from "../support/fixtures";
import { saveScreenshot, signInAdmin } from "./support/e2e";

test("the till in NOK is a payment terminal with a POS reference; in EUR it says nothing of a register", async ({
  app,
  browser,
}) => {
  const eur = await app.api("/api/v1/terminals", {
    method: "POST",
    json: { id: "eur-1", name: "Helsinki", currency: "EUR", language: "fi" },
  });
  expect(eur.status).toBe(201);
  const { page, context } = await signInAdmin(browser, app);
  await page.getByTestId("till-terminal").selectOption("pos-1");
  const notice = page.getByTestId("till-terminal-notice");
  await expect(notice).toContainText("payment terminal");
  await expect(notice).toContainText("register every sale in the cash register");
  await page.getByTestId("product-p2").click();
  await page.getByTestId("till-pos-reference").fill("KV-1001");
  await saveScreenshot(page, "till-nok-payment-terminal");
  await page.getByTestId("charge").click();
  const saleId = await page.getByTestId("sale-panel").getAttribute("data-sale-id");
  const sale = await (await app.api(`/api/v1/sales/${saleId}`)).json();
  expect(sale.posReference).toBe("KV-1001");
  await app.api(`/api/v1/sales/${saleId}/cancel`, { method: "POST" });

  await page.reload();
  await page.getByTestId("till-terminal").selectOption("eur-1");
  await expect(page.getByTestId("till-terminal-notice")).toHaveCount(0);
  await context.close();
});
