/**
 * Throwaway PostgreSQL databases for tests: one per caller, dropped afterwards. The server is
 * TEST_DATABASE_URL (any database on it; default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

const SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface ThrowawayDatabase {
  url: string;
  /** Refuses new connections to the database and ends the open ones, as if it had gone away. */
  cutOff(): Promise<void>;
  /** Lets connections in again after cutOff(). */
  restore(): Promise<void>;
  drop(): Promise<void>;
}

/** Runs `sql` on the server's own database, as its superuser. */
async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Why PostgreSQL tests cannot run here, or undefined when the server answers. */
export async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${new URL(SERVER_URL).host} is not reachable (${String(error)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createThrowawayDatabase(prefix = "kassa_test"): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    cutOff: () =>
      onServer(async (client) => {
        await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        await client.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          [name],
        );
      }),
    restore: () =>
      onServer(async (client) => {
        await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      }),
    async drop() {
      const client = new pg.Client({ connectionString: SERVER_URL });
      await client.connect();
      try {
        // Instances killed with SIGKILL may leave sessions behind; end them first.
        await client.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          [name],
        );
        await client.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await client.end();
      }
    },
  };
}
