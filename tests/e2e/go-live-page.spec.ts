// The Go-live page reads as sentences: each item's title and, while it is not met, what to do, in
// the admin's language; the evidence (sent to Vipps as it is) is folded away and its keys read as
// words. A paid test sale turns its item green and the hint goes.
import { createSale, simAction, waitForSaleState } from "../api/helpers";
import { expect, test } from "../support/fixtures";
import { readmePicture, signInAdmin } from "./support/e2e";

test("the go-live page says what to do for each unmet item, in the admin's language, and not once it is met", async ({
  app,
  browser,
}) => {
  const { page } = await signInAdmin(browser, app);
  await page.goto(`${app.url}/admin/go-live`);
  const captured = page.getByTestId("go-live-item-test-captured");
  await expect(captured).toHaveAttribute("data-ok", "false");
  await expect(captured.getByTestId("go-live-hint")).toHaveText(
    "What to do: Complete a test payment: approve it in the Vipps test app.",
  );
  // Every unmet item has its sentence; no raw camelCase key is in view.
  const unmet = page.locator('[data-testid^="go-live-item-"][data-ok="false"]');
  expect(await unmet.count()).toBeGreaterThan(0);
  await expect(unmet.getByTestId("go-live-hint")).toHaveCount(await unmet.count());
  const evidence = page.getByTestId("go-live-item-system-headers").locator("details");
  await evidence.locator("summary").click();
  for (const term of await evidence.locator("dt").allInnerTexts()) expect(term).not.toMatch(/[a-z][A-Z]/);

  // In Norwegian, the hint is Norwegian.
  await page.getByLabel("Language").selectOption("nb");
  await expect(captured.getByTestId("go-live-hint")).toHaveText(
    "Slik gjør du: Fullfør en testbetaling: godkjenn den i Vipps' testapp.",
  );
  await page.getByLabel("Språk").selectOption("en");

  // A paid test sale meets the item: it turns green and the hint goes.
  const sale = await createSale(app);
  await simAction(app, sale.reference, "approve");
  await waitForSaleState(app, sale.id, "captured");
  await page.getByTestId("go-live-refresh").click();
  await expect(captured).toHaveAttribute("data-ok", "true", { timeout: 15_000 });
  await expect(captured.getByTestId("go-live-hint")).toHaveCount(0);
  await readmePicture(page, "go-live");
});
