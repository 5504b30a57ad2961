/**
 * A lease held by one instance at a time. Stopping releases it; when the store cannot be told, the
 * stop goes on and the log says which lease is left to run out.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Lease } from "@/lib/background/lease";
import { captureLog, type LogRecord } from "../support/log-capture";
import { memoryStore, type TestStore } from "../support/memory-store";

let store: TestStore;
let log: ReturnType<typeof captureLog>["log"];
let records: () => LogRecord[];

beforeEach(async () => {
  store = await memoryStore();
  ({ log, records } = captureLog());
});
afterEach(async () => {
  await store.close();
});

const lease = (holder: string) => new Lease({ operations: store, log, name: "reconciler", holder, renewMs: 60_000 });

describe("Lease", () => {
  it("is held by the first instance only, and free for another once stopped", async () => {
    const a = lease("host-a:3000");
    const b = lease("host-b:3000");
    await a.start();
    await b.start();
    expect([a.held, b.held]).toEqual([true, false]);
    await a.stop();
    await b.stop();
    const c = lease("host-c:3000");
    await c.start();
    expect(c.held).toBe(true);
    await c.stop();
  });

  it("stops when the store cannot release it, with a warning naming the lease", async () => {
    const a = lease("host-a:3000");
    await a.start();
    store.releaseLease = async () => {
      throw new Error("connection terminated");
    };
    await a.stop();
    expect(a.held).toBe(false);
    expect(records().filter((record) => record.level === "warn")).toMatchObject([
      {
        message: "Could not release a lease; it runs out by itself",
        lease: "reconciler",
        err: { message: "connection terminated", stack: expect.any(String) },
      },
    ]);
  });

  it("is not held when the store cannot be asked, with a warning naming the lease", async () => {
    store.acquireLease = async () => {
      throw new Error("connection refused");
    };
    const a = lease("host-a:3000");
    await a.start();
    expect(a.held).toBe(false);
    expect(records()).toMatchObject([
      {
        level: "warn",
        message: "Could not renew a lease",
        lease: "reconciler",
        err: { message: "connection refused" },
      },
    ]);
    await a.stop();
  });
});
