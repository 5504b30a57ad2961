// `npm run backup [-- <directory>]`: a consistent copy of the shop's data while the app runs.
//   - SQLite (no DATABASE_URL): SQLite's online backup of KASSA_DATA_DIR/kassa.sqlite, page by page,
//     which sees one committed state even while the app writes (a plain file copy of a database in
//     WAL mode can miss what is still in the -wal file, or tear a page).
//   - PostgreSQL (DATABASE_URL): pg_dump in its custom format, one snapshot of every table.
// The backup goes into <directory> (default KASSA_DATA_DIR/../kassa-backups) as a new folder named by
// the time, readable by this user alone: it holds the API key's hash, the session secret and the
// Vipps keys. Restore with `npm run restore -- <that folder>`.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const setting = (name, fallback) => (process.env[name] ? process.env[name] : fallback);
const dataDir = path.resolve(root, setting("KASSA_DATA_DIR", "./data"));
const databaseUrl = setting("DATABASE_URL", undefined);
const into = path.resolve(process.argv[2] ?? path.join(dataDir, "..", "kassa-backups"));

const stamp = new Date().toISOString().replace(/[:.]/g, "-").replace("Z", "Z");
const folder = path.join(into, `kassa-${stamp}`);
mkdirSync(folder, { recursive: true, mode: 0o700 });
chmodSync(folder, 0o700);

let kind;
if (databaseUrl) {
  kind = "postgresql";
  const file = path.join(folder, "kassa.pgdump");
  const dump = spawnSync("pg_dump", ["--format=custom", "--no-owner", "--file", file, "--dbname", databaseUrl], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (dump.error || dump.status !== 0) {
    console.error(`pg_dump failed${dump.error ? `: ${dump.error.message}` : ` (exit ${dump.status})`}`);
    process.exit(1);
  }
  chmodSync(file, 0o600);
} else {
  kind = "sqlite";
  const source = path.join(dataDir, "kassa.sqlite");
  if (!existsSync(source)) {
    console.error(`No database at ${source}: set KASSA_DATA_DIR to the app's data directory.`);
    process.exit(1);
  }
  const database = new Database(source, { readonly: true, fileMustExist: true });
  const target = path.join(folder, "kassa.sqlite");
  await database.backup(target);
  database.close();
  chmodSync(target, 0o600);
}
writeFileSync(
  path.join(folder, "backup.json"),
  `${JSON.stringify({ kind, takenAt: new Date().toISOString() }, null, 2)}\n`,
  { mode: 0o600 },
);
console.log(folder);
