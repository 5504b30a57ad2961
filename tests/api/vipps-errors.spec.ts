// The Vipps error codes a counter meets (ePayment 2026), each produced by the simulator's fault
// control: what the POS and the cashier get, and that no sale or terminal is left stuck.
import type { AppHandle } from "../support/app-server";
import { expect, test } from "../support/fixtures";
import { createSale, getSale, saleEvents, simAction, simPayment, TWO_LINES, TWO_LINES_TOTAL, waitForSaleState } from "./helpers";

async function setFaults(app: AppHandle, faults: unknown): Promise<void> {
  const response = await app.sim("/faults", { method: "PUT", json: faults });
  expect(response.status, await response.clone().text()).toBe(200);
}

test.afterEach(async ({ app }) => {
  await app.sim("/faults", { method: "DELETE" });
});

test("a push sale refused with 5080 answers 422 push-not-allowed, and a QR sale on the same terminal goes through", async ({ app }) => {
  await setFaults(app, { create: { mode: "error", errorCode: "5080", count: 1 } });
  const refused = await app.api("/api/v1/sales", { method: "POST", json: { ...TWO_LINES, customer: { phoneNumber: "4791234567" } } });
  expect(refused.status).toBe(422);
  const problem = (await refused.json()) as { type: string; detail: string; vippsErrorCode: string; saleId: string };
  expect(problem.type).toMatch(/\/push-not-allowed$/);
  expect(problem.vippsErrorCode).toBe("5080");
  expect(problem.detail).toMatch(/QR code instead/);
  expect((await getSale(app, problem.saleId)).state).toBe("failed");

  const qr = await createSale(app);
  expect(qr.state).toBe("pending");
  expect(qr.qr?.url).toBeTruthy();
  expect((await app.api(`/api/v1/sales/${qr.id}/cancel`, { method: "POST" })).status).toBe(200);
});

test("a capture refused twice with 6280 is retried with back-off and the sale ends captured, once", async ({ app }) => {
  const sale = await createSale(app);
  await setFaults(app, { capture: { mode: "error", errorCode: "6280", count: 2 } });
  await simAction(app, sale.reference, "approve");
  const captured = await waitForSaleState(app, sale.id, "captured", 30_000);
  expect(captured.capturedAmount.value).toBe(TWO_LINES_TOTAL);
  const failures = (await saleEvents(app, sale.id)).filter((event) => event.type === "payment.capture-failed");
  expect(failures).toHaveLength(2);
  const atVipps = await simPayment(app, sale.reference);
  expect(atVipps.events.filter((event: { name: string }) => event.name === "CAPTURED")).toHaveLength(1);
});

test("a cancel refused twice with 6250 (being processed) is sent again and the sale ends cancelled", async ({ app }) => {
  const sale = await createSale(app);
  await setFaults(app, { cancel: { mode: "error", errorCode: "6250", count: 2 } });
  const cancelled = await app.api(`/api/v1/sales/${sale.id}/cancel`, { method: "POST" });
  expect(cancelled.status, await cancelled.clone().text()).toBe(200);
  expect((await getSale(app, sale.id)).state).toBe("cancelled");
  expect((await simPayment(app, sale.reference)).state).toBe("TERMINATED");
  expect((await app.sim("/faults").then((response) => response.json())).cancel).toBeUndefined();
});

test("a capture the cashier asks for that Vipps refuses with 6260 says so in the cashier's words, and the sale stays approved", async ({ app }) => {
  await app.api("/api/v1/settings", { method: "PATCH", json: { autoCapture: false } });
  const sale = await createSale(app);
  await simAction(app, sale.reference, "approve");
  await waitForSaleState(app, sale.id, "authorized");
  await setFaults(app, { capture: { mode: "error", errorCode: "6260", count: 1 } });
  const refused = await app.api(`/api/v1/sales/${sale.id}/capture`, { method: "POST" });
  expect(refused.status).toBe(502);
  const problem = (await refused.json()) as { detail: string; vippsErrorCode: string };
  expect(problem.vippsErrorCode).toBe("6260");
  expect(problem.detail).toMatch(/funds are not available/);
  expect((await getSale(app, sale.id)).state).toBe("authorized");
  const retried = await app.api(`/api/v1/sales/${sale.id}/capture`, { method: "POST" });
  expect(retried.status).toBe(200);
  expect((await getSale(app, sale.id)).state).toBe("captured");
  await app.api("/api/v1/settings", { method: "PATCH", json: { autoCapture: true } });
});
