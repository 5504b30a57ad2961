// Display health: a customer display that opens reports in; the terminal lists it online, the
// till stops warning; when it is closed, it goes offline and the till warns again.
import { expect, test } from "../support/fixtures";
import { openDisplay, signInAdmin } from "./support/e2e";

interface DisplayHealth {
  id: string;
  kind: string;
  online: boolean;
  lastSeenAt: string;
  userAgent: string;
  screen: string | null;
}

const displaysOf = async (app: { api(path: string): Promise<Response> }) =>
  ((await (await app.api("/api/v1/terminals/pos-1")).json()) as { displays: DisplayHealth[] }).displays;

test("a display goes online when opened and offline when closed; the till warns while none is online", async ({
  app,
  browser,
}) => {
  const cashier = await signInAdmin(browser, app);
  const till = cashier.page;
  await expect(till.getByTestId("no-display-warning")).toBeVisible();

  const display = await openDisplay(browser, app);
  await expect.poll(async () => (await displaysOf(app)).filter((d) => d.online).length, { timeout: 10_000 }).toBe(1);
  const [online] = await displaysOf(app);
  expect(online).toMatchObject({ kind: "link", online: true, screen: expect.stringMatching(/^\d+x\d+$/) });
  expect(online!.userAgent).toMatch(/Chrome/);
  // The till sees it within its refresh and stops warning.
  await expect(till.getByTestId("no-display-warning")).toBeHidden({ timeout: 10_000 });

  // The same browser reloading is still one display, not two.
  await display.page.reload();
  await expect.poll(async () => (await displaysOf(app)).filter((d) => d.online).length, { timeout: 10_000 }).toBe(1);
  expect((await displaysOf(app)).length).toBe(1);

  // Closed: offline well within the minute, and the terminals page says so in words.
  await display.context.close();
  await expect.poll(async () => (await displaysOf(app))[0]?.online, { timeout: 15_000 }).toBe(false);
  await expect(till.getByTestId("no-display-warning")).toBeVisible({ timeout: 10_000 });
  await till.goto(`${app.url}/admin/terminals`);
  const row = till.getByTestId("displays-pos-1").getByTestId("display-health");
  await expect(row).toHaveAttribute("data-online", "false");
  await expect(row).toContainText(/Offline since/);
  // Named as a person would name it (the test browser says it is Chrome on Windows), on the 24-hour clock.
  await expect(row.getByTestId("display-device")).toHaveText(
    /^Chrom[a-z]*( \(headless\))? on (Linux|Windows), \d+×\d+$/,
  );
  await expect(row).not.toContainText(/\b[AP]M\b/);
});
