// The test environment's special amounts, end to end through the embedded simulator: a customer whose
// card is declined sees why on the phone, the counter display keeps waiting (the payment is not over:
// the customer may try again), and when the customer gives up the display shows the declined screen.
// Sources: vippsas/agent-toolkit plugins/vipps-developer/skills/test-and-go-live/SKILL.md (the amounts) and
// developer.vippsmobilepay.com/docs/knowledge-base/payment-faq (a declined card can be retried).
import { expect, test } from "../support/fixtures";
import { createSale, expectPhase, openDisplay, readDisplayQr, saleState, waitForIdle } from "./support/e2e";

test.describe.configure({ mode: "serial" });

test("1,51 kr: insufficient funds on the phone, the display stays on the QR, then the customer cancels and the display says declined", async ({
  app,
  browser,
}) => {
  const display = await openDisplay(browser, app);
  const sale = await createSale(app, { terminalId: "pos-1", currency: "NOK", amount: 151, description: "Test amount" });
  await expectPhase(display.page, "pending");
  const qrUrl = await readDisplayQr(display.page);

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const phonePage = await phone.newPage();
  await phonePage.goto(qrUrl);
  await phonePage.getByTestId("phone-pay").click();
  await expect(phonePage.getByTestId("phone-result")).toHaveText("Payment failed");
  await expect(phonePage.getByTestId("phone-failure-reason")).toContainText("Insufficient funds");

  // Trying again gives the same answer; meanwhile the sale is still open and its QR still shown.
  await phonePage.getByTestId("phone-retry").click();
  await expect(phonePage.getByTestId("phone-failure-reason")).toContainText("Insufficient funds");
  expect(await saleState(app, sale.id)).toBe("pending");
  await expectPhase(display.page, "pending");
  await expect(display.page.getByTestId("display-qr")).toBeVisible();

  await phonePage.getByTestId("phone-cancel").click();
  await expect(phonePage.getByTestId("phone-result")).toHaveAttribute("data-state", "ABORTED");
  await expectPhase(display.page, "declined", 5_000);
  await expect(display.page.getByTestId("display-qr")).toHaveCount(0);
  expect(await saleState(app, sale.id)).toBe("aborted");
  await waitForIdle(display.page);
  await phone.close();
  await display.context.close();
});
