/**
 * Shared steps for the browser tests: the cashier signing in, a kiosk opening its display link,
 * reading the QR off the display's pixels, and saving screenshots a person can look at.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import type { AppHandle } from "../../support/app-server";
import { requireQrFromPng } from "../../support/qr";

export const SCREENSHOT_DIR = path.resolve(__dirname, "../../artifacts/screenshots");

export const LANDSCAPE = { width: 1280, height: 800 };
export const PORTRAIT = { width: 1080, height: 1920 };

export async function displayUrl(app: AppHandle, terminalId = "pos-1"): Promise<string> {
  const response = await app.api(`/api/v1/terminals/${terminalId}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { displayUrl: string }).displayUrl;
}

export async function openDisplay(
  browser: Browser,
  app: AppHandle,
  viewport = LANDSCAPE,
  terminalId = "pos-1",
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: "nb-NO" });
  const page = await context.newPage();
  await page.goto(await displayUrl(app, terminalId));
  await expectPhase(page, "idle");
  return { context, page };
}

export async function signInAdmin(browser: Browser, app: AppHandle): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "en-GB" });
  const page = await context.newPage();
  await page.goto(`${app.url}/admin/login`);
  await page.getByLabel("Password").fill(app.adminPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${app.url}/admin`);
  return { context, page };
}

export function phaseOf(page: Page) {
  return page.getByTestId("display-phase");
}

/**
 * Waits for the display's phase. Specs pass 5 s where the live stream must have brought the change:
 * a display that is live polls only every 15 s, so a pass inside 5 s still shows the stream
 * delivered it, with room for a loaded CI machine.
 */
export async function expectPhase(page: Page, phase: string, timeout = 10_000): Promise<void> {
  await expect(phaseOf(page)).toHaveAttribute("data-phase", phase, { timeout });
}

/** Screenshot of the whole display, decoded like a phone camera would: pixels only. */
export async function readDisplayQr(page: Page): Promise<string> {
  await expect(page.getByTestId("display-qr")).toBeVisible();
  return requireQrFromPng(await page.screenshot());
}

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/**
 * A picture for the README: into KASSA_SCREENSHOTS_DIR when `npm run screenshots` runs the spec
 * (docs/screenshots), else beside the other test screenshots, so ordinary runs never touch docs/.
 */
export async function readmePicture(page: Page, name: string): Promise<void> {
  const dir = process.env.KASSA_SCREENSHOTS_DIR
    ? path.resolve(process.env.KASSA_SCREENSHOTS_DIR)
    : path.join(SCREENSHOT_DIR, "readme");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), animations: "disabled", caret: "hide" });
}

export async function createSale(
  app: AppHandle,
  body?: unknown,
): Promise<{ id: string; reference: string; state: string }> {
  const response = await app.api("/api/v1/sales", {
    method: "POST",
    json: body ?? {
      terminalId: "pos-1",
      currency: "NOK",
      lines: [
        { name: "Cappuccino", quantity: 2, unitPrice: 4900, taxRate: 1500 },
        { name: "Ear buds", quantity: 1, unitPrice: 42924, taxRate: 2500 },
      ],
    },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return response.json();
}

/** A store of the chain (its own MSN, the deployment's keys) with one NOK terminal in it, both made over the API. */
export async function addStoreWithTerminal(
  app: AppHandle,
  store: { id: string; name: string; msn: string },
  terminal: { id: string; name: string },
): Promise<void> {
  const created = await app.api("/api/v1/stores", { method: "POST", json: { ...store, currency: "NOK" } });
  expect(created.status, await created.clone().text()).toBe(201);
  const added = await app.api("/api/v1/terminals", {
    method: "POST",
    json: { ...terminal, currency: "NOK", storeId: store.id },
  });
  expect(added.status, await added.clone().text()).toBe(201);
}

export async function saleState(app: AppHandle, id: string): Promise<string> {
  const response = await app.api(`/api/v1/sales/${id}`);
  return ((await response.json()) as { state: string }).state;
}

export async function simAction(
  app: AppHandle,
  reference: string,
  action: "approve" | "reject" | "expire",
): Promise<void> {
  const response = await app.sim(`/payments/${reference}/${action}`, { method: "POST" });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

export async function advanceClock(app: AppHandle, ms: number): Promise<void> {
  const response = await app.sim("/clock/advance", { method: "POST", json: { ms } });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

/** Waits until the terminal is free again (outcome shown and gone), so the next sale may start. */
export async function waitForIdle(page: Page, timeout = 20_000): Promise<void> {
  await expectPhase(page, "idle", timeout);
}
