/**
 * `npm start` (scripts/start.mjs) runs Next's standalone server, the one the Docker image runs. A
 * server that cannot work must say why and stop, not keep listening: these start it with a bad
 * setting and expect a quick non-zero exit whose output names the variable.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "../support/app-server";

const ROOT = path.resolve(__dirname, "../..");
/** Enough for the standalone server to boot and run instrumentation; `npm test` built it already. */
const EXIT_WITHIN_MS = 15_000;
/** start.mjs rebuilds when the sources changed during the run (another file's app may be building). */
const EXIT_WITHIN_WHEN_BUILDING_MS = 180_000;

// The same lock file as tests/support/app-server.ts: start.mjs may build, and two builds into one
// .next break each other, so a start here waits for any other start of this checkout to finish.
const START_LOCK = path.join(
  os.tmpdir(),
  `kassa-test-start-${createHash("sha256").update(ROOT).digest("hex").slice(0, 12)}.lock`,
);

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
  try {
    return await work();
  } finally {
    rmSync(START_LOCK, { force: true });
  }
}

function startLockIsStale(): boolean {
  try {
    const holder = Number(readFileSync(START_LOCK, "utf8"));
    if (Date.now() - statSync(START_LOCK).mtimeMs > 10 * 60_000) return true;
    if (!holder) return false;
    process.kill(holder, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs `node scripts/start.mjs` with `env` over a loopback port and a temp data dir until it exits. */
async function startExpectingExit(env: Record<string, string>): Promise<Exit> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "kassa-standalone-"));
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    KASSA_BIND_ADDRESS: "127.0.0.1",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    KASSA_DATA_DIR: dataDir,
    KASSA_LOG_LEVEL: "warn",
    ...env,
  };
  // The default store, whatever the shell running the tests has set.
  delete childEnv.DATABASE_URL;
  try {
    return await withStartLock(
      () =>
        new Promise<Exit>((resolve, reject) => {
          // Its own process group, so that a server that failed to exit is killed with start.mjs.
          const child = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
            cwd: ROOT,
            env: childEnv,
            detached: true,
            stdio: ["ignore", "pipe", "pipe"],
          });
          let output = "";
          child.stdout.on("data", (chunk) => (output += chunk));
          child.stderr.on("data", (chunk) => (output += chunk));
          const started = Date.now();
          const watchdog = setInterval(() => {
            const limit = /building/i.test(output) ? EXIT_WITHIN_WHEN_BUILDING_MS : EXIT_WITHIN_MS;
            if (Date.now() - started < limit) return;
            clearInterval(watchdog);
            try {
              process.kill(-child.pid!, "SIGKILL");
            } catch {
              // Already gone.
            }
            reject(new Error(`start.mjs did not exit within ${limit} ms\n--- output ---\n${output}`));
          }, 100);
          child.on("error", (error) => {
            clearInterval(watchdog);
            reject(error);
          });
          child.on("close", (code, signal) => {
            clearInterval(watchdog);
            resolve({ code, signal, output });
          });
        }),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test.describe.configure({ timeout: EXIT_WITHIN_WHEN_BUILDING_MS + 30_000 });

test("a bad setting the app checks at boot stops the standalone server, naming the variable", async () => {
  const exit = await startExpectingExit({ KASSA_API_KEY: "short" });
  expect(exit.signal).toBeNull();
  expect(exit.code).not.toBe(0);
  // Printed by instrumentation.ts inside the standalone server, so it proves that runs there.
  expect(exit.output).toMatch(/^Invalid configuration: .*KASSA_API_KEY/m);
});

test("a port out of range is refused before anything starts, in one line naming PORT", async () => {
  const exit = await startExpectingExit({ PORT: "99999" });
  expect(exit.signal).toBeNull();
  expect(exit.code).toBe(1);
  expect(exit.output.trim().split("\n")).toEqual([expect.stringMatching(/^Invalid configuration: PORT must be /)]);
});
