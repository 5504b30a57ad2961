/**
 * The process's end: SIGTERM (or Ctrl-C) must end every display stream, so that the displays
 * reconnect to whatever server answers next, finish the requests in flight and exit on its own
 * well inside 10 s, as a supervisor (Docker, systemd) kills it after that.
 */
import { connect } from "node:net";
import { expect, test } from "../support/fixtures";
import { watchDisplay } from "../support/display-watcher";
import { createSale } from "./helpers";

test.describe.configure({ mode: "serial" });

test("SIGTERM ends the open display streams and the old process exits by itself within 10 s", async ({ app }) => {
  const watchers = [await watchDisplay(app, "pos-1"), await watchDisplay(app, "pos-1")];
  try {
    const signalledAt = performance.now();
    // Give it up to 15 s, so that a process that lingers is seen lingering rather than killed at 5 s.
    const { previousExit } = await app.restart({ overlap: true, killAfterMs: 15_000 });
    for (const watcher of watchers) {
      const endedAt = await Promise.race([
        watcher.ended,
        new Promise<number>((resolve) => setTimeout(() => resolve(Number.NaN), 10_000)),
      ]);
      expect(endedAt - signalledAt, "a display stream stayed open on the old process").toBeLessThan(10_000);
    }
    const exit = await previousExit;
    expect(exit?.forced, `the old process was still running after 15 s`).toBe(false);
    expect(exit?.afterMs).toBeLessThan(10_000);

    // A display that follows the new server sees its next sale.
    const fresh = await watchDisplay(app, "pos-1");
    try {
      const sale = await createSale(app);
      await fresh.waitFor("pending", sale.id, 5_000);
    } finally {
      fresh.close();
    }
  } finally {
    for (const watcher of watchers) watcher.close();
  }
});

test("a request in flight at SIGTERM is still answered", async ({ app }) => {
  // A terminal whose body is still arriving when the signal comes: the server must wait for it. (Not
  // a sale: the embedded simulator is reached over the port that has just stopped listening.)
  const body = JSON.stringify({ id: "pos-2", name: "Counter 2" });
  const socket = connect(app.port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let answer = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => (answer += chunk));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.write(
    `POST /api/v1/terminals HTTP/1.1\r\nHost: 127.0.0.1:${app.port}\r\nAuthorization: Bearer ${app.apiKey}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
  );
  // The request has reached a route before the signal: Next only runs it once the headers are in.
  await new Promise((resolve) => setTimeout(resolve, 500));
  // SIGTERM goes out at once; the new server is started meanwhile.
  const restarting = app.restart({ overlap: true, killAfterMs: 15_000 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  socket.write(body.slice(10));
  // Answered, and then the server closes the kept-alive connection itself: the client did not.
  await closed;
  expect(answer).toMatch(/^HTTP\/1\.1 201 /);
  const { previousExit } = await restarting;
  expect((await previousExit)?.forced).toBe(false);
});
