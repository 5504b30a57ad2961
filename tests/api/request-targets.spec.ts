/**
 * Request lines a browser never sends but a scanner does: a path whose percent-escapes do not
 * decode, anywhere in the app, and the asterisk form (`OPTIONS *`) and TRACE. Each is answered as
 * the client's mistake (400, 404 or 405), never as a server failure. Sent over raw sockets, as
 * fetch would refuse or rewrite them.
 */
import { connect } from "node:net";
import { expect, test } from "../support/fixtures";

/** Sends one raw request and returns the status line and headers of the answer. */
async function raw(port: number, requestLine: string): Promise<{ status: number; head: string }> {
  const socket = connect(port, "127.0.0.1");
  let received = "";
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => (received += chunk));
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.write(`${requestLine}\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  await new Promise<void>((resolve) => {
    socket.once("close", () => resolve());
    setTimeout(() => {
      socket.destroy();
      resolve();
    }, 10_000).unref();
  });
  const head = received.split("\r\n\r\n")[0] ?? "";
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1] ?? 0);
  return { status, head };
}

for (const target of ["/admin/sales/%ff", "/display/%ff", "/sim/qr/%ff", "/%ff", "/admin/%c3%28"]) {
  test(`GET ${target} (an undecodable path outside the API) is a 400, not a 500`, async ({ app }) => {
    const { status, head } = await raw(app.port, `GET ${target} HTTP/1.1`);
    expect(status, head).toBe(400);
  });
}

for (const method of ["OPTIONS", "GET", "HEAD", "POST"]) {
  test(`${method} * (the asterisk form) is answered as the client's mistake`, async ({ app }) => {
    const { status, head } = await raw(app.port, `${method} * HTTP/1.1`);
    expect([400, 404], head).toContain(status);
  });
}

for (const target of ["/", "/api/health", "/admin", "*"]) {
  test(`TRACE ${target} is a 405`, async ({ app }) => {
    const { status, head } = await raw(app.port, `TRACE ${target} HTTP/1.1`);
    expect(status, head).toBe(405);
    expect(head.toLowerCase()).toMatch(/\r\nallow: /);
  });
}

test("the server still answers ordinary requests after all of those", async ({ app }) => {
  const { status } = await raw(app.port, "GET /api/health HTTP/1.1");
  expect(status).toBe(200);
});
