// Only authorised displays see sales; only the right password opens the admin.
import { expect, test } from "../support/fixtures";
import { createSale, displayUrl, expectPhase, signInAdmin } from "./support/e2e";

test.describe.configure({ mode: "serial" });

test("a display with a wrong token sees nothing of the sale and is offered pairing", async ({ app, browser }) => {
  const sale = await createSale(app);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${app.url}/display/pos-1?token=not-the-token`);
  await expectPhase(page, "unauthorized");
  await expect(page.getByTestId("display-unauthorized")).toBeVisible();
  await expect(page.getByTestId("display-pairing-code")).toHaveText(/^[A-Z0-9]{6}$/);
  await expect(page.getByTestId("display-amount")).toHaveCount(0);
  await expect(page.getByTestId("display-qr")).toHaveCount(0);

  // The endpoints refuse too, with problem details.
  for (const path of ["state", "events"]) {
    const response = await page.request.get(`${app.url}/api/display/pos-1/${path}?token=not-the-token`);
    expect(response.status()).toBe(401);
    expect(response.headers()["content-type"]).toContain("application/problem+json");
  }
  const anonymous = await page.request.get(`${app.url}/api/display/pos-1/state`);
  expect(anonymous.status()).toBe(401);
  await context.close();
  await app.api(`/api/v1/sales/${sale.id}/cancel`, { method: "POST" });
});

test("a new display pairs by code and then follows its terminal with a device cookie", async ({ app, browser }) => {
  const kiosk = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await kiosk.newPage();
  await page.goto(`${app.url}/display`);
  await expect(page.getByTestId("display-pairing-code")).toHaveText(/^[A-Z0-9]{6}$/);
  const code = (await page.getByTestId("display-pairing-code").textContent())!.trim();

  const cashier = await signInAdmin(browser, app);
  await cashier.page.goto(`${app.url}/admin/terminals`);
  await cashier.page.getByTestId("pair-code-input").fill(code.toLowerCase());
  await cashier.page.getByTestId("pair-submit").click();
  await expect(cashier.page.getByTestId("pair-success")).toBeVisible();

  await page.waitForURL(`${app.url}/display/pos-1`, { timeout: 10_000 });
  await expectPhase(page, "idle");
  const cookies = await kiosk.cookies();
  const device = cookies.find((cookie) => cookie.name === "kassa_display");
  expect(device?.httpOnly).toBe(true);
  expect(device!.expires - Date.now() / 1000).toBeGreaterThan(300 * 24 * 3600);

  const sale = await createSale(app);
  await expectPhase(page, "pending");
  await expect(page.getByTestId("display-qr")).toBeVisible();

  // The same code cannot be used twice.
  const again = await cashier.page.request.post(`${app.url}/api/v1/terminals/pos-1/pair`, { data: { code } });
  expect(again.status()).toBe(400);

  // Coming back to /display later goes straight to the paired terminal.
  await page.goto(`${app.url}/display`);
  await page.waitForURL(`${app.url}/display/pos-1`);
  await expectPhase(page, "pending");
  await app.api(`/api/v1/sales/${sale.id}/cancel`, { method: "POST" });
  await cashier.context.close();
  await kiosk.close();
});

test("the display link's token works, and the admin session follows the same stream", async ({ app, browser }) => {
  const url = await displayUrl(app);
  expect(url).toContain("token=");
  const cashier = await signInAdmin(browser, app);
  const response = await cashier.page.request.get(`${app.url}/api/display/pos-1/state`);
  expect(response.status()).toBe(200);
  await cashier.context.close();
});

test("a wrong admin password is refused, and repeated guessing is slowed down", async ({ app, browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${app.url}/admin`);
  await page.waitForURL(/\/admin\/login/);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("admin-login-error")).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/login/);
  expect((await context.cookies()).some((cookie) => cookie.name === "kassa_admin")).toBe(false);

  // Admin API calls without a session are refused as well.
  const sales = await page.request.get(`${app.url}/api/v1/sales`);
  expect(sales.status()).toBe(401);

  // Four more wrong tries fill the window; the next one is refused without checking.
  for (let i = 0; i < 4; i++) {
    const wrong = await page.request.post(`${app.url}/api/admin/session`, { data: { password: `guess-${i}` } });
    expect(wrong.status()).toBe(401);
  }
  const limited = await page.request.post(`${app.url}/api/admin/session`, { data: { password: app.adminPassword } });
  expect(limited.status()).toBe(429);
  expect(limited.headers()["retry-after"]).toBeTruthy();
  await context.close();
});
