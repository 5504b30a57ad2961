// The routes the server answers ahead of Next (display streams, Vipps' webhooks) give what Next
// gives: the headers next.config.mjs puts on every response, and the same problems as the Next
// routes for the same paths.
import { expect, test } from "../support/fixtures";

const EVERY_RESPONSE = ["referrer-policy", "x-content-type-options", "content-security-policy", "x-frame-options"];

test("direct answers carry the headers Next puts on every response, and the Next routes' problems", async ({ app }) => {
  const fromNext = await fetch(`${app.url}/api/health`);
  expect(fromNext.status).toBe(200);

  // Served by the listener (a terminal id), and by Next's route (no terminal can be called that).
  const direct = await fetch(`${app.url}/api/display/pos-1/events?token=wrong`);
  const throughNext = await fetch(`${app.url}/api/display/POS-1/events?token=wrong`);
  const webhook = await fetch(`${app.url}/api/webhooks/vipps`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
  for (const answer of [direct, throughNext, webhook]) {
    for (const name of EVERY_RESPONSE) expect(answer.headers.get(name), name).toBe(fromNext.headers.get(name));
  }
  expect([direct.status, throughNext.status]).toEqual([401, 401]);
  const [directProblem, nextProblem] = [await direct.json(), await throughNext.json()];
  expect(directProblem).toEqual(nextProblem);
  expect(direct.headers.get("content-type")).toBe(throughNext.headers.get("content-type"));
  expect(webhook.status).toBe(401);
});

test("a display stream opened through the listener follows a sale to paid", async ({ app }) => {
  const terminal = (await (await app.api("/api/v1/terminals/pos-1")).json()) as { displayUrl: string };
  const token = new URL(terminal.displayUrl).searchParams.get("token") ?? "";
  const stream = await fetch(`${app.url}/api/display/pos-1/events?token=${token}`);
  expect(stream.status).toBe(200);
  expect(stream.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  for (const name of EVERY_RESPONSE) expect(stream.headers.get(name), name).not.toBeNull();
  const reader = stream.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const readUntil = async (needle: string) => {
    while (!text.includes(needle)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before ${needle}: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
  };
  await readUntil('"phase":"idle"');
  const created = await app.api("/api/v1/sales", {
    method: "POST",
    json: { terminalId: "pos-1", currency: "NOK", lines: [{ name: "Coffee", quantity: 1, unitPrice: 4900, taxRate: 1500 }] },
  });
  expect(created.status).toBe(201);
  const sale = (await created.json()) as { reference: string };
  await readUntil('"phase":"pending"');
  expect((await app.sim(`/payments/${sale.reference}/approve`, { method: "POST" })).status).toBeLessThan(300);
  await readUntil('"phase":"paid"');
  await reader.cancel();
});
