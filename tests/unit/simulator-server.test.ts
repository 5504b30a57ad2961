/**
 * The standalone simulator (`npm run simulator`, lib/simulator/server.ts) as a real process on a
 * loopback port with its own data dir: the Vipps API (the Report API too) at the root, the controls
 * only when switched on, the body size limit, bad configuration and a clean SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { SIMULATOR_DEMO_CREDENTIALS } from "@/lib/config";

const ROOT = path.resolve(__dirname, "../..");
const SERVER = path.join(ROOT, "lib/simulator/server.ts");
const dataDirs: string[] = [];
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGKILL");
    await exited(child);
  }
  child = undefined;
});
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function exited(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => proc.once("exit", (code) => resolve(code)));
}

function tempDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "kassa-standalone-sim-"));
  dataDirs.push(dir);
  return dir;
}

function run(env: Record<string, string>): { process: ChildProcess; output: () => string } {
  let output = "";
  const started = spawn(process.execPath, ["--import", "tsx", SERVER], {
    cwd: ROOT,
    // Only what node needs: a PORT or KASSA_* from the test runner's environment must not leak in.
    env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  started.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { process: started, output: () => output };
}

async function startSimulator(extraEnv: Record<string, string> = {}) {
  const port = await freePort();
  const dataDir = tempDataDir();
  const started = run({ PORT: String(port), KASSA_DATA_DIR: dataDir, ...extraEnv });
  child = started.process;
  const deadline = Date.now() + 15_000;
  while (!started.output().includes("listening on")) {
    if (child.exitCode !== null) throw new Error(`simulator exited: ${started.output()}`);
    if (Date.now() > deadline) throw new Error(`simulator did not start: ${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `http://127.0.0.1:${port}`, port, dataDir, output: started.output };
}

async function accessToken(url: string): Promise<string> {
  const response = await fetch(`${url}/accesstoken/get`, {
    method: "POST",
    headers: {
      client_id: SIMULATOR_DEMO_CREDENTIALS.clientId,
      client_secret: SIMULATOR_DEMO_CREDENTIALS.clientSecret,
      "Ocp-Apim-Subscription-Key": SIMULATOR_DEMO_CREDENTIALS.subscriptionKey,
      "Merchant-Serial-Number": SIMULATOR_DEMO_CREDENTIALS.msn,
    },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Streams `total` bytes as a chunked body and resolves with the status of the answer, which may come early. */
function postChunked(url: string, pathname: string, total: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}${pathname}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    let answered = false;
    request.on("response", (response) => {
      answered = true;
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(16 * 1024, "a");
    let sent = 0;
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) {
          request.once("drain", pump);
          return;
        }
      }
      if (!answered) request.end();
    };
    pump();
  });
}

describe("standalone simulator (npm run simulator)", () => {
  it("serves the Vipps API at the root, without the test controls by default", async () => {
    const sim = await startSimulator();
    expect(sim.output()).toContain("test controls off");
    const token = await accessToken(sim.url);
    const reference = `standalone-${Date.now()}`;
    const created = await fetch(`${sim.url}/epayment/v1/payments`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Ocp-Apim-Subscription-Key": SIMULATOR_DEMO_CREDENTIALS.subscriptionKey,
        "Merchant-Serial-Number": SIMULATOR_DEMO_CREDENTIALS.msn,
        "Idempotency-Key": `key-${reference}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        amount: { value: 4990, currency: "NOK" },
        paymentMethod: { type: "WALLET" },
        reference,
        userFlow: "QR",
        qrFormat: { format: "TEXT/TARGETURL" },
        paymentDescription: "One coffee",
      }),
    });
    expect(created.status).toBe(201);
    const { redirectUrl } = (await created.json()) as { redirectUrl: string };
    expect(redirectUrl).toMatch(new RegExp(`^http://localhost:${sim.port}/qr/`));
    const phone = await fetch(`${sim.url}${new URL(redirectUrl).pathname}`);
    expect(phone.status).toBe(200);
    expect(phone.headers.get("content-type")).toContain("text/html");
    expect(existsSync(path.join(sim.dataDir, "simulator.sqlite"))).toBe(true);

    // The Report API is there too, at its own root paths.
    const ledgers = await fetch(`${sim.url}/settlement/v1/ledgers`, {
      headers: {
        Authorization: `Bearer ${token}`,
        "Ocp-Apim-Subscription-Key": SIMULATOR_DEMO_CREDENTIALS.subscriptionKey,
      },
    });
    expect(ledgers.status).toBe(200);
    const { items } = (await ledgers.json()) as { items: { settlesForRecipientHandles: string[] }[] };
    expect(items[0]?.settlesForRecipientHandles).toEqual([`api:${SIMULATOR_DEMO_CREDENTIALS.msn}`]);

    const clock = await fetch(`${sim.url}/_sim/clock`);
    expect(clock.status).toBe(404);
    expect(clock.headers.get("content-type")).toBe("application/problem+json");
  });

  it("answers the /_sim controls with KASSA_SIMULATOR_CONTROLS=on, on its own adjustable clock", async () => {
    const sim = await startSimulator({ KASSA_SIMULATOR_CONTROLS: "on" });
    const clock = await fetch(`${sim.url}/_sim/clock`);
    expect(clock.status).toBe(200);
    const before = (await clock.json()) as { nowMs: number; adjustable: boolean };
    expect(before.adjustable).toBe(true);
    const advanced = await fetch(`${sim.url}/_sim/clock/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ms: 3_600_000 }),
    });
    expect(advanced.status).toBe(200);
    expect(((await advanced.json()) as { nowMs: number }).nowMs).toBeGreaterThanOrEqual(before.nowMs + 3_600_000);
    const report = await fetch(`${sim.url}/_sim/report/config`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pageSize: 3 }),
    });
    expect(report.status).toBe(200);
    expect(((await report.json()) as { pageSize: number }).pageSize).toBe(3);
  });

  it("keeps its data directory (its database holds the webhook secret) to its own user: 0700, files 0600", async () => {
    const sim = await startSimulator();
    await accessToken(sim.url);
    expect(statSync(sim.dataDir).mode & 0o777).toBe(0o700);
    const files = readdirSync(sim.dataDir).filter((name) => name.startsWith("simulator.sqlite"));
    expect(files).toContain("simulator.sqlite");
    for (const name of files) expect(statSync(path.join(sim.dataDir, name)).mode & 0o777, name).toBe(0o600);
  });

  it("refuses bodies over 256 KiB with 413, also when they arrive chunked", async () => {
    const sim = await startSimulator();
    expect(await postChunked(sim.url, "/epayment/v1/payments", 2 * 1024 * 1024)).toBe(413);
    const declared = await fetch(`${sim.url}/epayment/v1/payments`, {
      method: "POST",
      body: new Uint8Array(256 * 1024 + 1),
    });
    expect(declared.status).toBe(413);
    // The server is still fine afterwards.
    expect((await fetch(`${sim.url}/qr/unknown-token`)).status).toBe(404);
  });

  it("stops cleanly on SIGTERM", async () => {
    const sim = await startSimulator();
    child!.kill("SIGTERM");
    expect(await exited(child!)).toBe(0);
    expect(sim.output()).toContain("stopping (SIGTERM)");
  });

  it.each([
    ["PORT", "eighty"],
    ["VIPPS_MSN", "12"],
    ["KASSA_SIMULATOR_CONTROLS", "yes"],
    ["KASSA_BIND_ADDRESS", "not an address"],
    ["PUBLIC_URL", "ftp://example"],
  ])("exits non-zero with one line naming %s when it is bad", async (variable, value) => {
    const started = run({ [variable]: value, KASSA_DATA_DIR: tempDataDir() });
    child = started.process;
    expect(await exited(started.process)).not.toBe(0);
    const lines = started.output().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
  });
});
