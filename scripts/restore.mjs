// `npm run restore -- <backup folder>`: puts a backup made by `npm run backup` back. Stop the app
// first (every instance): a running app would keep writing to what is being replaced.
//   - SQLite: the backup's kassa.sqlite replaces KASSA_DATA_DIR/kassa.sqlite; the one there is kept
//     beside it as kassa.sqlite.before-restore-<time> (with its -wal and -shm files).
//   - PostgreSQL: pg_restore into DATABASE_URL, replacing the tables the backup has.
// The app migrates a restored database from an older release at its next start, as on any update.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, readFileSync, renameSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const setting = (name, fallback) => (process.env[name] ? process.env[name] : fallback);
const dataDir = path.resolve(root, setting("KASSA_DATA_DIR", "./data"));
const databaseUrl = setting("DATABASE_URL", undefined);
const folder = process.argv[2];
if (!folder || !existsSync(path.join(folder, "backup.json"))) {
  console.error("Usage: npm run restore -- <folder made by npm run backup>");
  process.exit(1);
}
const { kind } = JSON.parse(readFileSync(path.join(folder, "backup.json"), "utf8"));

if (kind === "postgresql") {
  if (!databaseUrl) {
    console.error("This is a PostgreSQL backup: set DATABASE_URL to the database to restore into.");
    process.exit(1);
  }
  const restore = spawnSync(
    "pg_restore",
    [
      "--clean",
      "--if-exists",
      "--no-owner",
      "--single-transaction",
      "--dbname",
      databaseUrl,
      path.join(folder, "kassa.pgdump"),
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  if (restore.error || restore.status !== 0) {
    console.error(`pg_restore failed${restore.error ? `: ${restore.error.message}` : ` (exit ${restore.status})`}`);
    process.exit(1);
  }
} else if (kind === "sqlite") {
  if (databaseUrl) {
    console.error("This is a SQLite backup, and DATABASE_URL is set: unset it to restore into KASSA_DATA_DIR.");
    process.exit(1);
  }
  const target = path.join(dataDir, "kassa.sqlite");
  const aside = `.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  for (const suffix of ["", "-wal", "-shm"])
    if (existsSync(target + suffix)) renameSync(target + suffix, `${target}${aside}${suffix}`);
  copyFileSync(path.join(folder, "kassa.sqlite"), target);
  chmodSync(target, 0o600);
} else {
  console.error(`Unknown backup kind ${kind}`);
  process.exit(1);
}
console.log(`Restored the ${kind} backup from ${folder}`);
