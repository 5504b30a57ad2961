/**
 * Starts the app the way `npm start` does (`node scripts/start.mjs`, which builds when needed and
 * then runs the production server) for a test file: its own loopback port, its own temp data dir,
 * known credentials, the simulator's test controls on. restart() stops and starts it on the same
 * port and data, the way a shop's server would come back after a power cut.
 *
 * Most specs get their app from the `app` fixture in ./fixtures; startApp() is for tools and for
 * tests that need an app of their own.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { connect, createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { describedByPosApiDocument, PosApiContract } from "./pos-api-contract";

const ROOT = path.resolve(__dirname, "../..");

export interface AppOptions {
  /** Added to the child's environment; a value of `undefined` removes the variable. */
  env?: Record<string, string | undefined>;
  /** Wait until /api/health reports the webhook registered (default true). */
  requireWebhook?: boolean;
  /**
   * Check every answer api() gets from the POS API against the app's OpenAPI document, failing the
   * call on a mismatch (see ./pos-api-contract). The test fixture turns it on; benchmarks and the
   * soak leave it off, so that their figures are the app's alone.
   */
  checkAnswersAgainstDocument?: boolean;
  /**
   * The host PUBLIC_URL names, on the app's own port (default 127.0.0.1, as `url`): "localhost" has
   * the app opened under another name than its public one, as a quick start reached by its LAN address.
   */
  publicHost?: string;
  /** The loopback port to listen on (default: a free one), for tests that reach the app while it starts. */
  port?: number;
  /** How long to wait for the app to be ready (default 3 minutes: start.mjs may have to build first). */
  readyTimeoutMs?: number;
}

/** How an app's processes went away after SIGTERM. */
export interface StopReport {
  /** From SIGTERM until none of the app's processes was left. */
  afterMs: number;
  /** True when they had to be killed (SIGKILL) because they had not exited in time. */
  forced: boolean;
}

export interface RestartOptions {
  /**
   * Start the new server as soon as the old one stops listening, while the old process may still
   * be shutting down, as a supervisor or a shell does; `previousExit` then tells how the old one
   * went. By default the new server starts only once the old one is gone.
   */
  overlap?: boolean;
  /** How long the old processes get after SIGTERM before SIGKILL (default 5 s). */
  killAfterMs?: number;
}

export interface AppHandle {
  url: string;
  port: number;
  dataDir: string;
  apiKey: string;
  adminPassword: string;
  logs: () => string;
  stop(): Promise<void>;
  restart(options?: RestartOptions): Promise<{ previousExit: Promise<StopReport | undefined> }>;
  /** Kills the app outright (SIGKILL to its process group), as a power cut would; its data stays. */
  kill(): Promise<void>;
  /** Calls the POS API with the API key (its answer checked against the OpenAPI document when the options say so). */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** Calls the simulator's control endpoints. */
  sim(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

/** Process groups still running, killed outright should this process exit without stopping them. */
const running = new Set<number>();
process.once("exit", () => {
  for (const pid of running) signalGroup(pid, "SIGKILL");
  if (holdingStartLock) rmSync(START_LOCK, { force: true });
});

/**
 * start.mjs builds first when the build is missing or older than the sources, and two builds into
 * one .next (one per Playwright worker) break each other: apps of this checkout start one at a time
 * until their server listens, which it does only once start.mjs has the build it needs. The app's
 * own start-up after that (migrations, the webhook registration) goes on outside the lock, so that
 * another worker's app starts meanwhile.
 */
const START_LOCK = path.join(
  os.tmpdir(),
  `kassa-test-start-${createHash("sha256").update(ROOT).digest("hex").slice(0, 12)}.lock`,
);
let holdingStartLock = false;

async function withStartLock<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      const fd = openSync(START_LOCK, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (startLockIsStale()) rmSync(START_LOCK, { force: true });
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  holdingStartLock = true;
  try {
    return await work();
  } finally {
    holdingStartLock = false;
    rmSync(START_LOCK, { force: true });
  }
}

/** Left behind by a process that died holding it, or older than any start-up with a build. */
function startLockIsStale(): boolean {
  try {
    const holder = Number(readFileSync(START_LOCK, "utf8"));
    if (Date.now() - statSync(START_LOCK).mtimeMs > 10 * 60_000) return true;
    if (!holder) return false; // Just created; its pid is being written.
    process.kill(holder, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Signals every process in the group led by `pid` (start.mjs and the server it spawned). */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the whole group is gone.
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Whether something accepts connections on the loopback `port` now. */
function listening(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Until the app's server listens on `port`: start.mjs is past its build check by then. */
async function waitForListening(
  port: number,
  child: ChildProcess,
  logs: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `The app exited (${child.exitCode ?? child.signalCode}) before it listened\n` +
          `--- app output (last 4000 characters) ---\n${logs().slice(-4000)}`,
      );
    if (await listening(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`The app did not listen on ${port} within ${timeoutMs} ms\n${logs().slice(-4000)}`);
}

/** Up to 3 minutes: start.mjs may have to build first. */
async function waitForReady(
  url: string,
  child: ChildProcess,
  requireWebhook: boolean,
  logs: () => string,
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  const fail = (reason: string) =>
    new Error(`${reason}\n--- app output (last 4000 characters) ---\n${logs().slice(-4000)}`);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw fail(`The app exited (${child.exitCode ?? child.signalCode}) before it was ready`);
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
  throw fail(`The app did not become ready: ${lastError}`);
}

export async function startApp(options: AppOptions = {}): Promise<AppHandle> {
  const port = options.port ?? (await freePort());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "kassa-test-"));
  const url = `http://127.0.0.1:${port}`;
  const apiKey = "test-api-key-0123456789abcdef";
  const adminPassword = "test-admin-password";
  let output = "";
  let child: ChildProcess | undefined;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    KASSA_BIND_ADDRESS: "127.0.0.1",
    PUBLIC_URL: `http://${options.publicHost ?? "127.0.0.1"}:${port}`,
    KASSA_DATA_DIR: dataDir,
    KASSA_API_KEY: apiKey,
    KASSA_ADMIN_PASSWORD: adminPassword,
    KASSA_LOG_LEVEL: "warn",
    KASSA_SIMULATOR_CONTROLS: "on",
    ...options.env,
  };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];

  const launch = async () => {
    // The time to be ready counts from when this app may start, not from when it began to wait its turn.
    let readyBy = 0;
    const started = await withStartLock(async () => {
      readyBy = Date.now() + (options.readyTimeoutMs ?? 180_000);
      // Exactly what `npm start` runs. It spawns the server as its own child, so the app gets a
      // process group of its own and stop() signals the whole group.
      const spawned = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
        cwd: ROOT,
        env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = spawned;
      if (spawned.pid !== undefined) running.add(spawned.pid);
      spawned.stdout?.on("data", (chunk) => (output += chunk));
      spawned.stderr?.on("data", (chunk) => (output += chunk));
      try {
        await waitForListening(port, spawned, () => output, readyBy - Date.now());
      } catch (error) {
        await stopChild();
        throw error;
      }
      return spawned;
    });
    try {
      await waitForReady(url, started, options.requireWebhook ?? true, () => output, readyBy - Date.now());
    } catch (error) {
      await stopChild();
      throw error;
    }
  };

  /** SIGTERM to the whole group, SIGKILL after `killAfterMs`; resolves once none of its processes is left. */
  const stopChild = async (killAfterMs = 5000): Promise<StopReport | undefined> => {
    const pid = child?.pid;
    child = undefined;
    if (pid === undefined) return undefined;
    signalGroup(pid, "SIGTERM");
    return awaitGroupExit(pid, Date.now(), killAfterMs);
  };

  /** Until the group led by `pid` is gone, SIGKILL once `killAfterMs` have passed since `since`. */
  const awaitGroupExit = async (pid: number, since: number, killAfterMs: number): Promise<StopReport> => {
    let forced = false;
    // A reparented process that nobody reaps stays a zombie (it holds no port): give up 3 s after SIGKILL.
    while (signalGroup(pid, 0) && Date.now() - since < killAfterMs + 3000) {
      if (!forced && Date.now() - since > killAfterMs) forced = signalGroup(pid, "SIGKILL");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    running.delete(pid);
    return { afterMs: Date.now() - since, forced };
  };

  /** Until nothing accepts connections on the app's port any more. */
  const awaitPortClosed = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!(await listening(port))) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`Port ${port} still accepts connections ${timeoutMs} ms after SIGTERM`);
  };

  const call =
    (prefix: string, auth: boolean) =>
    async (pathname: string, init: RequestInit & { json?: unknown } = {}) => {
      const headers = new Headers(init.headers);
      if (auth && !headers.has("authorization")) headers.set("authorization", `Bearer ${apiKey}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set("content-type", "application/json");
        body = JSON.stringify(init.json);
      }
      return fetch(`${url}${prefix}${pathname}`, { ...init, headers, body });
    };

  let contract: Promise<PosApiContract> | undefined;
  /** api(), with each POS API answer checked against the document the app serves: a mismatch throws, naming it. */
  const checkedApi = async (pathname: string, init: RequestInit & { json?: unknown } = {}) => {
    const response = await call("", true)(pathname, init);
    if (!describedByPosApiDocument(pathname)) return response;
    contract ??= PosApiContract.load(url);
    const method = init.method ?? "GET";
    const mismatches = (await contract).mismatches({
      method,
      path: pathname,
      status: response.status,
      contentType: response.headers.get("content-type"),
      body: await response.clone().text(),
    });
    if (mismatches.length > 0)
      throw new Error(
        `The answer to ${method} ${pathname} is not what the OpenAPI document says:\n${mismatches.join("\n")}`,
      );
    return response;
  };

  try {
    await launch();
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
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
    async restart(restartOptions = {}) {
      const killAfterMs = restartOptions.killAfterMs ?? 5000;
      if (!restartOptions.overlap) {
        const report = await stopChild(killAfterMs);
        await launch();
        return { previousExit: Promise.resolve(report) };
      }
      const pid = child?.pid;
      child = undefined;
      if (pid === undefined) throw new Error("The app is not running");
      const since = Date.now();
      signalGroup(pid, "SIGTERM");
      const previousExit = awaitGroupExit(pid, since, killAfterMs);
      await awaitPortClosed(killAfterMs);
      await launch();
      return { previousExit };
    },
    async kill() {
      const pid = child?.pid;
      child = undefined;
      if (pid === undefined) return;
      signalGroup(pid, "SIGKILL");
      const started = Date.now();
      while (signalGroup(pid, 0) && Date.now() - started < 5000)
        await new Promise((resolve) => setTimeout(resolve, 50));
      running.delete(pid);
    },
    api: options.checkAnswersAgainstDocument ? checkedApi : call("", true),
    sim: call("/sim/_sim", false),
  };
}
