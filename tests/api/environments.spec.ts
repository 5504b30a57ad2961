import { expect, test } from "../support/fixtures";
import { TWO_LINES } from "./helpers";

// The real Vipps test environment, pointed at a closed local port: nothing here may reach the internet.
test.use({
  appOptions: {
    requireWebhook: false,
    env: {
      VIPPS_ENV: "test",
      VIPPS_BASE_URL: "http://127.0.0.1:9",
      VIPPS_CLIENT_ID: "00000000-0000-4000-8000-000000000001",
      VIPPS_CLIENT_SECRET: "not-a-real-secret",
      VIPPS_SUBSCRIPTION_KEY: "not-a-real-key",
      VIPPS_MSN: "654321",
    },
  },
});

test("with VIPPS_ENV=test the simulator is off and health says which API is used", async ({ app }) => {
  const health = await (await fetch(`${app.url}/api/health`)).json();
  expect(health).toMatchObject({ status: "ok", vipps: "test", simulator: false, vippsBaseUrl: "http://127.0.0.1:9" });
  expect(health.webhook).not.toBe("registered");
  const sim = await fetch(`${app.url}/sim/accesstoken/get`, { method: "POST" });
  expect(sim.status).toBe(404);
  expect(sim.headers.get("content-type")).toContain("application/problem+json");
  expect((await fetch(`${app.url}/sim/_sim/clock`)).status).toBe(404);
});

test("when Vipps cannot be reached, charging fails clearly and frees the terminal", async ({ app }) => {
  const response = await app.api("/api/v1/sales", { method: "POST", json: TWO_LINES });
  expect(response.status).toBe(503);
  const problem = await response.json();
  expect(problem.type).toContain("payment-provider-unavailable");
  const sale = await (await app.api(`/api/v1/sales/${problem.saleId}`)).json();
  expect(sale.state).toBe("failed");
  expect(sale.failureReason).toBeTruthy();
  const terminal = await (await app.api("/api/v1/terminals/pos-1")).json();
  expect(terminal.activeSaleId).toBeNull();
  expect(app.logs()).not.toContain("not-a-real-secret");
});
