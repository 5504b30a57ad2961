// The Vipps client's transport against a real loopback server: what arrives, what comes back,
// connections kept, a closed idle connection resent only when that is safe, limits and timeouts.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createKeepAliveFetch } from "@/lib/transport/keep-alive-fetch";

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

let handler: Handler;
let server: http.Server;
let base: string;
const connections: Socket[] = [];
/** Requests seen on each connection, to tell a reused one from a fresh one. */
const requestsOn = new WeakMap<Socket, number>();

beforeAll(async () => {
  server = http.createServer((request, response) => {
    requestsOn.set(request.socket, (requestsOn.get(request.socket) ?? 0) + 1);
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => handler(request, body, response));
  });
  server.on("connection", (socket) => connections.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  connections.length = 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("keepAliveFetch", () => {
  it("sends method, headers and body, and returns status, headers and text over one kept connection", async () => {
    const seen: { method?: string; key?: string; type?: string; body: string }[] = [];
    handler = (request, body, response) => {
      seen.push({
        method: request.method,
        key: request.headers["idempotency-key"] as string,
        type: request.headers["content-type"],
        body,
      });
      response.writeHead(201, { "content-type": "application/json", "x-trace": "a" });
      response.end(JSON.stringify({ n: seen.length }));
    };
    const fetch = createKeepAliveFetch();
    const first = await fetch(`${base}/x`, {
      method: "POST",
      headers: { "Idempotency-Key": "k1", "Content-Type": "application/json" },
      body: '{"æ":1}',
    });
    expect(first.status).toBe(201);
    expect(first.ok).toBe(true);
    expect(first.headers.get("x-trace")).toBe("a");
    expect(await first.json()).toEqual({ n: 1 });
    const second = await fetch(new URL(`${base}/y`));
    expect(await second.text()).toBe('{"n":2}');
    expect(seen).toEqual([
      { method: "POST", key: "k1", type: "application/json", body: '{"æ":1}' },
      { method: "GET", key: undefined, type: undefined, body: "" },
    ]);
    expect(connections).toHaveLength(1);
  });

  it("gives a 204 an empty body and an error status as an answer, not a throw", async () => {
    const fetch = createKeepAliveFetch();
    handler = (_request, _body, response) => {
      response.writeHead(204);
      response.end();
    };
    const empty = await fetch(`${base}/`, { method: "DELETE" });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe("");
    handler = (_request, _body, response) => {
      response.writeHead(429, { "retry-after": "3", "content-type": "application/problem+json" });
      response.end('{"title":"slow down"}');
    };
    const busy = await fetch(`${base}/`);
    expect(busy.ok).toBe(false);
    expect(busy.status).toBe(429);
    expect(busy.headers.get("retry-after")).toBe("3");
    expect(await busy.text()).toBe('{"title":"slow down"}');
  });

  it("resends once on a new connection when the server closed the idle one, if the call has an Idempotency-Key or is a GET", async () => {
    const fetch = createKeepAliveFetch();
    let calls = 0;
    handler = (request, _body, response) => {
      calls += 1;
      // The second request on a connection finds it closed, as after the server's idle timeout.
      if (requestsOn.get(request.socket)! > 1) return request.socket.destroy();
      response.end("fresh");
    };
    await fetch(`${base}/warm`);
    const resent = await fetch(`${base}/capture`, { method: "POST", headers: { "Idempotency-Key": "k2" }, body: "{}" });
    expect(await resent.text()).toBe("fresh");
    expect(calls).toBe(3);

    await fetch(`${base}/warm`);
    calls = 0;
    const get = await fetch(`${base}/status`);
    expect(await get.text()).toBe("fresh");
    expect(calls).toBe(2);

    // Without a key a POST could be carried out twice: the failure is the caller's to judge.
    await fetch(`${base}/warm`);
    calls = 0;
    await expect(fetch(`${base}/register`, { method: "POST", body: "{}" })).rejects.toMatchObject({
      code: "ECONNRESET",
    });
    expect(calls).toBe(1);

    // A sender whose every request may arrive twice (webhook deliveries) resends any of them.
    const deliveries = createKeepAliveFetch({ everyRequestRepeatable: true });
    await deliveries(`${base}/warm`);
    calls = 0;
    const delivered = await deliveries(`${base}/webhook`, { method: "POST", body: "{}" });
    expect(await delivered.text()).toBe("fresh");
    expect(calls).toBe(2);
  });

  it("rejects with the signal's reason when the answer is late, and leaves the server's answer unread", async () => {
    const fetch = createKeepAliveFetch();
    handler = (_request, _body, response) => {
      setTimeout(() => response.end("late"), 500);
    };
    const error = await fetch(`${base}/slow`, { signal: AbortSignal.timeout(50) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("TimeoutError");
  });

  it("refuses an answer over the size limit", async () => {
    const fetch = createKeepAliveFetch({ maxResponseBytes: 1024 });
    handler = (_request, _body, response) => {
      response.end("x".repeat(4096));
    };
    await expect(fetch(`${base}/big`)).rejects.toThrow(/over 1024 bytes/);
    handler = (_request, _body, response) => {
      response.end("y".repeat(1024));
    };
    expect((await (await fetch(`${base}/fits`)).text()).length).toBe(1024);
  });

  it("takes only what the Vipps client sends: URLs and string bodies", async () => {
    const fetch = createKeepAliveFetch();
    await expect(fetch(new Request(`${base}/`))).rejects.toThrow(TypeError);
    await expect(fetch("ftp://127.0.0.1/")).rejects.toThrow(/unsupported protocol/);
    await expect(fetch(`${base}/`, { method: "POST", body: new Uint8Array([1]) })).rejects.toThrow(/string bodies/);
  });
});
