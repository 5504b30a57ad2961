// A terminal's day close on paper: the Closes page closes the day, and the print view is laid out
// for an 80 mm receipt printer (CSS @page size 80mm).
import { expect, test } from "../support/fixtures";
import { createSale, saveScreenshot, signInAdmin, simAction } from "./support/e2e";

test("the Closes page closes the day, and the close prints on an 80 mm roll", async ({ app, browser }) => {
  await app.api("/api/v1/settings", {
    method: "PATCH",
    json: { organisationNumber: "912 345 678 MVA", address: "Storgata 1, 0155 Oslo" },
  });
  const sale = await createSale(app);
  await simAction(app, sale.reference, "approve");
  await expect.poll(async () => (await (await app.api(`/api/v1/sales/${sale.id}`)).json()).state).toBe("captured");

  const { page, context } = await signInAdmin(browser, app);
  await page.goto(`${app.url}/admin/closes`);
  await expect(page.getByTestId("close-preview")).toContainText("527");
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByTestId("close-day").click();
  await expect(page.getByTestId("close-history").locator("li")).toHaveCount(1);
  await expect(page.getByTestId("close-preview")).not.toContainText("527");
  await saveScreenshot(page, "admin-closes");

  const close = (await (await app.api("/api/v1/terminals/pos-1/closes")).json()).items[0] as { id: string };
  await page.setViewportSize({ width: 420, height: 900 });
  await page.goto(`${app.url}/admin/print/closes/${close.id}`);
  const sheet = page.getByTestId("close-print");
  await expect(sheet).toContainText("Close 1");
  await expect(sheet).toContainText("912 345 678 MVA");
  // 80 mm at 96 dpi is 302 px.
  expect(Math.round((await sheet.boundingBox())!.width)).toBe(302);
  expect(await page.locator("style").allTextContents()).toContainEqual(expect.stringContaining("size: 80mm"));
  await sheet.screenshot({ path: "tests/artifacts/screenshots/close-print-80mm.png" });
  await context.close();
});
