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

  // And back to English.
  await page.getByLabel("Språk").selectOption("en");
  await expect(nav.getByRole("link", { name: "Sales" })).toBeVisible();
  await context.close();
});
