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

test("a close of another store's terminal prints that store's name and address, and its times on its clock", async ({
  app,
  browser,
}) => {
  const store = await app.api("/api/v1/stores", {
    method: "POST",
    json: {
      id: "nyc",
      name: "Kassa Brooklyn",
      msn: "556677",
      currency: "NOK",
      timeZone: "America/New_York",
      address: "1 Front Street, Brooklyn",
    },
  });
  expect(store.status, await store.clone().text()).toBe(201);
  const terminal = await app.api("/api/v1/terminals", {
    method: "POST",
    json: { id: "nyc-1", name: "Brooklyn 1", currency: "NOK", storeId: "nyc" },
  });
  expect(terminal.status, await terminal.clone().text()).toBe(201);
  const made = await app.api("/api/v1/terminals/nyc-1/closes", { method: "POST" });
  expect(made.status, await made.clone().text()).toBe(201);
  const close = (await made.json()) as { id: string; closedAt: string };

  const { page, context } = await signInAdmin(browser, app);
  await page.goto(`${app.url}/admin/print/closes/${close.id}`);
  const sheet = page.getByTestId("close-print");
  await expect(page.getByTestId("close-print-store")).toHaveText("Kassa Brooklyn");
  await expect(sheet).toContainText("1 Front Street, Brooklyn");
  const clock = (timeZone: string) =>
    new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(
      new Date(close.closedAt),
    );
  const period = page.getByTestId("close-print-period");
  await expect(period).toContainText(clock("America/New_York"));
  // New York is five or six hours behind Oslo: the shop's clock is not the one printed.
  await expect(period).not.toContainText(clock("Europe/Oslo"));
  await sheet.screenshot({ path: "tests/artifacts/screenshots/close-print-store.png" });
  await context.close();
});
