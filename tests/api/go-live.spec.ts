// Go-live evidence end to end: sales run through the simulator to CAPTURED, REFUNDED and CANCELLED,
// then GET /api/v1/go-live reports those items (and the endpoints, headers and receipt) as met, with
// the references as evidence; the evidence downloads as one file; the admin shows it all.
import { signInAdmin, SCREENSHOT_DIR } from "../e2e/support/e2e";
import { expect, test } from "../support/fixtures";
import { createSale, simAction, simPayment, waitForSaleState } from "./helpers";

interface Item {
  id: string;
  title: string;
  ok: boolean;
  evidence: Record<string, any>;
}

const refs: Record<"captured" | "refunded" | "cancelled", { id: string; reference: string }> = {} as any;

async function post(app: Parameters<typeof createSale>[0], path: string, json?: unknown): Promise<void> {
  const response = await app.api(path, { method: "POST", ...(json !== undefined ? { json } : {}) });
  expect(response.status, await response.clone().text()).toBe(200);
}

test.describe.configure({ mode: "serial" });

test("sales that ended captured, refunded and cancelled are go-live evidence", async ({ app }) => {
  test.setTimeout(120_000);
  // Reserve, then capture by hand: the cancel after approval is Vipps' CANCELLED event.
  expect((await app.api("/api/v1/settings", { method: "PATCH", json: { autoCapture: false } })).status).toBe(200);

  const approved = async () => {
    const sale = await createSale(app);
    await simAction(app, sale.reference, "approve");
    await waitForSaleState(app, sale.id, "authorized");
    return sale;
  };
  const captured = await approved();
  await post(app, `/api/v1/sales/${captured.id}/capture`);
  await waitForSaleState(app, captured.id, "captured");
  refs.captured = captured;

  const refunded = await approved();
  await post(app, `/api/v1/sales/${refunded.id}/capture`);
  await post(app, `/api/v1/sales/${refunded.id}/refund`, {});
  await waitForSaleState(app, refunded.id, "refunded");
  refs.refunded = refunded;

  const cancelled = await approved();
  await post(app, `/api/v1/sales/${cancelled.id}/cancel`);
  await waitForSaleState(app, cancelled.id, "cancelled");
  refs.cancelled = cancelled;

  // The webhooks of the last sale may still be on their way: wait until the report shows them.
  let items: Item[] = [];
  await expect
    .poll(
      async () => {
        const response = await app.api("/api/v1/go-live");
        expect(response.status).toBe(200);
        const report = (await response.json()) as { environment: string; generatedAt: string; items: Item[] };
        expect(report.environment).toBe("simulator");
        items = report.items;
        return items.filter((item) => item.ok).map((item) => item.id);
      },
      { timeout: 20_000 },
    )
    .toEqual(
      expect.arrayContaining([
        "endpoint-create",
        "endpoint-get",
        "endpoint-events",
        "endpoint-cancel",
        "endpoint-capture",
        "endpoint-refund",
        "webhooks-and-polling",
        "webhook-registration",
        "system-headers",
        "order-details",
        "customer-present",
        "test-captured",
        "test-refunded",
        "test-cancelled",
        "recent-samples",
        "reservations",
      ]),
    );
  expect(items.length).toBeGreaterThanOrEqual(8);
  const item = (id: string) => items.find((candidate) => candidate.id === id)!;
  for (const outcome of ["captured", "refunded", "cancelled"] as const) {
    expect(item(`test-${outcome}`).evidence, outcome).toMatchObject({
      reference: refs[outcome].reference,
      saleId: refs[outcome].id,
      confirmedByVipps: true,
    });
  }
  expect(item("test-cancelled").evidence.vippsEvents).toContain("CANCELLED");
  expect(item("test-refunded").evidence.vippsEvents).toEqual(
    expect.arrayContaining(["AUTHORIZED", "CAPTURED", "REFUNDED"]),
  );
  expect(item("endpoint-refund").evidence).toMatchObject({
    lastReference: refs.refunded.reference,
    saleNow: { state: "refunded" },
  });
  expect(item("system-headers").evidence.sent).toMatchObject({
    "Vipps-System-Name": "kassa-display",
    "Vipps-System-Plugin-Name": "kassa-display-pos",
  });
  expect(item("customer-present").evidence).toMatchObject({ customerPresent: 3, userFlows: ["QR"] });
  expect(item("webhooks-and-polling").evidence.eventsFromWebhooks).toBeGreaterThan(0);
  // No sale was declined or ran out here, so the states item names what is still to be seen.
  expect(item("states-and-events")).toMatchObject({
    ok: false,
    evidence: { missing: expect.arrayContaining(["ABORTED", "EXPIRED"]) },
  });
});

test("the evidence downloads as one JSON file, for signed-in callers only", async ({ app }) => {
  const response = await app.api("/api/v1/go-live/evidence");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-disposition")).toMatch(
    /^attachment; filename="kassa-go-live-evidence-\d{4}-\d{2}-\d{2}\.json"$/,
  );
  const document = await response.json();
  expect(document).toMatchObject({ environment: "simulator", merchantSerialNumber: "123456", summary: { total: 18 } });
  expect(
    document.testReferences.map((ref: { outcome: string; reference: string }) => [ref.outcome, ref.reference]),
  ).toEqual([
    ["captured", refs.captured.reference],
    ["refunded", refs.refunded.reference],
    ["cancelled", refs.cancelled.reference],
  ]);
  const operations = [...new Set(document.requests.map((request: { operation: string }) => request.operation))];
  expect(operations).toEqual(
    expect.arrayContaining([
      "fetchAccessToken",
      "createPayment",
      "getPayment",
      "getPaymentEvents",
      "capturePayment",
      "refundPayment",
      "cancelPayment",
      "registerWebhook",
    ]),
  );
  const text = JSON.stringify(document);
  expect(text).not.toContain("kassa-simulator-secret");
  expect(text).not.toContain("kassa-simulator-subscription-key");
  expect(text).not.toContain("Bearer ");

  for (const path of ["/api/v1/go-live", "/api/v1/go-live/evidence"]) {
    expect((await fetch(`${app.url}${path}`)).status, path).toBe(401);
  }
});

test("health shows the webhook registration's last check", async ({ app }) => {
  const health = await (await fetch(`${app.url}/api/health`)).json();
  expect(health).toMatchObject({
    webhook: "registered",
    webhookRegistration: { registered: true, url: expect.stringMatching(/\/api\/webhooks\/vipps$/), lastError: null },
  });
  expect(Date.parse(health.webhookRegistration.lastCheckedAt)).not.toBeNaN();
});

test("the admin shows the checklist, the reservations awaiting capture and the webhook", async ({ app, browser }) => {
  test.setTimeout(120_000);
  // One approved sale left waiting for its capture (auto-capture is off since the first test).
  const waiting = await createSale(app);
  await simAction(app, waiting.reference, "approve");
  const view = await waitForSaleState(app, waiting.id, "authorized");
  // Vipps' own guarantee (captureGuaranteedUntil, a week in the simulator) is the deadline shown.
  const deadline = (view as unknown as { captureDeadline: string }).captureDeadline;
  expect(deadline).toBe((await simPayment(app, waiting.reference)).captureGuaranteedUntil);
  expect(Date.parse(deadline) - Date.now()).toBeGreaterThan(6 * 86_400_000);

  const { context, page } = await signInAdmin(browser, app);
  try {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole("link", { name: "Go-live" }).click();
    await page.waitForURL(`${app.url}/admin/go-live`);
    await expect(page.getByRole("heading", { name: "Go-live evidence" })).toBeVisible();
    const items = page.getByTestId("go-live-items").locator("section");
    await expect(items).toHaveCount(18);
    for (const id of ["test-captured", "test-refunded", "test-cancelled", "endpoint-events"]) {
      const card = page.getByTestId(`go-live-item-${id}`);
      await expect(card).toHaveAttribute("data-ok", "true");
      await expect(card.getByTestId("go-live-status")).toHaveText("Met");
    }
    await expect(page.getByTestId("go-live-item-test-captured")).toContainText(refs.captured.reference);
    await expect(page.getByTestId("go-live-item-states-and-events").getByTestId("go-live-status")).toHaveText(
      "Not yet",
    );
    await expect(page.getByTestId("go-live-summary")).toContainText("of 18 met");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/admin-go-live.png`, fullPage: true });

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("go-live-download").click()]);
    expect(download.suggestedFilename()).toMatch(/^kassa-go-live-evidence-.*\.json$/);

    await page.goto(`${app.url}/admin/sales`);
    const row = page.getByTestId("awaiting-capture-row");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Capture by");
    await expect(row).toHaveAttribute("data-urgent", "false");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/admin-sales-awaiting-capture.png` });

    await page.goto(`${app.url}/admin/settings`);
    await expect(page.getByTestId("webhook-state")).toHaveAttribute("data-state", "registered");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/admin-settings-webhook.png`, fullPage: true });
  } finally {
    await context.close();
    await post(app, `/api/v1/sales/${waiting.id}/cancel`);
    await app.api("/api/v1/settings", { method: "PATCH", json: { autoCapture: true } });
  }
});

test("each store is checked as its own sales unit, in the API and on the Go-live page", async ({ app, browser }) => {
  const added = await app.api("/api/v1/stores", {
    method: "POST",
    json: { name: "Torget", msn: "222333", currency: "NOK" },
  });
  expect(added.status, await added.clone().text()).toBe(201);
  const storeB = ((await added.json()) as { id: string }).id;
  const report = await (await app.api("/api/v1/go-live")).json();
  expect(report.stores).toEqual([
    expect.objectContaining({ storeId: "store-1", msn: "123456", keys: "partner", ok: true }),
    expect.objectContaining({
      storeId: storeB,
      msn: "222333",
      keys: "partner",
      ok: true,
      checks: {
        msn: { ok: true, detail: "222333" },
        keys: { ok: true, detail: expect.stringContaining("MSN 222333") },
        webhook: { ok: true, detail: expect.stringContaining("registered") },
      },
    }),
  ]);
  const evidence = await (await app.api("/api/v1/go-live/evidence")).json();
  expect(evidence.stores.map((store: { storeId: string }) => store.storeId)).toEqual(["store-1", storeB]);

  const { context, page } = await signInAdmin(browser, app);
  try {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${app.url}/admin/go-live`);
    const stores = page.getByTestId("go-live-stores");
    await expect(stores.getByRole("heading", { name: "Stores (Vipps sales units)" })).toBeVisible();
    for (const id of ["store-1", storeB]) {
      const card = page.getByTestId(`go-live-store-${id}`);
      await expect(card).toHaveAttribute("data-ok", "true");
      await expect(card.getByTestId("go-live-store-check-keys")).toContainText("Keys work at Vipps");
    }
    await expect(page.getByTestId(`go-live-store-${storeB}`)).toContainText("222333");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/admin-go-live-stores.png`, fullPage: true });
  } finally {
    await context.close();
  }
});
