/**
 * Issue: 20 parallel refunds of one sale while Vipps answered 429 queued for up to a minute each,
 * and two that the client had given up on were carried out later. Now each answers quickly, with
 * Retry-After, and nothing a client stopped waiting for moves money afterwards.
 */
import { expect, test } from "../support/fixtures";
import { createSale, getSale, simAction, simPayment, TWO_LINES, TWO_LINES_TOTAL, waitForSaleState } from "./helpers";

test("parallel refunds while Vipps answers 429 all answer within seconds with Retry-After, and none is carried out later", async ({
  app,
}) => {
  const sale = await createSale(app, TWO_LINES);
  await simAction(app, sale.reference, "approve");
  await waitForSaleState(app, sale.id, "captured");

  expect((await app.sim("/faults", { method: "PUT", json: { refund: { mode: "error", status: 429 } } })).status).toBe(
    200,
  );
  const started = Date.now();
  const answers = await Promise.all(
    Array.from({ length: 20 }, async (_, i) => {
      const response = await app.api(`/api/v1/sales/${sale.id}/refund`, {
        method: "POST",
        json: { amount: 100 },
        headers: { "idempotency-key": `storm-${i}` },
        // A POS that gives up after 15 s, as the probe's did.
        signal: AbortSignal.timeout(15_000),
      });
      return {
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
        type: response.headers.get("content-type"),
        ms: Date.now() - started,
      };
    }),
  );
  for (const answer of answers) {
    expect([409, 429]).toContain(answer.status);
    expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    expect(answer.type).toContain("application/problem+json");
  }
  expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(12_000);

  // Vipps recovers; nothing that was refused may happen behind the clients' backs.
  await app.sim("/faults", { method: "DELETE" });
  // Time for a refund queued behind the clients' backs to reach Vipps; what must not happen cannot be awaited.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect((await getSale(app, sale.id)).refundedAmount.value).toBe(0);
  expect((await simPayment(app, sale.reference)).aggregate.refundedAmount.value).toBe(0);

  // A retry under its key now goes through, once.
  for (let i = 0; i < 2; i++) {
    const retried = await app.api(`/api/v1/sales/${sale.id}/refund`, {
      method: "POST",
      json: { amount: 100 },
      headers: { "idempotency-key": "storm-0" },
    });
    expect(retried.status).toBe(200);
  }
  expect((await getSale(app, sale.id)).refundedAmount.value).toBe(100);
  expect((await simPayment(app, sale.reference)).aggregate.refundedAmount.value).toBe(100);
  expect(TWO_LINES_TOTAL).toBeGreaterThan(100);
});
