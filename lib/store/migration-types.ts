/**
 * One step of the schema's history (lib/store/migrations.ts lists them). A step added after
 * version 12 lives in a file of its own (migration-NN-name.ts) and is appended to MIGRATIONS.
 */
export interface Migration {
  version: number;
  sqlite: readonly string[];
  postgresql: readonly string[];
}

/** PostgreSQL text column that orders and compares like SQLite's TEXT (bytewise). */
export const T = 'TEXT COLLATE "C"';
