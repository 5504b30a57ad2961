/**
 * Property-based probing of the running POS API (fast-check): arbitrary bodies, content types and
 * Idempotency-Keys sent to every endpoint that writes. No answer is a 5xx, every refusal is a
 * problem+json, and a refusal leaves the sales, terminals and products exactly as they were.
 */
import fc from "fast-check";
import { expect, test } from "../support/fixtures";
import type { AppHandle } from "../support/app-server";
import { createSale, simAction, TWO_LINES, waitForSaleState } from "./helpers";

async function fingerprint(app: AppHandle): Promise<string> {
  const read = async (path: string) => (await app.api(path)).json();
  const sales = (await read("/api/v1/sales?limit=100")) as {
    items: { id: string; state: string; capturedAmount: unknown; refundedAmount: unknown; attemptCount: number }[];
  };
  return JSON.stringify({
    sales: sales.items.map(({ id, state, capturedAmount, refundedAmount, attemptCount }) => ({
      id,
      state,
      capturedAmount,
      refundedAmount,
      attemptCount,
    })),
    terminals: await read("/api/v1/terminals"),
    products: await read("/api/v1/products"),
  });
}

const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));

test("arbitrary writes never get a 5xx, and every refusal changes nothing", async ({ app }) => {
  test.setTimeout(180_000);
  const paid = await createSale(app, TWO_LINES);
  await simAction(app, paid.reference, "approve");
  await waitForSaleState(app, paid.id, "captured");

  const paths = [
    "/api/v1/sales",
    `/api/v1/sales/${paid.id}/refund`,
    `/api/v1/sales/${paid.id}/cancel`,
    `/api/v1/sales/${paid.id}/capture`,
    "/api/v1/terminals",
    "/api/v1/terminals/pos-1",
    "/api/v1/products",
    "/api/v1/sales/no-such-sale/refund",
  ];
  const validish = fc.oneof(
    fc.record(
      {
        terminalId: fc.constantFrom("pos-1", "nope", ""),
        currency: fc.constantFrom("NOK", "XXX", "nok"),
        lines: fc.array(
          fc.record({
            name: printable(20),
            quantity: fc.integer({ min: -2, max: 1000 }),
            unitPrice: fc.oneof(fc.integer({ min: -5, max: 10_000_000 }), fc.double()),
            taxRate: fc.integer({ min: -1, max: 20_000 }),
          }),
          { maxLength: 3 },
        ),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      { amount: fc.oneof(fc.integer({ min: -100, max: 10_000_000 }), fc.double(), printable(8)) },
      { requiredKeys: [] },
    ),
    fc.record({ name: fc.string({ maxLength: 30 }), unitPrice: fc.anything() }, { requiredKeys: [] }),
  );
  const body = fc.oneof(
    validish.map((value) => JSON.stringify(value)),
    fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? "null"),
    fc.string({ maxLength: 200 }),
    fc.constant(""),
  );
  const request = fc.record({
    method: fc.constantFrom("POST", "PUT", "PATCH", "DELETE"),
    path: fc.constantFrom(...paths),
    contentType: fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "",
    ),
    idempotencyKey: fc.option(printable(120), { nil: undefined }),
    body,
  });

  let before = await fingerprint(app);
  let refusals = 0;
  await fc.assert(
    fc.asyncProperty(request, async ({ method, path, contentType, idempotencyKey, body: raw }) => {
      const headers: Record<string, string> = {};
      if (contentType) headers["content-type"] = contentType;
      if (idempotencyKey !== undefined) headers["idempotency-key"] = idempotencyKey;
      const response = await app.api(path, {
        method,
        headers,
        body: method === "DELETE" && raw === "" ? undefined : raw,
      });
      const text = await response.text();
      expect(response.status, `${method} ${path} ${raw.slice(0, 200)} → ${text.slice(0, 300)}`).toBeLessThan(500);
      const after = await fingerprint(app);
      if (response.status >= 400) {
        refusals += 1;
        if (response.status !== 405)
          expect(response.headers.get("content-type"), text).toContain("application/problem+json");
        expect(after, `${method} ${path} was refused with ${response.status} but changed data`).toBe(before);
      }
      before = after;
    }),
    { numRuns: 150 },
  );
  expect(refusals).toBeGreaterThan(100);
});
