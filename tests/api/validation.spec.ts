import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "../support/fixtures";
import { SIMULATOR_DEMO_CREDENTIALS } from "../../lib/config";
import { TWO_LINES, waitForSaleState } from "./helpers";

test.use({ appOptions: { env: { KASSA_LOG_LEVEL: "debug" } } });

async function expectProblem(response: Response, status: number, field?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  const body = await response.json();
  expect(body.type).toMatch(/^https?:\/\//);
  expect(typeof body.detail).toBe("string");
  expect(body.status).toBe(status);
  if (field) expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
  return body;
}

const line = TWO_LINES.lines[0]!;
const withLine = (patch: Record<string, unknown>) => ({ ...TWO_LINES, lines: [{ ...line, ...patch }] });

test("requests without or with a wrong API key are 401", async ({ app }) => {
  await expectProblem(await fetch(`${app.url}/api/v1/sales`), 401);
  await expectProblem(
    await app.api("/api/v1/sales", { headers: { authorization: "Bearer wrong-key-wrong-key" } }),
    401,
  );
});

test("bad bodies are 4xx problems naming the field, never 500, never a partial write", async ({ app }) => {
  const before = (await (await app.api("/api/v1/sales")).json()).items.length;

  await expectProblem(
    await app.api("/api/v1/sales", {
      method: "POST",
      body: "{not json",
      headers: { "content-type": "application/json" },
    }),
    400,
  );
  await expectProblem(
    await app.api("/api/v1/sales", {
      method: "POST",
      body: "terminalId=pos-1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }),
    415,
  );
  await expectProblem(
    await app.api("/api/v1/sales", { method: "POST", json: withLine({ unitPrice: -100 }) }),
    400,
    "lines[0].unitPrice",
  );
  await expectProblem(
    await app.api("/api/v1/sales", { method: "POST", json: withLine({ unitPrice: 12.5 }) }),
    400,
    "lines[0].unitPrice",
  );
  await expectProblem(
    await app.api("/api/v1/sales", { method: "POST", json: withLine({ unitPrice: "100" }) }),
    400,
    "lines[0].unitPrice",
  );
  await expectProblem(
    await app.api("/api/v1/sales", { method: "POST", json: withLine({ quantity: 0 }) }),
    400,
    "lines[0].quantity",
  );
  await expectProblem(
    await app.api("/api/v1/sales", { method: "POST", json: { ...TWO_LINES, currency: "USD" } }),
    400,
    "currency",
  );
  await expectProblem(
    await app.api("/api/v1/sales", { method: "POST", json: { ...TWO_LINES, lines: [] } }),
    400,
    "lines",
  );
  await expectProblem(
    await app.api("/api/v1/sales", { method: "POST", json: { ...TWO_LINES, lines: Array(101).fill(line) } }),
    400,
    "lines",
  );
  await expectProblem(
    await app.api("/api/v1/sales", { method: "POST", json: { ...TWO_LINES, terminalId: "nope" } }),
    400,
    "terminalId",
  );
  await expectProblem(
    await app.api("/api/v1/sales", { method: "POST", json: withLine({ unitPrice: 50 }) }),
    400,
    "lines",
  );
  await expectProblem(
    await app.api("/api/v1/sales", { method: "POST", json: withLine({ quantity: 10_000, unitPrice: 65_000_000 }) }),
    400,
  );
  await expectProblem(await app.api("/api/v1/sales", { method: "POST", json: { ...TWO_LINES, extra: true } }), 400);
  await expectProblem(await app.api("/api/v1/sales", { method: "POST", json: [] }), 400);
  await expectProblem(await app.api("/api/v1/sales", { method: "POST", json: null }), 400);
  await expectProblem(
    await app.api("/api/v1/sales", {
      method: "POST",
      body: JSON.stringify({ ...TWO_LINES, pad: "x".repeat(200_000) }),
      headers: { "content-type": "application/json" },
    }),
    413,
  );
  await expectProblem(
    await app.api("/api/v1/sales", {
      method: "POST",
      json: TWO_LINES,
      headers: { "idempotency-key": "x".repeat(101) },
    }),
    400,
    "Idempotency-Key",
  );

  await expectProblem(await app.api("/api/v1/sales?state=bogus"), 400, "state");
  await expectProblem(await app.api("/api/v1/sales?from=yesterday"), 400, "from");
  await expectProblem(await app.api("/api/v1/sales?cursor=AAAA"), 400, "cursor");
  await expectProblem(await app.api("/api/v1/sales/does-not-exist"), 404);
  await expectProblem(
    await app.api("/api/v1/sales/does-not-exist/refund", { method: "POST", json: { amount: 1 } }),
    404,
  );
  await expectProblem(await app.api("/api/v1/terminals/nope"), 404);
  await expectProblem(
    await app.api("/api/v1/products", { method: "POST", json: { name: "", unitPrice: 1.5 } }),
    400,
    "name",
  );

  const after = (await (await app.api("/api/v1/sales")).json()).items.length;
  expect(after).toBe(before);
  const terminal = await (await app.api("/api/v1/terminals/pos-1")).json();
  expect(terminal.activeSaleId).toBeNull();
});

test("a refund of a sale that is not paid, or a negative refund, is refused", async ({ app }) => {
  const created = await app.api("/api/v1/sales", { method: "POST", json: TWO_LINES });
  const sale = await created.json();
  await expectProblem(await app.api(`/api/v1/sales/${sale.id}/refund`, { method: "POST", json: { amount: 100 } }), 409);
  await expectProblem(
    await app.api(`/api/v1/sales/${sale.id}/refund`, { method: "POST", json: { amount: -5 } }),
    400,
    "amount",
  );
  await expectProblem(await app.api(`/api/v1/sales/${sale.id}/capture`, { method: "POST" }), 409);
  await app.api(`/api/v1/sales/${sale.id}/cancel`, { method: "POST" });
  await expectProblem(await app.api(`/api/v1/sales/${sale.id}/capture`, { method: "POST" }), 409);
});

test("health, terminals and the OpenAPI document", async ({ app }) => {
  const health = await (await fetch(`${app.url}/api/health`)).json();
  expect(health).toMatchObject({ status: "ok", vipps: "simulator", webhook: "registered" });
  const terminals = await (await app.api("/api/v1/terminals")).json();
  expect(terminals.items[0]).toMatchObject({ id: "pos-1", name: "Counter 1", posId: "pos-1" });
  expect(terminals.items[0].displayUrl).toMatch(new RegExp(`^${app.url}/display/pos-1\\?token=.+`));
  const openapi = await (await fetch(`${app.url}/api/v1/openapi.json`)).json();
  expect(openapi.openapi).toBe("3.1.0");
  expect(openapi.paths["/api/v1/sales"].post.requestBody).toBeTruthy();
  expect(JSON.stringify(openapi.components.schemas.CreateSaleRequest)).toContain("unitPrice");
});

test("no secret reaches the browser bundle or the logs", async ({ app }) => {
  const secrets = [
    SIMULATOR_DEMO_CREDENTIALS.clientSecret,
    SIMULATOR_DEMO_CREDENTIALS.subscriptionKey,
    app.apiKey,
    app.adminPassword,
  ];
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const full = path.join(dir, entry);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
  const files = walk(path.join(__dirname, "../../.next/static"));
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const secret of secrets) expect(text.includes(secret), `${secret} in ${file}`).toBe(false);
  }
  // Drive a sale through so the server logs token fetches, payments and webhooks, then read them.
  const sale = await (await app.api("/api/v1/sales", { method: "POST", json: TWO_LINES })).json();
  await app.sim(`/payments/${sale.reference}/approve`, { method: "POST" });
  // Through to the end: captured, and Vipps' CAPTURED webhook received and answered.
  await waitForSaleState(app, sale.id, "captured");
  await expect
    .poll(async () => {
      const { deliveries } = (await (await app.sim(`/deliveries?reference=${sale.reference}`)).json()) as {
        deliveries: { eventName: string; lastStatusCode: number | null }[];
      };
      return deliveries.find((delivery) => delivery.eventName === "CAPTURED")?.lastStatusCode;
    })
    .toBe(200);
  for (const secret of secrets) expect(app.logs()).not.toContain(secret);
});
