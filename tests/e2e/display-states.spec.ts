// Walks the display through every state with real sales and saves a screenshot of each, in
// landscape and portrait, to tests/artifacts/screenshots/ for a person to look at.
import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { advanceClock, createSale, expectPhase, openDisplay, saveScreenshot, simAction } from "./support/e2e";

const SCREENS = [
  { name: "landscape-1920x1080", viewport: { width: 1920, height: 1080 } },
  { name: "landscape-1280x800", viewport: { width: 1280, height: 800 } },
  { name: "portrait-1080x1920", viewport: { width: 1080, height: 1920 } },
  { name: "small-800x480", viewport: { width: 800, height: 480 } },
];

const LONG_ORDER = {
  terminalId: "pos-1",
  currency: "NOK",
  lines: [
    "Cappuccino",
    "Cinnamon bun",
    "Ear buds",
    "Phone charger, USB-C 30 W",
    "Tote bag",
    "Espresso",
    "Sparkling water 0.5 l",
    "Chocolate bar",
    "Notebook A5, dotted",
    "Gift wrapping",
    "Oat milk latte",
    "Croissant",
  ].map((name, index) => ({ name, quantity: 1 + (index % 3), unitPrice: 2900 + index * 1100, taxRate: 2500 })),
};

test("every display state, on every screen shape", async ({ app, browser }) => {
  // Four displays, twelve states, a screenshot each: over three minutes on a busy two-core machine.
  test.setTimeout(360_000);
  const displays: { name: string; page: Page }[] = [];
  for (const screen of SCREENS) {
    const { page } = await openDisplay(browser, app, screen.viewport);
    displays.push({ name: screen.name, page });
  }
  const all = async (phase: string, shot: string) => {
    for (const display of displays) await expectPhase(display.page, phase);
    // Let entry animations settle so the pictures show the resting state.
    await displays[0]!.page.waitForTimeout(500);
    for (const display of displays) {
      // Nothing may scroll on a kiosk: the page must fit its screen exactly.
      const overflow = await display.page.evaluate(() => ({
        x: document.documentElement.scrollWidth - window.innerWidth,
        y: document.documentElement.scrollHeight - window.innerHeight,
      }));
      expect(overflow, `${display.name} ${shot} must not scroll`).toEqual({ x: 0, y: 0 });
      await saveScreenshot(display.page, `${display.name}-${shot}`);
    }
  };

  await all("idle", "01-idle");

  // Approved (authorised, waiting for a manual capture), then paid.
  await app.api("/api/v1/settings", { method: "PATCH", json: { autoCapture: false } });
  const manual = await createSale(app);
  await all("pending", "02-pending");
  await simAction(app, manual.reference, "approve");
  await all("approved", "03-approved");
  await app.api(`/api/v1/sales/${manual.id}/capture`, { method: "POST" });
  await all("paid", "04-paid");
  await app.api("/api/v1/settings", { method: "PATCH", json: { autoCapture: true } });

  const declined = await createSale(app);
  await all("pending", "05-pending-again");
  await simAction(app, declined.reference, "reject");
  await all("declined", "06-declined");

  const cancelled = await createSale(app);
  await all("pending", "07-pending-before-cancel");
  await app.api(`/api/v1/sales/${cancelled.id}/cancel`, { method: "POST" });
  await all("cancelled", "08-cancelled");

  await createSale(app);
  await all("pending", "09-pending-before-expiry");
  await advanceClock(app, 10 * 60_000 + 1_000);
  await all("expired", "10-expired");

  const long = await createSale(app, LONG_ORDER);
  await all("pending", "11-pending-long-order");
  await app.api(`/api/v1/sales/${long.id}/cancel`, { method: "POST" });

  for (const display of displays) {
    await display.page.goto(`${app.url}/display/pos-1?token=wrong`);
    await expectPhase(display.page, "unauthorized");
    await expect(display.page.getByTestId("display-pairing-code")).toHaveText(/^[A-Z0-9]{6}$/);
    await saveScreenshot(display.page, `${display.name}-12-unauthorized-pairing`);
  }
});
