// The Stores page: a store is added with keys of its own, which the page never shows again, and a
// new terminal is put in it from the Terminals page.
import { expect, test } from "../support/fixtures";
import { saveScreenshot, signInAdmin } from "./support/e2e";

test("a store is added with its own keys, edited without showing them, and a terminal is put in it", async ({
  app,
  browser,
}) => {
  const { page, context } = await signInAdmin(browser, app);
  await page.getByRole("link", { name: "Stores" }).click();
  await expect(page.getByTestId("store-row-store-1")).toContainText("MSN 123456");

  const form = page.getByTestId("store-add");
  await form.getByLabel("Name").fill("Bergen");
  await form.getByLabel("MSN (sales unit)").fill("654321");
  await page.getByTestId("store-add-own-keys").check();
  await form.getByLabel("Client id").fill("bergen-client");
  await form.getByLabel("Client secret").fill("bergen-secret-value");
  await form.getByLabel("Subscription key").fill("bergen-subscription-value");
  await page.getByTestId("store-add-submit").click();
  const row = page.getByTestId("store-row-store-2");
  await expect(row).toContainText("Bergen");
  await expect(row).toContainText("Own keys");
  await saveScreenshot(page, "stores-page");

  await row.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByTestId("store-edit-store-2");
  await expect(edit.getByLabel("Client id")).toHaveValue("bergen-client");
  await expect(edit.getByLabel("Client secret")).toHaveValue("");
  await expect(page.locator("body")).not.toContainText("bergen-secret-value");
  await saveScreenshot(page, "stores-edit");
  await edit.getByLabel("Name").fill("Bergen sentrum");
  await page.getByTestId("store-edit-store-2-submit").click();
  await expect(page.getByTestId("store-row-store-2")).toContainText("Bergen sentrum");

  await page.getByRole("link", { name: "Terminals" }).click();
  await page.getByTestId("add-terminal-store").selectOption("store-2");
  await page.getByTestId("add-terminal-name").fill("Bryggen");
  await page.getByTestId("add-terminal-submit").click();
  await expect(page.getByTestId("add-terminal-success")).toBeVisible();
  const terminals = (await (await app.api("/api/v1/terminals")).json()).items as { name: string; storeId: string }[];
  expect(terminals.find((terminal) => terminal.name === "Bryggen")?.storeId).toBe("store-2");
  await context.close();
});
