import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { installPeerAddressStamp } from "@/lib/http/client-address";
import { configureSlowPeerLimits, limits } from "@/lib/http/slow-peer-limits.cjs";

// The limits are the server patch's (peer-address-stamp.cjs installs them on every http.Server):
// a real server on loopback, with deadlines short enough for a test.
const ORIGINAL = { ...limits };
let server: Server;
let port: number;
const sockets: Socket[] = [];
let writeForever: ((response: import("node:http").ServerResponse) => void) | undefined;

beforeAll(async () => {
  installPeerAddressStamp();
  configureSlowPeerLimits({ bodyDeadlineMs: 400, drainDeadlineMs: 400, unfinishedPerPeer: 4 });
  server = createServer((request, response) => {
    if (request.url === "/stream" && writeForever) return writeForever(response);
    const chunks: Buffer[] = [];
    // Read a moment later, as Next does once the route asks for the body.
    setTimeout(() => {
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => response.end(`read ${Buffer.concat(chunks).length} bytes`));
    }, 20);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

afterAll(async () => {
  configureSlowPeerLimits(ORIGINAL);
  server.closeAllConnections();
  server.close();
});

/** A raw connection that sends `head` and then nothing unless told; collects what comes back. */
function rawRequest(head: string): { socket: Socket; answer: Promise<string> } {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  socket.write(head);
  let received = "";
  socket.on("data", (chunk: Buffer) => {
    received += chunk.toString("latin1");
  });
  const answer = new Promise<string>((resolve) => socket.on("close", () => resolve(received)));
  socket.on("error", () => {});
  return { socket, answer };
}

const trickledPost = (length = 100) =>
  `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${length}\r\n\r\nx`;

describe("slow peers", () => {
  it("a body that does not arrive within the deadline gets a 408 problem and the connection is closed", async () => {
    const started = Date.now();
    const { answer } = rawRequest(trickledPost());
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toContain("application/problem+json");
    expect(text).toContain("must arrive within 0.4 s");
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("a body that arrives in time is read as usual", async () => {
    const { socket, answer } = rawRequest(trickledPost(3));
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.write("yz");
    await new Promise((resolve) => setTimeout(resolve, 600));
    socket.end();
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(text).toContain("read 3 bytes");
  });

  it("one address holds at most the bound of unfinished requests; the next gets a 429 at once", async () => {
    configureSlowPeerLimits({ bodyDeadlineMs: 5_000 });
    try {
      const held = Array.from({ length: 4 }, () => rawRequest(trickledPost()));
      await new Promise((resolve) => setTimeout(resolve, 150));
      const { answer } = rawRequest(trickledPost());
      const text = await answer;
      expect(text).toMatch(/^HTTP\/1\.1 429 /);
      expect(text).toContain("already has 4 requests");
      // The held ones get their answers once their peer gives up; then the address may send again.
      for (const { socket } of held) socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const ok = await fetch(`http://127.0.0.1:${port}/upload`, { method: "POST", body: "ok" });
      expect(await ok.text()).toBe("read 2 bytes");
    } finally {
      configureSlowPeerLimits({ bodyDeadlineMs: 400 });
    }
  });

  it("a burst of quick requests from one address is not a slow peer: all of them are answered", async () => {
    // More at once than the bound of unfinished bodies, each body whole in its first packet, and all
    // read by the server in one turn of its event loop (held busy while they arrive).
    const sockets = Array.from({ length: 12 }, () => connect(port, "127.0.0.1"));
    await Promise.all(sockets.map((socket) => once(socket, "connect")));
    const answers = sockets.map((socket) => {
      socket.on("error", () => {});
      let text = "";
      socket.on("data", (chunk: Buffer) => {
        text += chunk.toString("latin1");
      });
      return new Promise<string>((resolve) => socket.on("close", () => resolve(text)));
    });
    for (const socket of sockets)
      socket.write("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
    const busyUntil = Date.now() + 150;
    while (Date.now() < busyUntil) {
      // The server shares this process: nothing of it runs until the requests are all waiting.
    }
    const statuses = (await Promise.all(answers)).map((text) => text.slice(9, 12));
    expect(statuses).toEqual(sockets.map(() => "200"));
  });

  it("a response the client stops reading is ended by closing its connection", async () => {
    const closed = new Promise<number>((resolve) => {
      writeForever = (response) => {
        response.writeHead(200, { "content-type": "text/event-stream" });
        const chunk = `data: ${"x".repeat(64 * 1024)}\n\n`;
        let written = 0;
        const timer = setInterval(() => {
          if (response.destroyed) return;
          response.write(chunk);
          written += chunk.length;
        }, 5);
        response.once("close", () => {
          clearInterval(timer);
          resolve(written);
        });
      };
    });
    const { socket } = rawRequest("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
    // The client reads nothing: the kernel's buffers fill, then the server's write stops draining.
    socket.pause();
    const written = await Promise.race([
      closed,
      new Promise<"still open">((resolve) => setTimeout(() => resolve("still open"), 8_000)),
    ]);
    writeForever = undefined;
    expect(written).not.toBe("still open");
    // Bounded: the server stopped after the buffers filled, not after queueing 8 s of writes.
    expect(written as number).toBeLessThan(64 * 1024 * 1024);
  });
});
