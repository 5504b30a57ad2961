import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { secureDataDir } from "@/lib/data-dir";

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe.skipIf(process.platform === "win32")("secureDataDir", () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "kassa-data-dir-"));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("creates a missing directory, nested too, readable by the owner only", () => {
    const dir = path.join(root, "a", "data");
    secureDataDir(dir);
    expect(modeOf(dir)).toBe(0o700);
  });

  it("closes an existing directory and every file in it to other users", () => {
    const dir = path.join(root, "data");
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    for (const name of ["kassa.sqlite", "kassa.sqlite-wal", "kassa.sqlite-shm", "initial-credentials.txt"]) {
      writeFileSync(path.join(dir, name), "secret");
      chmodSync(path.join(dir, name), 0o644);
    }
    secureDataDir(dir);
    expect(modeOf(dir)).toBe(0o700);
    for (const name of ["kassa.sqlite", "kassa.sqlite-wal", "kassa.sqlite-shm", "initial-credentials.txt"]) {
      expect(modeOf(path.join(dir, name)), name).toBe(0o600);
    }
  });

  it("leaves files that are not the app's own as they are, execute bits included", () => {
    const dir = path.join(root, "data");
    mkdirSync(dir);
    const foreign = { "backup.sh": 0o755, "notes.txt": 0o644, "kassa.sqlite.bak": 0o640 };
    for (const [name, mode] of Object.entries(foreign)) {
      writeFileSync(path.join(dir, name), "theirs");
      chmodSync(path.join(dir, name), mode);
    }
    writeFileSync(path.join(dir, "simulator.sqlite"), "ours");
    chmodSync(path.join(dir, "simulator.sqlite"), 0o644);
    secureDataDir(dir);
    for (const [name, mode] of Object.entries(foreign)) expect(modeOf(path.join(dir, name)), name).toBe(mode);
    expect(modeOf(path.join(dir, "simulator.sqlite"))).toBe(0o600);
  });

  it("does not follow a symbolic link to a file elsewhere", () => {
    const dir = path.join(root, "data");
    mkdirSync(dir);
    const outside = path.join(root, "outside.txt");
    writeFileSync(outside, "not ours to change");
    chmodSync(outside, 0o644);
    symlinkSync(outside, path.join(dir, "link"));
    secureDataDir(dir);
    expect(modeOf(outside)).toBe(0o644);
  });

  it("leaves the process umask alone", () => {
    const before = process.umask();
    secureDataDir(path.join(root, "data"));
    expect(process.umask()).toBe(before);
  });

  it("covers SQLite's -wal and -shm once called after the database opened, and later ones inherit 0600", () => {
    const dir = path.join(root, "data");
    secureDataDir(dir);
    const file = path.join(dir, "kassa.sqlite");
    const open = () => {
      const database = new BetterSqlite3(file);
      database.pragma("journal_mode = WAL");
      database.exec("CREATE TABLE IF NOT EXISTS t (x); INSERT INTO t VALUES (1)");
      return database;
    };
    // SQLite creates the database with the process umask (commonly 0644), the -wal and -shm with its mode.
    let database = open();
    secureDataDir(dir);
    for (const name of ["kassa.sqlite", "kassa.sqlite-wal", "kassa.sqlite-shm"])
      expect(modeOf(path.join(dir, name)), name).toBe(0o600);
    // Closing removes the -wal and -shm; the next open makes new ones with the database file's mode.
    database.close();
    database = open();
    try {
      for (const name of ["kassa.sqlite-wal", "kassa.sqlite-shm"])
        expect(modeOf(path.join(dir, name)), name).toBe(0o600);
    } finally {
      database.close();
    }
  });
});
