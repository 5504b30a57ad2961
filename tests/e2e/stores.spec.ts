// The Stores page: a store is added with keys of its own, which the page never shows again, and a
// new terminal is put in it from the Terminals page; a store's own logo and colour reach its displays.
import { expect, test } from "../support/fixtures";
import { SAMPLE_ACCENT, SAMPLE_ACCENT_RGB, SAMPLE_LOGO_SVG } from "./support/branding";
import { addStoreWithTerminal, LANDSCAPE, openDisplay, saveScreenshot, signInAdmin } from "./support/e2e";

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

test("a store's own logo and colour, set on the Stores page, show on its terminal's display and not on others", async ({
  app,
  browser,
}) => {
  test.setTimeout(180_000);
  await addStoreWithTerminal(app, { id: "molde", name: "Molde", msn: "765432" }, { id: "molde-1", name: "Molde 1" });

  const { page, context } = await signInAdmin(browser, app);
  await page.getByRole("link", { name: "Stores" }).click();
  await page.getByTestId("store-branding-molde").click();
  const card = page.getByTestId("store-row-molde");
  await expect(card.getByRole("heading", { name: "Molde on its displays" })).toBeVisible();
  await card
    .getByTestId("branding-logo-file")
    .setInputFiles({ name: "logo.svg", mimeType: "image/svg+xml", buffer: Buffer.from(SAMPLE_LOGO_SVG) });
  await expect(card.getByText("Logo saved.")).toBeVisible();
  await card.getByTestId("branding-accent").fill(SAMPLE_ACCENT);
  await card.getByRole("button", { name: "Save colour" }).click();
  await expect(card.getByText("Colour saved.")).toBeVisible();
  // The preview names what the displays show: the shop's name, over the store's own look.
  const { shopName } = (await (await app.api("/api/v1/settings")).json()) as { shopName: string };
  await expect(card.getByTestId("branding-preview")).toContainText(shopName);
  await saveScreenshot(page, "stores-branding");

  const molde = await openDisplay(browser, app, LANDSCAPE, "molde-1");
  const logo = molde.page.getByTestId("display-logo");
  await expect(logo).toBeVisible();
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(molde.page.getByTestId("display-accent")).toHaveCSS("background-color", SAMPLE_ACCENT_RGB);
  await saveScreenshot(molde.page, "stores-branding-display");
  // Store 1's display keeps the shop's look: no logo, the default accent.
  const first = await openDisplay(browser, app, LANDSCAPE, "pos-1");
  await expect(first.page.getByTestId("display-logo")).toHaveCount(0);
  await expect(first.page.getByTestId("display-accent")).not.toHaveCSS("background-color", SAMPLE_ACCENT_RGB);
  await Promise.all([molde.context.close(), first.context.close(), context.close()]);
});
