/**
 * Staff in the admin: the owner adds a cashier on the Staff page, the cashier signs in with a
 * username and sees only a cashier's pages (the server refuses the others whatever is shown), and
 * the Audit page names who added whom; a cashier's refund asks for a manager's PIN on the spot.
 */
import { createSale, getSale, simAction, waitForSaleState } from "../api/helpers";
import { addStaff, signIn } from "../api/staff-helpers";
import { expect, test } from "../support/fixtures";
import { addStoreWithTerminal, saveScreenshot, signInAdmin } from "./support/e2e";

test("the owner adds a cashier, who signs in and sees a cashier's menu; the audit names the owner", async ({
  app,
  browser,
}) => {
  const owner = await signInAdmin(browser, app);
  await owner.page.goto(`${app.url}/admin/staff`);
  await owner.page.getByLabel("Username", { exact: true }).fill("kari");
  await owner.page.getByLabel("Name", { exact: true }).fill("Kari Nordmann");
  await owner.page.getByLabel("Password").fill("kari-password-1");
  await owner.page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(owner.page.getByTestId("staff-list")).toContainText("Kari Nordmann");

  await owner.page.goto(`${app.url}/admin/audit`);
  await expect(owner.page.getByTestId("audit-table")).toContainText("staff.create");
  await expect(owner.page.getByTestId("audit-table")).toContainText("staff:kari");
  await owner.context.close();

  const context = await browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  await page.goto(`${app.url}/admin/login`);
  await page.getByLabel("Username", { exact: true }).fill("kari");
  await page.getByLabel("Password").fill("kari-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${app.url}/admin`);
  const nav = page.getByRole("navigation", { name: "Admin" });
  await expect(nav.getByRole("link", { name: "My sessions" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Staff" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Settings" })).toHaveCount(0);
  // The page may be typed in; the API behind it still says no.
  const staff = await page.request.get(`${app.url}/api/v1/staff`);
  expect(staff.status()).toBe(403);
  await context.close();
});

test("a cashier's refund on the sale page goes through once a manager types their username and PIN", async ({
  app,
  browser,
}) => {
  const owner = await signIn(app, { password: app.adminPassword });
  await addStaff(app, owner, { username: "mona", role: "manager", pin: "8642" });
  await addStaff(app, owner, { username: "per", role: "cashier", password: "per-password-12" });
  const sale = await createSale(app, {
    terminalId: "pos-1",
    currency: "NOK",
    lines: [{ name: "Gloves", quantity: 1, unitPrice: 30_000, taxRate: 2500 }],
  });
  await simAction(app, sale.reference, "approve");
  await waitForSaleState(app, sale.id, "captured");

  const context = await browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  await page.goto(`${app.url}/admin/login`);
  await page.getByLabel("Username", { exact: true }).fill("per");
  await page.getByLabel("Password").fill("per-password-12");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${app.url}/admin`);
  await page.goto(`${app.url}/admin/sales/${sale.id}`);
  await page.getByTestId("refund-amount").fill("100");
  await page.getByTestId("refund-submit").click();
  await page.getByTestId("refund-confirm-button").click();
  await expect(page.getByTestId("refund-confirm").getByRole("alert")).toBeVisible();
  expect((await getSale(app, sale.id)).refundedAmount.value).toBe(0);

  await page.getByLabel("Manager's username").fill("mona");
  await page.getByLabel("Manager's PIN").fill("8642");
  await page.getByTestId("refund-confirm-button").click();
  await expect(page.getByTestId("refund-done")).toContainText("100.00");
  expect((await getSale(app, sale.id)).refundedAmount.value).toBe(10_000);
  await context.close();
});

test("with two stores the Audit page names each entry's store and shows one store's entries when picked", async ({
  app,
  browser,
}) => {
  await addStoreWithTerminal(
    app,
    { id: "tromso", name: "Tromsø", msn: "778899" },
    { id: "tromso-1", name: "Tromsø 1" },
  );
  const renamed = await app.api("/api/v1/terminals/pos-1", { method: "PATCH", json: { name: "Counter one" } });
  expect(renamed.status, await renamed.clone().text()).toBe(200);
  const settings = await app.api("/api/v1/settings", { method: "PATCH", json: { receiptQr: true } });
  expect(settings.status, await settings.clone().text()).toBe(200);

  const owner = await signInAdmin(browser, app);
  await owner.page.goto(`${app.url}/admin/audit`);
  const table = owner.page.getByTestId("audit-table");
  const row = (target: string) => table.getByRole("row").filter({ hasText: target });
  await expect(row("terminal:tromso-1").first().getByTestId("audit-store")).toHaveText("Tromsø");
  const firstStore = ((await (await app.api("/api/v1/stores/store-1")).json()) as { name: string }).name;
  await expect(row("terminal:pos-1").first().getByTestId("audit-store")).toHaveText(firstStore);
  // A change of the shop's settings is every store's.
  await expect(row("settings.update").first().getByTestId("audit-store")).toHaveText("All stores");

  // Times on the admin's 24-hour clock, as everywhere else in it.
  await expect(table).not.toContainText(/\b(AM|PM)\b/);
  // Devices named as a person would, not by their raw User-Agent.
  await expect(table).not.toContainText("Mozilla/5.0");
  await saveScreenshot(owner.page, "audit-stores");
  await owner.page.getByTestId("store-picker").selectOption("tromso");
  await expect(row("terminal:pos-1")).toHaveCount(0);
  await expect(row("terminal:tromso-1").first()).toBeVisible();
  await expect(owner.page.getByRole("link", { name: "Download CSV" })).toHaveAttribute("href", /storeId=tromso/);
  await owner.context.close();
});
