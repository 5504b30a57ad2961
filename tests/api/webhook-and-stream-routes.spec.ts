// Vipps' webhooks and the displays' event streams, answered by their Next routes like every other
// request: the headers next.config.mjs gives every response, problem details for every refusal,
// the webhook body cap, and a stream that follows a sale to paid.
import { request } from "node:http";
import { expect, test } from "../support/fixtures";

const EVERY_RESPONSE = ["referrer-policy", "x-content-type-options", "content-security-policy", "x-frame-options"];

async function expectProblem(
  response: Response,
  status: number,
): Promise<{ status: number; title: string; detail: string }> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  const body = (await response.json()) as { status: number; title: string; detail: string };
  expect(body.status).toBe(status);
  return body;
}

test("refusals of webhooks and display streams are problem details with the headers Next gives every response", async ({
  app,
}) => {
  const fromHealth = await fetch(`${app.url}/api/health`);
  expect(fromHealth.status).toBe(200);
  for (const name of EVERY_RESPONSE) expect(fromHealth.headers.get(name), name).not.toBeNull();

  const stream = await fetch(`${app.url}/api/display/pos-1/events?token=wrong`);
  const webhook = await fetch(`${app.url}/api/webhooks/vipps`, {
    method: "POST",
    body: "{}",
    headers: { "content-type": "application/json" },
  });
  for (const answer of [stream, webhook]) {
    for (const name of EVERY_RESPONSE) expect(answer.headers.get(name), name).toBe(fromHealth.headers.get(name));
  }
  expect((await expectProblem(stream, 401)).detail).toContain("This display is not paired with the terminal.");
  expect((await expectProblem(webhook, 401)).title).toBe("Webhook signature rejected");
  expect(webhook.headers.get("cache-control")).toBe("no-store");
});

test("a webhook declaring a body over 256 KiB is refused with a 413 problem before it is sent", async ({ app }) => {
  const answer = await new Promise<{ status: number; contentType: string | undefined; body: string }>(
    (resolve, reject) => {
      // Only the headers and one byte go out: the answer must come without the rest of the body.
      const outgoing = request(
        `${app.url}/api/webhooks/vipps`,
        { method: "POST", headers: { "content-type": "application/json", "content-length": String(256 * 1024 + 1) } },
        (response) => {
          let body = "";
          response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
          response.on("end", () => {
            resolve({ status: response.statusCode ?? 0, contentType: response.headers["content-type"], body });
            outgoing.destroy();
          });
        },
      );
      outgoing.on("error", reject);
      outgoing.write("{");
    },
  );
  expect(answer.status).toBe(413);
  expect(answer.contentType).toContain("application/problem+json");
  expect(JSON.parse(answer.body)).toMatchObject({ status: 413, detail: `The body may be at most ${256 * 1024} bytes` });
});

test("a display stream follows a sale to paid, with the stream's headers and those of every response", async ({
  app,
}) => {
  const terminal = (await (await app.api("/api/v1/terminals/pos-1")).json()) as { displayUrl: string };
  const token = new URL(terminal.displayUrl).searchParams.get("token") ?? "";
  const stream = await fetch(`${app.url}/api/display/pos-1/events?token=${token}`);
  expect(stream.status).toBe(200);
  expect(stream.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  expect(stream.headers.get("cache-control")).toBe("no-cache, no-transform");
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
  expect(text.startsWith("retry: 1000\n\n")).toBe(true);
  const created = await app.api("/api/v1/sales", {
    method: "POST",
    json: {
      terminalId: "pos-1",
      currency: "NOK",
      lines: [{ name: "Coffee", quantity: 1, unitPrice: 4900, taxRate: 1500 }],
    },
  });
  expect(created.status).toBe(201);
  const sale = (await created.json()) as { reference: string };
  await readUntil('"phase":"pending"');
  expect((await app.sim(`/payments/${sale.reference}/approve`, { method: "POST" })).status).toBeLessThan(300);
  await readUntil('"phase":"paid"');
  await reader.cancel();
});
