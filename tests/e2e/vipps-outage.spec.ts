// When Vipps says no or says nothing: a push refused for the sales unit (5080) becomes a QR sale
// at one click, and an outage is said on the customer display and the till until Vipps is back.
import { expect, test } from "../support/fixtures";
import { expectPhase, openDisplay, saveScreenshot, signInAdmin } from "./support/e2e";

test("a push refused with 5080 goes out as a QR at one click; during an outage the display and the till say so", async ({
  app,
  browser,
}) => {
  const display = await openDisplay(browser, app);
  const { page: till } = await signInAdmin(browser, app);

  await app.sim("/faults", { method: "PUT", json: { create: { mode: "error", errorCode: "5080", count: 1 } } });
  await till.getByTestId("product-p2").click();
  await till.getByTestId("send-to-phone").click();
  await till.getByTestId("customer-phone").fill("+47 912 34 567");
  await till.getByTestId("send-to-phone-submit").click();
  await expect(till.getByText("does not allow sending payments to a phone")).toBeVisible();
  await expect(till.getByTestId("show-qr-instead")).toHaveText("Show the QR code instead");
  await till.getByTestId("show-qr-instead").click();
  await expect(till.getByTestId("sale-state")).toHaveAttribute("data-state", "pending");
  await expectPhase(display.page, "pending", 5_000);
  await expect(display.page.getByTestId("display-qr")).toBeVisible();
  const saleId = await till.getByTestId("sale-panel").getAttribute("data-sale-id");
  expect((await app.api(`/api/v1/sales/${saleId}/cancel`, { method: "POST" })).status).toBe(200);

  // Every create fails: after the third, the display says Vipps is unavailable, and so does the till.
  await app.sim("/faults", { method: "PUT", json: { create: { mode: "error", status: 503 } } });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const failed = await app.api("/api/v1/sales", {
      method: "POST",
      json: { terminalId: "pos-1", currency: "NOK", amount: 5000, description: "Bicycle bell" },
    });
    expect(failed.status).toBe(503);
  }
  await expect(display.page.getByTestId("display-vipps-unavailable")).toBeVisible({ timeout: 10_000 });
  await expect(display.page.getByTestId("display-vipps-unavailable")).toContainText("ikke tilgjengelig");
  await expect(till.getByTestId("vipps-down-banner")).toBeVisible({ timeout: 15_000 });
  await expect(till.getByTestId("vipps-down-banner")).toContainText("not answering (since");
  await saveScreenshot(display.page, "display-vipps-unavailable");
  await till.screenshot({ path: "tests/artifacts/screenshots/till-vipps-down.png" });

  // Vipps is back: the next probe (at most ten seconds away) gets through and the notice goes.
  await app.sim("/faults", { method: "DELETE" });
  await expect(async () => {
    const response = await app.api("/api/v1/sales", {
      method: "POST",
      json: { terminalId: "pos-1", currency: "NOK", amount: 5000, description: "Bicycle bell" },
    });
    expect(response.status).toBe(201);
  }).toPass({ timeout: 30_000, intervals: [1_000] });
  await expect(display.page.getByTestId("display-vipps-unavailable")).toHaveCount(0, { timeout: 10_000 });
  await expectPhase(display.page, "pending", 5_000);
});
