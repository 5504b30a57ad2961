/**
 * Starts the production build of the app (scripts/server.mjs, as `npm start` does) for a test file: its own loopback port, its own temp
 * data dir, known credentials. restart() stops and starts it on the same port and data, the way a
 * shop's server would come back after a power cut.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

export interface AppHandle {
  url: string;
  port: number;
  dataDir: string;
  apiKey: string;
  adminPassword: string;
  logs: () => string;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Calls the POS API with the API key. */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** Calls the simulator's control endpoints. */
  sim(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitForReady(url: string, child: ChildProcess, requireWebhook: boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The app exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) {
        const health = (await response.json()) as { webhook?: string };
        if (!requireWebhook || health.webhook === "registered") return;
        lastError = `webhook ${health.webhook}`;
      } else {
        lastError = `health ${response.status}`;
      }
    } catch (error) {
      lastError = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`The app did not become ready: ${lastError}`);
}

export async function startApp(options: { env?: Record<string, string>; requireWebhook?: boolean } = {}): Promise<AppHandle> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "kassa-test-"));
  const url = `http://127.0.0.1:${port}`;
  const apiKey = "test-api-key-0123456789abcdef";
  const adminPassword = "test-admin-password";
  let output = "";
  let child: ChildProcess | undefined;

  const launch = async () => {
    child = spawn(process.execPath, [path.join(ROOT, "scripts/server.mjs")], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(port),
        KASSA_BIND_ADDRESS: "127.0.0.1",
        PUBLIC_URL: url,
        KASSA_DATA_DIR: dataDir,
        KASSA_API_KEY: apiKey,
        KASSA_ADMIN_PASSWORD: adminPassword,
        KASSA_LOG_LEVEL: "warn",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    await waitForReady(url, child, options.requireWebhook ?? true);
  };

  const stopChild = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => running.kill("SIGKILL"), 5000);
      running.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      running.kill("SIGTERM");
    });
  };

  const call = (prefix: string, auth: boolean) => async (pathname: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (auth && !headers.has("authorization")) headers.set("authorization", `Bearer ${apiKey}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    return fetch(`${url}${prefix}${pathname}`, { ...init, headers, body });
  };

  await launch();
  return {
    url,
    port,
    dataDir,
    apiKey,
    adminPassword,
    logs: () => output,
    async stop() {
      await stopChild();
      rmSync(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await stopChild();
      await launch();
    },
    api: call("", true),
    sim: call("/sim/_sim", false),
  };
}
