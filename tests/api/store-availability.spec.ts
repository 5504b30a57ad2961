/**
 * The store is what the app cannot do without. At start-up a store that cannot be opened ends the
 * process with one line that says why, rather than leaving a server that answers 500 or hangs; once
 * running, /api/health says 503 while the store is gone and the app recovers by itself when it returns.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { type AppHandle, freePort, startApp } from "../support/app-server";
import { createThrowawayDatabase, postgresUnavailable, type ThrowawayDatabase } from "../support/pg-database";

const SALE = {
  terminalId: "pos-1",
  currency: "NOK",
  lines: [{ name: "Espresso", quantity: 1, unitPrice: 3900, taxRate: 1500 }],
};

/** Starts the app expecting it to give up: its exit status and what it printed. */
async function failedStart(env: Record<string, string>): Promise<{ status: string; output: string }> {
  const started = Date.now();
  const error = await startApp({ env, requireWebhook: false, readyTimeoutMs: 60_000 }).then(
    async (app) => {
      await app.stop();
      return new Error("The app started");
    },
    (reason: unknown) => reason as Error,
  );
  const match =
    /The app exited \((.+?)\) before it was ready\n--- app output \(last 4000 characters\) ---\n([\s\S]*)$/.exec(
      error.message,
    );
  expect(match, error.message).not.toBeNull();
  // Gave up by itself, and soon: well before the harness's wait for readiness ran out.
  expect(Date.now() - started).toBeLessThan(50_000);
  return { status: match![1]!, output: match![2]! };
}

/** The one line the app printed about its store, and no stack trace. */
function expectOneClearLine(output: string, pattern: RegExp): void {
  const lines = output.split("\n").filter((line) => line.trim() !== "");
  const matching = lines.filter((line) => pattern.test(line));
  expect(matching, output).toHaveLength(1);
  expect(output, "a stack trace").not.toMatch(/^\s+at /m);
}

test.describe("at start-up", () => {
  test("an unusable data directory ends the process with one line naming it", async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), "kassa-test-"));
    const notADirectory = path.join(parent, "a-file");
    writeFileSync(notADirectory, "not a directory");
    try {
      const { status, output } = await failedStart({ KASSA_DATA_DIR: path.join(notADirectory, "data") });
      expect(status).toBe("1");
      expectOneClearLine(output, /data directory .*a-file\/data/);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  test("an unreachable PostgreSQL ends the process with one line naming it, and no password", async () => {
    const port = await freePort();
    const { status, output } = await failedStart({
      DATABASE_URL: `postgres://kassa:s3cret-pass@127.0.0.1:${port}/kassa`,
    });
    expect(status).toBe("1");
    expectOneClearLine(output, new RegExp(`PostgreSQL.*127\\.0\\.0\\.1:${port}/kassa`));
    expect(output).not.toContain("s3cret-pass");
  });

  test("a missing PostgreSQL database ends the process with one line naming it", async () => {
    const unavailable = await postgresUnavailable();
    test.skip(unavailable !== undefined, unavailable);
    const server = new URL(process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
    server.pathname = "/kassa_missing_database";
    const { status, output } = await failedStart({ DATABASE_URL: server.toString() });
    expect(status).toBe("1");
    expectOneClearLine(output, /PostgreSQL.*kassa_missing_database/);
  });
});

test.describe("while running on PostgreSQL", () => {
  let database: ThrowawayDatabase | undefined;
  let app: AppHandle | undefined;

  test.afterAll(async () => {
    await app?.stop();
    await database?.restore().catch(() => undefined);
    await database?.drop();
  });

  test("health says 503 while the database is gone, and the app recovers by itself when it returns", async () => {
    test.setTimeout(180_000);
    const unavailable = await postgresUnavailable();
    test.skip(unavailable !== undefined, unavailable);
    database = await createThrowawayDatabase("kassa_outage");
    app = await startApp({ env: { DATABASE_URL: database.url } });
    const running = app;
    const health = async () => {
      const response = await fetch(`${running.url}/api/health`, { signal: AbortSignal.timeout(10_000) });
      return { status: response.status, body: (await response.json()) as { status: string; store: string } };
    };
    expect(await health()).toMatchObject({ status: 200, body: { status: "ok", store: "postgresql" } });

    await database.cutOff();
    await expect
      .poll(health, { timeout: 15_000 })
      .toMatchObject({ status: 503, body: { status: "unavailable", store: "postgresql" } });
    // A request that needs the store fails promptly instead of hanging.
    const during = await running.api("/api/v1/sales", {
      method: "POST",
      json: SALE,
      signal: AbortSignal.timeout(15_000),
    });
    expect(during.status).toBeGreaterThanOrEqual(500);

    await database.restore();
    await expect
      .poll(health, { timeout: 15_000 })
      .toMatchObject({ status: 200, body: { status: "ok", store: "postgresql" } });
    const after = await running.api("/api/v1/sales", { method: "POST", json: SALE });
    expect(after.status, await after.clone().text()).toBe(201);
  });
});
