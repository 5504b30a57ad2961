// Push to the phone: the cashier sends the payment request to the customer's number instead of
// showing a QR; the display says where it went; the customer pays on the phone's inbox.
import { expect, test } from "../support/fixtures";
import { expectPhase, openDisplay, saveScreenshot, signInAdmin } from "./support/e2e";

test("Send to phone: the display names the phone's last digits, the phone's inbox pays, both screens agree", async ({
  app,
  browser,
}) => {
  const display = await openDisplay(browser, app);
  const cashier = await signInAdmin(browser, app);
  const till = cashier.page;
  await till.getByTestId("product-p2").click();
  await till.getByTestId("send-to-phone").click();
  // Typed as a Norwegian cashier would: no country code; the shop's NOK says +47.
  await till.getByTestId("customer-phone").fill("912 34 567");
  // On the simulator the till links to that customer's simulated phone.
  await expect(till.getByTestId("simulator-phone-link")).toHaveAttribute("href", "/sim/phone/4791234567");
  await till.getByTestId("send-to-phone-submit").click();
  await expect(till.getByTestId("sale-state")).toHaveAttribute("data-state", "pending");
  // The till says where the request went and how long it lives; never "Waiting for the QR code".
  await expect(till.getByTestId("sale-push-status")).toContainText("67");
  await expect(till.getByTestId("sale-qr-countdown")).toHaveText(/^(10:00|09:[0-5]\d)$/);
  await expect(till.getByTestId("sale-panel")).not.toContainText(/Waiting for the QR code|Venter på QR-koden/);

  await expectPhase(display.page, "pending");
  await expect(display.page.getByTestId("display-push")).toContainText("67");
  await expect(display.page.getByTestId("display-qr")).toHaveCount(0);
  await expect(display.page.getByTestId("display-countdown")).toHaveText(/^(10:00|09:[0-5]\d)$/);
  await saveScreenshot(display.page, "push-sale-display");

  const saleId = await till.getByTestId("sale-panel").getAttribute("data-sale-id");
  const sale = (await (await app.api(`/api/v1/sales/${saleId}`)).json()) as {
    flow: string;
    phoneEnding: string;
    qr: unknown;
  };
  expect(sale).toMatchObject({ flow: "push", phoneEnding: "67", qr: null });

  // The customer's phone: its inbox of payment requests.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(`${app.url}/sim/phone/4791234567`);
  await expect(phone.getByTestId("push-request")).toHaveCount(1);
  await phone.getByTestId("phone-pay").click();

  await expectPhase(display.page, "paid");
  await expect(till.getByTestId("sale-state")).toHaveAttribute("data-state", "captured", { timeout: 10_000 });
  await phone.goto(`${app.url}/sim/phone/4791234567`);
  await expect(phone.getByTestId("push-inbox-empty")).toBeVisible();
});
