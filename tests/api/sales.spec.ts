import { expect, test } from "../support/fixtures";
import {
  createSale,
  getSale,
  saleEvents,
  setWebhookFaults,
  simAction,
  simPayment,
  TWO_LINES,
  TWO_LINES_TOTAL,
  waitForSaleState,
} from "./helpers";

test.afterEach(async ({ app }) => {
  await setWebhookFaults(app, "deliver");
  // Leave the terminal free for the next test.
  const terminal = await (await app.api("/api/v1/terminals/pos-1")).json();
  if (terminal.activeSaleId) await app.api(`/api/v1/sales/${terminal.activeSaleId}/cancel`, { method: "POST" });
});

test("happy path: a QR sale is approved, captured once and matches Vipps' aggregate", async ({ app }) => {
  const sale = await createSale(app);
  expect(sale.state).toBe("pending");
  expect(sale.amount).toEqual({ value: TWO_LINES_TOTAL, currency: "NOK" });
  expect(sale.reference).toMatch(/^[a-zA-Z0-9-]{8,50}$/);
  expect(sale.qr?.url).toContain("/sim/qr/");
  const expiresIn = Date.parse(sale.qr!.expiresAt) - Date.now();
  expect(expiresIn).toBeGreaterThan(9 * 60_000);
  expect(expiresIn).toBeLessThanOrEqual(10 * 60_000);

  const atVipps = await simPayment(app, sale.reference);
  expect(atVipps.state).toBe("CREATED");

  await simAction(app, sale.reference, "approve");
  const captured = await waitForSaleState(app, sale.id, "captured");
  expect(captured.capturedAmount.value).toBe(TWO_LINES_TOTAL);
  expect(captured.qr).toBeNull();

  const after = await simPayment(app, sale.reference);
  expect(after.aggregate.capturedAmount.value).toBe(TWO_LINES_TOTAL);
  expect(after.aggregate.authorizedAmount.value).toBe(TWO_LINES_TOTAL);
  expect(after.events.filter((event: { name: string }) => event.name === "CAPTURED")).toHaveLength(1);
});

test("the create request carries the QR flow, receipt, posId and description", async ({ app }) => {
  const sale = await createSale(app);
  const atVipps = await simPayment(app, sale.reference);
  const request = atVipps.request ?? atVipps;
  expect(request.userFlow).toBe("QR");
  expect(request.customerInteraction).toBe("CUSTOMER_PRESENT");
  expect(request.paymentMethod).toEqual({ type: "WALLET" });
  expect(request.qrFormat).toEqual({ format: "TEXT/TARGETURL" });
  expect(request.paymentDescription.length).toBeGreaterThanOrEqual(3);
  expect(request.receipt.bottomLine).toMatchObject({ currency: "NOK", posId: "pos-1" });
  expect(request.receipt.orderLines).toHaveLength(2);
  const [earBuds] = request.receipt.orderLines;
  expect(earBuds).toMatchObject({
    name: "Ear buds",
    totalAmount: 42924,
    totalTaxAmount: 8585,
    totalAmountExcludingTax: 34339,
  });
  await app.api(`/api/v1/sales/${sale.id}/cancel`, { method: "POST" });
});

test("webhooks dropped entirely: the poller still learns of the approval and captures", async ({ app }) => {
  await setWebhookFaults(app, "drop");
  const sale = await createSale(app);
  await simAction(app, sale.reference, "approve");
  await waitForSaleState(app, sale.id, "captured");
  const events = await saleEvents(app, sale.id);
  const authorized = events.find((event) => event.type === "payment.authorized");
  expect(authorized?.source).toBe("poll");
  expect((await simPayment(app, sale.reference)).aggregate.capturedAmount.value).toBe(TWO_LINES_TOTAL);
});

test("duplicated and reordered webhooks change nothing: captured exactly once", async ({ app }) => {
  await setWebhookFaults(app, "drop");
  const sale = await createSale(app);
  await simAction(app, sale.reference, "approve");
  await waitForSaleState(app, sale.id, "captured");

  const deliveries = (await (await app.sim(`/deliveries?reference=${sale.reference}`)).json()) as
    | { items?: any[] }
    | any[];
  const list = (
    Array.isArray(deliveries) ? deliveries : ((deliveries as any).deliveries ?? deliveries.items ?? [])
  ) as { headers: Record<string, string>; body: string; eventName: string }[];
  expect(list.map((d) => d.eventName)).toEqual(expect.arrayContaining(["CREATED", "AUTHORIZED", "CAPTURED"]));
  // Replay every signed request twice, newest first.
  for (const delivery of [...list].reverse().flatMap((d) => [d, d])) {
    const { host: _host, ...headers } = delivery.headers;
    const response = await fetch(`${app.url}/api/webhooks/vipps`, { method: "POST", headers, body: delivery.body });
    expect(response.status).toBe(200);
  }
  const after = await getSale(app, sale.id);
  expect(after.state).toBe("captured");
  expect(after.capturedAmount.value).toBe(TWO_LINES_TOTAL);
  const atVipps = await simPayment(app, sale.reference);
  expect(atVipps.events.filter((event: { name: string }) => event.name === "CAPTURED")).toHaveLength(1);
  expect(atVipps.aggregate.capturedAmount.value).toBe(TWO_LINES_TOTAL);
});

test("a forged webhook is refused with 401 and changes nothing", async ({ app }) => {
  await setWebhookFaults(app, "drop");
  const sale = await createSale(app);
  const body = JSON.stringify({
    msn: "123456",
    reference: sale.reference,
    pspReference: "forged",
    name: "AUTHORIZED",
    amount: { value: TWO_LINES_TOTAL, currency: "NOK" },
    timestamp: new Date().toISOString(),
    idempotencyKey: null,
    success: true,
  });
  const response = await fetch(`${app.url}/api/webhooks/vipps`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-ms-date": new Date().toUTCString(),
      "x-ms-content-sha256": "bm90IHRoZSBoYXNo",
      authorization: "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=Zm9yZ2Vk",
    },
    body,
  });
  expect(response.status).toBe(401);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  expect((await getSale(app, sale.id)).state).toBe("pending");
  expect((await simPayment(app, sale.reference)).state).toBe("CREATED");
});

test("a second sale on a busy terminal is refused with 409 until the first ends", async ({ app }) => {
  const first = await createSale(app);
  const second = await app.api("/api/v1/sales", { method: "POST", json: TWO_LINES });
  expect(second.status).toBe(409);
  const problem = await second.json();
  expect(problem.type).toContain("terminal-busy");
  expect(problem.activeSaleId).toBe(first.id);

  const cancelled = await app.api(`/api/v1/sales/${first.id}/cancel`, { method: "POST" });
  expect(cancelled.status).toBe(200);
  expect((await cancelled.json()).state).toBe("cancelled");
  expect((await simPayment(app, first.reference)).state).toBe("TERMINATED");
  const third = await createSale(app);
  expect(third.state).toBe("pending");
});

test("the same Idempotency-Key replays the sale; with another body it conflicts", async ({ app }) => {
  const key = `order-${Date.now()}`;
  const first = await createSale(app, TWO_LINES, { "idempotency-key": key });
  const replay = await app.api("/api/v1/sales", {
    method: "POST",
    json: TWO_LINES,
    headers: { "idempotency-key": key },
  });
  expect(replay.status).toBe(200);
  expect((await replay.json()).id).toBe(first.id);
  const conflict = await app.api("/api/v1/sales", {
    method: "POST",
    json: { ...TWO_LINES, lines: [TWO_LINES.lines[0]] },
    headers: { "idempotency-key": key },
  });
  expect(conflict.status).toBe(409);
  expect((await conflict.json()).type).toContain("idempotency-conflict");
});

test("expiry with a fake clock: cancelled at Vipps, sale expired, then a new QR with a new reference", async ({
  app,
}) => {
  const sale = await createSale(app);
  const advance = await app.sim("/clock/advance", { method: "POST", json: { ms: 10 * 60_000 - 1_000 } });
  expect(advance.status).toBe(200);
  const expired = await waitForSaleState(app, sale.id, "expired");
  expect(expired.qr).toBeNull();
  const atVipps = await simPayment(app, sale.reference);
  expect(atVipps.state).toBe("TERMINATED");

  const renewed = await app.api(`/api/v1/sales/${sale.id}/new-qr`, { method: "POST" });
  expect(renewed.status).toBe(200);
  const body = await renewed.json();
  expect(body.state).toBe("pending");
  expect(body.reference).not.toBe(sale.reference);
  expect(body.attemptCount).toBe(2);
  expect(body.qr.url).not.toBe(sale.qr!.url);
  await simAction(app, body.reference, "approve");
  await waitForSaleState(app, sale.id, "captured");
});

test("a customer who declines ends the sale as aborted", async ({ app }) => {
  const sale = await createSale(app);
  await simAction(app, sale.reference, "reject");
  await waitForSaleState(app, sale.id, "aborted");
});

test("refunds: partial, then the rest, never above what was captured", async ({ app }) => {
  const sale = await createSale(app);
  await simAction(app, sale.reference, "approve");
  await waitForSaleState(app, sale.id, "captured");

  const partial = await app.api(`/api/v1/sales/${sale.id}/refund`, { method: "POST", json: { amount: 1000 } });
  expect(partial.status).toBe(200);
  const afterPartial = await partial.json();
  expect(afterPartial.refundedAmount.value).toBe(1000);
  expect(afterPartial.state).toBe("captured");

  const tooMuch = await app.api(`/api/v1/sales/${sale.id}/refund`, {
    method: "POST",
    json: { amount: TWO_LINES_TOTAL },
  });
  expect(tooMuch.status).toBe(422);
  expect((await tooMuch.json()).errors[0].field).toBe("amount");

  const rest = await app.api(`/api/v1/sales/${sale.id}/refund`, { method: "POST", json: {} });
  const afterRest = await rest.json();
  expect(afterRest.state).toBe("refunded");
  expect(afterRest.refundedAmount.value).toBe(TWO_LINES_TOTAL);
  expect((await simPayment(app, sale.reference)).aggregate.refundedAmount.value).toBe(TWO_LINES_TOTAL);
});

test("with auto-capture off the sale waits as authorized until the cashier captures", async ({ app }) => {
  await app.api("/api/v1/settings", { method: "PATCH", json: { autoCapture: false } });
  try {
    const sale = await createSale(app);
    await simAction(app, sale.reference, "approve");
    await waitForSaleState(app, sale.id, "authorized");
    // A capture that must not happen cannot be awaited: give the one an approval would start at once time to show.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await simPayment(app, sale.reference)).aggregate.capturedAmount.value).toBe(0);
    const captured = await app.api(`/api/v1/sales/${sale.id}/capture`, { method: "POST" });
    expect(captured.status).toBe(200);
    expect((await captured.json()).state).toBe("captured");
  } finally {
    await app.api("/api/v1/settings", { method: "PATCH", json: { autoCapture: true } });
  }
});

test("listing pages with a cursor and filters by state", async ({ app }) => {
  const page = await (await app.api("/api/v1/sales?limit=2")).json();
  expect(page.items).toHaveLength(2);
  expect(page.nextCursor).toBeTruthy();
  const next = await (await app.api(`/api/v1/sales?limit=2&cursor=${page.nextCursor}`)).json();
  expect(next.items[0].id).not.toBe(page.items[0].id);
  const captured = await (await app.api("/api/v1/sales?state=captured")).json();
  expect(captured.items.length).toBeGreaterThan(0);
  expect(captured.items.every((sale: { state: string }) => sale.state === "captured")).toBe(true);
  const csv = await app.api("/api/v1/sales/export.csv");
  expect(csv.headers.get("content-type")).toContain("text/csv");
  expect((await csv.text()).split("\r\n")[0]).toContain("reference");
});
