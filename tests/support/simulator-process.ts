/**
 * The standalone Vipps simulator (`npm run simulator`) as a child process for a test: its own
 * loopback port, data dir and clock, test controls on.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./app-server";

const ROOT = path.resolve(__dirname, "../..");

export interface SimulatorHandle {
  url: string;
  /** Calls its /_sim test controls. */
  control(pathname: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

/** `env` is added to the simulator's environment (a benchmark's profiler preload, say). */
export async function startSimulator(env: Record<string, string> = {}): Promise<SimulatorHandle> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "kassa-sim-"));
  let output = "";
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "lib/simulator/server.ts")],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        PUBLIC_URL: url,
        KASSA_DATA_DIR: dataDir,
        KASSA_BIND_ADDRESS: "127.0.0.1",
        KASSA_SIMULATOR_CONTROLS: "on",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The simulator exited (${child.exitCode}): ${output}`);
    try {
      if ((await fetch(`${url}/_sim/clock`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`The simulator did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    control(pathname, init = {}) {
      const headers = new Headers(init.headers);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set("content-type", "application/json");
        body = JSON.stringify(init.json);
      }
      return fetch(`${url}/_sim${pathname}`, { ...init, headers, body });
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
