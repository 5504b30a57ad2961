import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "@/lib/store";
import { createThrowawayDatabase, postgresUnavailable, type ThrowawayDatabase } from "../support/pg-database";
import { COUNTER_1 } from "../support/sale-domain";

// `npm run backup` and `npm run restore` as an owner runs them: the scripts in a child process,
// against a store this test keeps writing to.
const ROOT = path.resolve(__dirname, "../..");
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function run(script: string, args: string[], env: Record<string, string | undefined>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "scripts", script), ...args], {
      env: { ...process.env, DATABASE_URL: "", ...env },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk;
    });
    child.on("close", (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`${script}: ${code} ${err}`))));
  });
}

const tempDir = (name: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), `kassa-${name}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

describe("backup and restore", () => {
  it("SQLite: a backup taken while the app writes restores one committed state, every earlier write in it", async () => {
    const dataDir = tempDir("data");
    const { store } = await openStore({ dataDir });
    await store.counters.saveTerminal(COUNTER_1);
    let written = 0;
    let writing = true;
    // The app keeps writing during the backup: each write is a numbered setting.
    const writer = (async () => {
      while (writing) {
        await store.settings.setSetting(`test.n${written}`, String(written++));
        // SQLite answers at once: let the backup's child process and timers have the loop too.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    while (written < 50) await new Promise((resolve) => setTimeout(resolve, 5));
    const before = written;
    const folder = await run("backup.mjs", [tempDir("backups")], { KASSA_DATA_DIR: dataDir });
    writing = false;
    await writer;
    await store.close();
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(folder, "kassa.sqlite")).mode & 0o777).toBe(0o600);

    const restoredDir = tempDir("restored");
    await run("restore.mjs", [folder], { KASSA_DATA_DIR: restoredDir });
    const { store: restored } = await openStore({ dataDir: restoredDir });
    try {
      expect((await restored.counters.listTerminals()).map((terminal) => terminal.id)).toContain(COUNTER_1.id);
      let count = 0;
      while ((await restored.settings.getSetting(`test.n${count}`)) !== undefined) count++;
      expect(count).toBeGreaterThanOrEqual(before);
      // One committed state: nothing after the first missing write.
      expect(await restored.settings.getSetting(`test.n${count + 1}`)).toBeUndefined();
    } finally {
      await restored.close();
    }
  });

  it("SQLite: restoring keeps the database it replaces beside it", async () => {
    const dataDir = tempDir("data");
    const { store } = await openStore({ dataDir });
    await store.settings.setSetting("test.version", "backed-up");
    await store.close();
    const folder = await run("backup.mjs", [tempDir("backups")], { KASSA_DATA_DIR: dataDir });
    const { store: later } = await openStore({ dataDir });
    await later.settings.setSetting("test.version", "later");
    await later.close();
    await run("restore.mjs", [folder], { KASSA_DATA_DIR: dataDir });
    expect(readdirSync(dataDir).some((name) => name.startsWith("kassa.sqlite.before-restore-"))).toBe(true);
    const { store: restored } = await openStore({ dataDir });
    expect(await restored.settings.getSetting("test.version")).toBe("backed-up");
    await restored.close();
  });

  it("PostgreSQL: pg_dump and pg_restore bring the database back to the backup's state", async (context) => {
    const unavailable = await postgresUnavailable();
    if (unavailable) return context.skip(unavailable);
    const database: ThrowawayDatabase = await createThrowawayDatabase("kassa_backup");
    cleanups.push(() => database.drop());
    const dataDir = tempDir("data");
    const { store } = await openStore({ dataDir, databaseUrl: database.url });
    await store.counters.saveTerminal(COUNTER_1);
    await store.settings.setSetting("test.version", "backed-up");
    const folder = await run("backup.mjs", [tempDir("backups")], {
      KASSA_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
    });
    await store.counters.saveTerminal({
      ...COUNTER_1,
      id: "pos-2",
      name: "Counter 2",
      posId: "pos-2",
      displayToken: "t2",
    });
    await store.settings.setSetting("test.version", "later");
    await store.close();

    await run("restore.mjs", [folder], { KASSA_DATA_DIR: dataDir, DATABASE_URL: database.url });
    const { store: restored } = await openStore({ dataDir, databaseUrl: database.url });
    try {
      expect(await restored.settings.getSetting("test.version")).toBe("backed-up");
      expect((await restored.counters.listTerminals()).map((terminal) => terminal.id)).toEqual([COUNTER_1.id]);
    } finally {
      await restored.close();
    }
  });
});
