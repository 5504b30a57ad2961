import { expect, test } from "../support/fixtures";
import {
  createSale,
  getSale,
  setWebhookFaults,
  simAction,
  simPayment,
  TWO_LINES_TOTAL,
  waitForSaleState,
} from "./helpers";

test("a sale started before a restart completes after it", async ({ app }) => {
  const sale = await createSale(app);
  await app.restart();
  const again = await getSale(app, sale.id);
  expect(again.state).toBe("pending");
  expect(again.qr?.url).toBe(sale.qr!.url);
  await simAction(app, sale.reference, "approve");
  const captured = await waitForSaleState(app, sale.id, "captured");
  expect(captured.capturedAmount.value).toBe(TWO_LINES_TOTAL);
});

test("an approval that happened while the app was down is captured by the start-up sweep", async ({ app }) => {
  await setWebhookFaults(app, "drop");
  const sale = await createSale(app);
  // Approve and stop at once, before the next poll: the app learns of it only after restart.
  await simAction(app, sale.reference, "approve");
  await app.restart();
  const captured = await waitForSaleState(app, sale.id, "captured");
  expect(captured.capturedAmount.value).toBe(TWO_LINES_TOTAL);
  const atVipps = await simPayment(app, sale.reference);
  expect(atVipps.events.filter((event: { name: string }) => event.name === "CAPTURED")).toHaveLength(1);
});

test("an SSE client sees pending, then paid", async ({ app }) => {
  const terminal = await (await app.api("/api/v1/terminals/pos-1")).json();
  const token = new URL(terminal.displayUrl).searchParams.get("token");
  const controller = new AbortController();
  const response = await fetch(`${app.url}/api/display/pos-1/events?token=${token}`, { signal: controller.signal });
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const reader = response.body!.getReader();
  const phases: string[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  const readUntil = async (phase: string) => {
    while (!phases.includes(phase)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let index: number;
      while ((index = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        const data = frame.split("\n").find((line) => line.startsWith("data: "));
        if (data) phases.push(JSON.parse(data.slice(6)).phase);
      }
    }
  };
  const sale = await createSale(app);
  await readUntil("pending");
  // The stream opened on the previous sale's outcome; only what follows the new QR counts.
  phases.length = 0;
  await simAction(app, sale.reference, "approve");
  await readUntil("paid");
  controller.abort();
  expect(phases.at(-1)).toBe("paid");
  expect(phases.every((phase) => ["pending", "approved", "paid"].includes(phase))).toBe(true);

  const unauthorised = await fetch(`${app.url}/api/display/pos-1/events?token=wrong`);
  expect(unauthorised.status).toBe(401);
  const noToken = await fetch(`${app.url}/api/display/pos-1/state`);
  expect(noToken.status).toBe(401);
});
