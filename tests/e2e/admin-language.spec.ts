// The cashier picks the admin's language in the header; the choice is a cookie the server reads.
import { expect, test } from "../support/fixtures";
import { saveScreenshot, signInAdmin } from "./support/e2e";

test("the language picker switches the admin to Norwegian, and it stays Norwegian", async ({ app, browser }) => {
  // The browser asks for English (en-GB): only the picker can make the admin Norwegian.
  const { context, page } = await signInAdmin(browser, app);
  const nav = page.getByRole("navigation", { name: "Admin" });
  await expect(nav.getByRole("link", { name: "Sales" })).toBeVisible();

  await page.getByLabel("Language").selectOption("nb");
  await expect(nav.getByRole("link", { name: "Salg" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Terminaler" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Logg ut" })).toBeVisible();
  await expect(page.getByLabel("Språk")).toHaveValue("nb");
  await expect(page.locator("div[lang]").first()).toHaveAttribute("lang", "nb");
  await saveScreenshot(page, "admin-language-norwegian");

  // The choice outlives the page: a fresh load and another admin page are Norwegian from the server.
  await page.goto(`${app.url}/admin/sales`);
  await expect(nav.getByRole("link", { name: "Salg" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("button", { name: "Logg ut" })).toBeVisible();

  // The wallet's name of the day (Vipps MobilePay, Vipps from 12 January 2027) still fills the
  // Norwegian texts that name it.
  await nav.getByRole("link", { name: "Klar for drift" }).click();
  await expect(page.getByText(/^Før en butikk tas i bruk, går Vipps( MobilePay)? gjennom integrasjonen/)).toBeVisible();

  // And back to English.
  await page.getByLabel("Språk").selectOption("en");
  await expect(nav.getByRole("link", { name: "Sales" })).toBeVisible();
  await context.close();
});

test("the admin's scripts carry none of the languages it does not show", async ({ app, browser }) => {
  const context = await browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  const scripts: Promise<string>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") scripts.push(response.text().catch(() => ""));
  });
  await page.goto(`${app.url}/admin/login`);
  await expect(page.getByRole("heading", { name: "Sign in to the till" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  const code = (await Promise.all(scripts)).join("\n");
  expect(code.length, "the page loaded its scripts").toBeGreaterThan(10_000);
  // The other languages' sign-in headings (Norwegian, Danish, Finnish, Swedish).
  for (const heading of ["Logg inn i kassen", "Log ind i kassen", "Kirjaudu kassaan", "Logga in i kassan"]) {
    expect(code.includes(heading), `a script carries "${heading}"`).toBe(false);
  }
  await context.close();
});
