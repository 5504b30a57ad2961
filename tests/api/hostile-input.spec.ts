/**
 * What a hostile client sends: names that display as something else, paths that do not decode,
 * bodies that never end. Each answer is a 4xx problem, and the server reads no more than it must.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { request } from "node:http";
import { expect, test } from "../support/fixtures";

async function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  const body = await response.json();
  expect(body.status).toBe(status);
  return body as { detail: string; errors?: { field: string; reason: string }[] };
}

test("a product name with a right-to-left override is refused with a 400 naming the field, and nothing is stored", async ({
  app,
}) => {
  const body = await expectProblem(
    await app.api("/api/v1/products", { method: "POST", json: { name: "ev\u202Eil", unitPrice: 100 } }),
    400,
  );
  expect(body.errors?.[0]?.field).toBe("name");
  const products = (await (await app.api("/api/v1/products")).json()) as { items: { name: string }[] };
  expect(products.items.map((product) => product.name)).not.toContain("ev\u202Eil");
});

test("a path segment with a malformed percent-escape is a 400 problem naming the path, not a plain-text 500", async ({
  app,
}) => {
  for (const path of ["/api/v1/sales/%ff", "/api/v1/sales/%zz", "/api/v1/sales/ab%e0%80", "/api/v1/terminals/%c0%af"]) {
    const body = await expectProblem(await app.api(path), 400);
    expect(body.detail).toContain(path);
    expect(body.errors?.[0]?.field).toBe("(path)");
  }
  const refund = await expectProblem(
    await app.api("/api/v1/sales/%ff/refund", { method: "POST", json: { amount: 1 } }),
    400,
  );
  expect(refund.detail).toContain("/api/v1/sales/%ff/refund");
  // A well-formed escape is still an ordinary path: no such sale.
  await expectProblem(await app.api("/api/v1/sales/%C3%A6"), 404);
});

const FLOOD_BYTES = 20 * 1024 * 1024;

/** The server's pid: the process holding the app's listening socket (start.mjs only spawns it). */
function serverPid(port: number): number {
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const listening = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, "utf8").trim().split("\n").slice(1)) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      if (local?.endsWith(portHex) && state === "0A" && inode) listening.add(`socket:[${inode}]`);
    }
  }
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // Gone, or not ours.
    }
    for (const fd of fds) {
      try {
        if (listening.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return Number(pid);
      } catch {
        // Closed while we looked.
      }
    }
  }
  throw new Error(`No process listens on port ${port}`);
}

/** Bytes the process has read through read(2) so far (sockets included) and its resident memory. */
function ioOf(pid: number): { readBytes: number; rssBytes: number } {
  const readBytes = Number(/^rchar:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, "utf8"))?.[1]);
  const rssBytes = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) * 1024;
  return { readBytes, rssBytes };
}

/**
 * POSTs an endless-looking chunked body to a raw path (node:http sends it as written, "./" and all),
 * writing until the response arrives or the socket closes, at most FLOOD_BYTES.
 */
function flood(port: number, rawPath: string): Promise<{ status?: number; written: number; finished: boolean }> {
  const chunk = Buffer.alloc(64 * 1024, "a");
  return new Promise((resolve) => {
    let written = 0;
    let status: number | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      outgoing.destroy();
      resolve({ status, written, finished: written >= FLOOD_BYTES });
    };
    const outgoing = request({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: rawPath,
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
    });
    outgoing.on("response", (response) => {
      status = response.statusCode;
      response.resume();
      finish();
    });
    outgoing.on("error", finish);
    outgoing.on("close", finish);
    const pump = () => {
      while (!done && written < FLOOD_BYTES) {
        written += chunk.byteLength;
        if (!outgoing.write(chunk)) {
          outgoing.once("drain", pump);
          return;
        }
      }
      // Everything sent without an answer: end the body so that a server reading it all answers at last.
      if (!done) outgoing.end();
    };
    pump();
  });
}

test("a chunked body far over the limit is refused with a 413 long before it ends, and the server reads little of it", async ({
  app,
}) => {
  test.skip(process.platform !== "linux", "reads the server's /proc entries");
  const pid = serverPid(app.port);
  const cases: { path: string; statuses: number[] }[] = [
    { path: "/api/admin/session", statuses: [413] },
    { path: "/api/webhooks/vipps", statuses: [413] },
    // Not normalised by the client: whatever the server makes of it, it must not read it all.
    { path: "/api/./webhooks/vipps", statuses: [401, 404, 413] },
  ];
  for (const { path, statuses } of cases) {
    const before = ioOf(pid);
    const result = await flood(app.port, path);
    const after = ioOf(pid);
    const read = after.readBytes - before.readBytes;
    const grown = after.rssBytes - before.rssBytes;
    const summary = `${path}: ${result.status} after ${result.written} bytes written; the server read ${read} bytes, its RSS grew ${grown} bytes`;
    expect(statuses, summary).toContain(result.status);
    // Loopback socket buffers hold some megabytes, so "written" only shows that the answer came
    // before the end; what the server read is the real measure.
    expect(result.finished, summary).toBe(false);
    expect(read, summary).toBeLessThan(1024 * 1024);
    expect(grown, summary).toBeLessThan(64 * 1024 * 1024);
  }
});

test("the data directory and every file in it are readable by the app's user alone", async ({ app }) => {
  // A sale makes sure the database has written its journal files too.
  expect(
    (
      await app.api("/api/v1/sales", {
        method: "POST",
        json: {
          terminalId: "pos-1",
          currency: "NOK",
          lines: [{ name: "Tea", quantity: 1, unitPrice: 3900, taxRate: 1500 }],
        },
      })
    ).status,
  ).toBe(201);
  await app.api("/api/v1/sales?limit=1");
  expect(statSync(app.dataDir).mode & 0o777).toBe(0o700);
  const files = readdirSync(app.dataDir).filter((name) => statSync(`${app.dataDir}/${name}`).isFile());
  expect(files).toContain("kassa.sqlite");
  for (const name of files)
    expect({ name, mode: statSync(`${app.dataDir}/${name}`).mode & 0o777 }).toEqual({ name, mode: 0o600 });
});
