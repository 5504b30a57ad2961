/**
 * The PostgreSQL doorbell between instances: rings reach every instance, and a listener whose
 * connection is cut reconnects on its own and asks for a resync.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgNotifier } from "@/lib/events/pg-notifier";
import { createLogger } from "@/lib/log";
import { captureLog } from "../support/log-capture";
import { createThrowawayDatabase, postgresUnavailable, type ThrowawayDatabase } from "../support/pg-database";

const unavailable = await postgresUnavailable();
if (unavailable) console.warn(`Skipping the PostgreSQL notifier tests: ${unavailable}`);

const until = async (check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe.skipIf(unavailable !== undefined)("PgNotifier", () => {
  let database: ThrowawayDatabase;
  beforeAll(async () => {
    database = await createThrowawayDatabase("kassa_notify");
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("a ring on one instance reaches every instance, itself included", async () => {
    const log = createLogger("error");
    const a = await PgNotifier.start(database.url, log);
    const b = await PgNotifier.start(database.url, log);
    const heardA: string[] = [];
    const heardB: string[] = [];
    a.onChange((id) => heardA.push(id));
    b.onChange((id) => heardB.push(id));
    try {
      await a.notify("pos-1");
      await b.notify("pos-2");
      await until(() => heardA.length === 2 && heardB.length === 2);
      expect(heardA.sort()).toEqual(["pos-1", "pos-2"]);
      expect(heardB.sort()).toEqual(["pos-1", "pos-2"]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("reconnects by itself when its connection is cut, resyncs, and hears rings again", async () => {
    const log = createLogger("error");
    const listener = await PgNotifier.start(database.url, log);
    const ringer = await PgNotifier.start(database.url, log);
    const heard: string[] = [];
    let resyncs = 0;
    listener.onChange((id) => heard.push(id));
    listener.onResync(() => resyncs++);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      // Cut every LISTEN connection, as a database restart or a network drop would.
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'",
      );
      await until(() => resyncs >= 1);
      await ringer.notify("pos-9");
      await until(() => heard.includes("pos-9"));
    } finally {
      await admin.end();
      await listener.close();
      await ringer.close();
    }
  });

  it("says in the log when its connections cannot be closed, instead of failing the shutdown", async () => {
    const { log, records } = captureLog("warn");
    const notifier = await PgNotifier.start(database.url, log);
    await notifier.close();
    expect(records()).toEqual([]);
    // A second close finds the pool ended already: pg refuses, and the shutdown goes on.
    await notifier.close();
    expect(records()).toMatchObject([
      {
        level: "warn",
        message: "Could not close the notifier's connection pool",
        err: { message: "Called end on pool more than once" },
      },
    ]);
  });
});
