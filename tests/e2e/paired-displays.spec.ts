// A paired display gets the name the shop knows it by, in the terminal's list of paired displays.
import { expect, test } from "../support/fixtures";
import { saveScreenshot, signInAdmin } from "./support/e2e";

test("a manager renames a paired display, and the new name is there after a reload", async ({ app, browser }) => {
  const kiosk = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const display = await kiosk.newPage();
  await display.goto(`${app.url}/display`);
  await expect(display.getByTestId("display-pairing-code")).toHaveText(/^[A-Z0-9]{6}$/);
  const code = (await display.getByTestId("display-pairing-code").textContent())!.trim();
  const paired = await app.api("/api/v1/terminals/pos-1/pair", { method: "POST", json: { code } });
  expect(paired.status, await paired.clone().text()).toBe(201);

  const { context, page } = await signInAdmin(browser, app);
  await page.goto(`${app.url}/admin/terminals`);
  const row = page.getByTestId("paired-devices-pos-1").getByTestId("paired-device");
  await expect(row.getByTestId("device-label")).toHaveText("Customer display");

  await row.getByRole("button", { name: "Rename: Customer display" }).click();
  const field = row.getByLabel("Name of the display");
  await expect(field).toBeFocused();
  // A blank name cannot be saved (the server refuses it too: tests/unit/devices-store.test.ts).
  await field.fill("   ");
  await expect(row.getByTestId("device-label-save")).toBeDisabled();
  await field.fill("  Screen by the door  ");
  await saveScreenshot(page, "admin-terminals-paired-display-renaming");
  await row.getByTestId("device-label-save").click();
  await expect(row.getByTestId("device-label")).toHaveText("Screen by the door");
  await saveScreenshot(page, "admin-terminals-paired-display-renamed");

  await page.reload();
  await expect(
    page.getByTestId("paired-devices-pos-1").getByTestId("paired-device").getByTestId("device-label"),
  ).toHaveText("Screen by the door");

  // The audit says who renamed a display of which terminal.
  const audit = (await (await page.request.get(`${app.url}/api/v1/audit?actor=owner`)).json()) as {
    items: { action: string; target: string }[];
  };
  expect(audit.items).toContainEqual(
    expect.objectContaining({ action: "terminal.rename-display", target: "terminal:pos-1" }),
  );
  await context.close();
  await kiosk.close();
});
