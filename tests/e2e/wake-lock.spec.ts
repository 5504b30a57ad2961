// A display opened at a plain-http LAN address has no Screen Wake Lock API (secure contexts only).
// The tests' app is on 127.0.0.1, which counts as secure, so the first test removes the API the way
// such a page lacks it, before any of the page's scripts run.
import { expect, test } from "../support/fixtures";
import { LANDSCAPE, displayUrl, expectPhase, saveScreenshot } from "./support/e2e";

const VIDEO = "keep-awake-video";

test("without the Wake Lock API the display keeps the screen on with a playing video", async ({ app, browser }) => {
  const context = await browser.newContext({ viewport: LANDSCAPE });
  await context.addInitScript(() => {
    // Gone from the prototype, so that `"wakeLock" in navigator` is false, as on plain http.
    delete (Navigator.prototype as { wakeLock?: unknown }).wakeLock;
  });
  const page = await context.newPage();
  await page.goto(await displayUrl(app));
  await expectPhase(page, "idle");
  expect(await page.evaluate(() => "wakeLock" in navigator)).toBe(false);

  const video = page.getByTestId(VIDEO);
  await expect(video).toHaveCount(1);
  // Playing, with frames, muted, and wholly inside the viewport (Chromium holds the screen for a
  // silent video only if it is on screen).
  await expect
    .poll(() =>
      video.evaluate((element: HTMLVideoElement) => ({
        playing: !element.paused,
        frames: element.readyState >= 2,
        muted: element.muted,
      })),
    )
    .toEqual({ playing: true, frames: true, muted: true });
  const box = await video.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(LANDSCAPE.width);
  expect(box!.y + box!.height).toBeLessThanOrEqual(LANDSCAPE.height);

  // Still playing after the page was hidden and shown again (kiosk apps and screen savers do that).
  await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
  await expect.poll(() => video.evaluate((element: HTMLVideoElement) => !element.paused)).toBe(true);
  await saveScreenshot(page, "display-keep-awake-video");
  await context.close();
});

test("with the Wake Lock API the display takes a screen lock and plays no video", async ({ app, browser }) => {
  const context = await browser.newContext({ viewport: LANDSCAPE });
  // Headless Chromium may refuse a real lock; this records the request and grants it.
  await context.addInitScript(() => {
    const requests: string[] = [];
    (window as unknown as { wakeLockRequests: string[] }).wakeLockRequests = requests;
    Object.defineProperty(navigator, "wakeLock", {
      configurable: true,
      value: {
        request: async (type: string) => {
          requests.push(type);
          return { released: false, release: async () => undefined };
        },
      },
    });
  });
  const page = await context.newPage();
  await page.goto(await displayUrl(app));
  await expectPhase(page, "idle");
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { wakeLockRequests: string[] }).wakeLockRequests))
    .toEqual(["screen"]);
  await expect(page.getByTestId(VIDEO)).toHaveCount(0);
  await context.close();
});
