// Peers that hold the server's resources without finishing: a body that trickles in gets a 408
// after 10 s (Node alone would wait 300 s), and a display link holds a bounded number of streams.
import { connect } from "node:net";
import { expect, test } from "../support/fixtures";

test("a webhook body trickling in is answered 408 within the 10 s deadline and its connection closed", async ({
  app,
}) => {
  test.setTimeout(40_000);
  const { port } = new URL(app.url);
  const socket = connect(Number(port), "127.0.0.1");
  socket.on("error", () => {});
  const started = Date.now();
  socket.write(
    "POST /api/webhooks/vipps HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{",
  );
  // A byte every 2 s, as the attack did: each one keeps an idle-timeout from firing.
  const trickle = setInterval(() => socket.write(" "), 2_000);
  let received = "";
  socket.on("data", (chunk: Buffer) => {
    received += chunk.toString("latin1");
  });
  await new Promise<void>((resolve) => socket.on("close", () => resolve()));
  clearInterval(trickle);
  const took = Date.now() - started;
  expect(received).toMatch(/^HTTP\/1\.1 408 /);
  expect(received).toContain("must arrive within 10 s");
  expect(took).toBeGreaterThanOrEqual(9_000);
  expect(took).toBeLessThan(20_000);
});

test("a display link holds at most 5 open streams: a sixth ends the oldest, the newer ones stay open", async ({
  app,
}) => {
  const terminal = (await (await app.api("/api/v1/terminals/pos-1")).json()) as { displayUrl: string };
  const token = new URL(terminal.displayUrl).searchParams.get("token")!;
  const open = async () => {
    const aborter = new AbortController();
    const response = await fetch(`${app.url}/api/display/pos-1/events?token=${token}`, { signal: aborter.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    return { reader, aborter };
  };
  const streams = [];
  for (let i = 0; i < 5; i++) streams.push(await open());
  const sixth = await open();
  /** Reads until the stream ends (true) or nothing ends it within `ms` (false). */
  const endsWithin = async (reader: ReadableStreamDefaultReader<Uint8Array>, ms: number) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const next = await Promise.race([
        reader.read().then((result) => (result.done ? "ended" : "data")),
        new Promise<"quiet">((resolve) => setTimeout(() => resolve("quiet"), Math.max(1, deadline - Date.now()))),
      ]);
      if (next === "ended") return true;
      if (next === "quiet") return false;
    }
    return false;
  };
  expect(await endsWithin(streams[0]!.reader, 5_000)).toBe(true);
  // The others, the sixth among them, still get the next state.
  await app.api("/api/v1/terminals/pos-1/cart", {
    method: "PUT",
    json: { currency: "NOK", lines: [{ name: "Bolle", quantity: 1, unitPrice: 3500, taxRate: 1500 }] },
  });
  for (const stream of [...streams.slice(1), sixth]) expect(await endsWithin(stream.reader, 1_500)).toBe(false);
  for (const stream of [...streams, sixth]) stream.aborter.abort();
});
