import "server-only";
import type { StoreDialect } from "./connect";

/*
 * Where SQLite and PostgreSQL hand back or take different JavaScript values for the same column,
 * the repositories convert through these.
 */

/** SQLite keeps booleans as 0/1; PostgreSQL has a boolean column. */
export function storedBoolean(dialect: StoreDialect, value: boolean): number | boolean {
  return dialect === "postgresql" ? value : value ? 1 : 0;
}

/** SQLite hands JSON back as the TEXT it stored; PostgreSQL's pg parses json columns itself. */
export function fromJson<T>(value: string | T): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}
