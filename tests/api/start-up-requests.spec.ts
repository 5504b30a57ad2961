/**
 * Requests that reach the server while it is still starting: Next listens before the app's own
 * start-up code runs, and those requests must be counted by their connection's address all the
 * same, never by an X-Kassa-Peer-Address a client wrote.
 */
import { connect } from "node:net";
import { expect, test } from "@playwright/test";
import { type AppHandle, freePort, startApp } from "../support/app-server";

let app: AppHandle | undefined;

test.afterEach(async () => {
  await app?.stop();
  app = undefined;
});

/** Resolves as soon as something accepts connections on the port. */
async function firstAccepted(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (accepted) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`Nothing listened on ${port} within ${timeoutMs} ms`);
}

test("wrong passwords sent while the server starts count against the connection's address, not a forged one", async () => {
  test.setTimeout(240_000);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const signIn = (password: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/admin/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: url, ...headers },
      body: JSON.stringify({ password }),
    });

  const starting = startApp({ port, requireWebhook: false });
  await firstAccepted(port, 200_000);
  // Five guesses, each claiming another address, sent the moment the port opens.
  const guesses = await Promise.all(
    [1, 2, 3, 4, 5].map((i) => signIn("wrong-guess", { "x-kassa-peer-address": `198.51.100.${i}` })),
  );
  app = await starting;
  expect(guesses.map((response) => response.status)).toEqual([401, 401, 401, 401, 401]);
  // All five were this connection's: its next attempt is refused, the right password too.
  const next = await signIn(app.adminPassword);
  expect(next.status).toBe(429);
});
