import { mkdirSync } from "node:fs";
import { MIGRATIONS } from "@/lib/store/migrations";
import { type ConformanceContext, iso, type RawSession, T0, type TestDatabase } from "./store-conformance";

/**
 * A database as an earlier release left it: the migrations up to `version` applied and recorded,
 * nothing else yet, for an upgrade test to fill through its raw session (closed after the test)
 * and then open with today's store. `yes` is a boolean true as the dialect writes it.
 */
export async function databaseAtVersion(
  context: ConformanceContext,
  version: number,
): Promise<{ database: TestDatabase; raw: RawSession; dialect: "sqlite" | "postgresql"; yes: string }> {
  const database = await context.backend.blank();
  mkdirSync(database.openOptions.dataDir, { recursive: true });
  const raw = await database.raw();
  context.rawSessions.push(raw);
  const dialect = context.backend.name;
  await raw.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
  for (const migration of MIGRATIONS.filter((m) => m.version <= version)) {
    for (const statement of migration[dialect]) await raw.exec(statement);
    await raw.exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (${migration.version}, '${iso(T0)}')`);
  }
  return { database, raw, dialect, yes: dialect === "postgresql" ? "true" : "1" };
}
