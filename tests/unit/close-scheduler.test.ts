/**
 * The automatic day close: the shop's wall-clock time in its own zone (summer and winter time), and
 * the scheduler closing a terminal once when its time has come, only where the lease is held.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CloseScheduler } from "@/lib/closes/close-scheduler";
import { CloseService } from "@/lib/closes/close-service";
import { terminalTimeZone } from "@/lib/closes/close-wiring";
import { latestAtOrBefore, nextAfter } from "@/lib/closes/zoned-time";
import type { Lease } from "@/lib/background/lease";
import { captureLog } from "../support/log-capture";
import { memoryStore, type TestStore } from "../support/memory-store";

describe("the shop's wall clock", () => {
  it("finds 23:00 in Oslo in winter (UTC+1) and summer (UTC+2), and across midnight", () => {
    const winterNoon = Date.parse("2026-01-15T11:00:00Z");
    expect(new Date(latestAtOrBefore("23:00", "Europe/Oslo", winterNoon)).toISOString()).toBe(
      "2026-01-14T22:00:00.000Z",
    );
    expect(new Date(nextAfter("23:00", "Europe/Oslo", winterNoon)).toISOString()).toBe("2026-01-15T22:00:00.000Z");
    const summerNoon = Date.parse("2026-07-15T10:00:00Z");
    expect(new Date(nextAfter("23:00", "Europe/Oslo", summerNoon)).toISOString()).toBe("2026-07-15T21:00:00.000Z");
    // Just after 00:30 local time (22:40 UTC the day before, in summer): 00:30 has passed today.
    const afterMidnight = Date.parse("2026-07-15T22:40:00Z");
    expect(new Date(latestAtOrBefore("00:30", "Europe/Oslo", afterMidnight)).toISOString()).toBe(
      "2026-07-15T22:30:00.000Z",
    );
    expect(new Date(nextAfter("23:00", "Europe/Copenhagen", summerNoon)).toISOString()).toBe(
      "2026-07-15T21:00:00.000Z",
    );
  });
});

describe("CloseScheduler", () => {
  let store: TestStore;
  let now = Date.parse("2026-01-15T21:30:00Z"); // 22:30 in Oslo
  const clock = { now: () => now };
  const lease = { held: true } as Lease;
  beforeEach(async () => {
    store = await memoryStore();
    await store.saveTerminal({
      id: "pos-1",
      name: "Counter 1",
      posId: "pos-1",
      language: "nb",
      currency: "NOK",
      displayToken: "t",
      createdAt: "2026-01-01T00:00:00.000Z",
    });
  });
  afterEach(() => store.close());

  it("closes a terminal once its time has come, once, and only where the lease is held", async () => {
    const { log } = captureLog();
    const timeZone = async () => "Europe/Oslo";
    const closes = new CloseService({ closes: store, counters: store, settings: store, clock, log, timeZone });
    const scheduler = new CloseScheduler({ closes, closeRecords: store, counters: store, clock, log, lease, timeZone });
    await closes.setSchedule("pos-1", "23:00");
    expect(await scheduler.tick()).toEqual([]); // 22:30: not yet
    now = Date.parse("2026-01-15T22:00:30Z"); // 23:00:30 in Oslo
    expect(await scheduler.tick()).toEqual(["pos-1"]);
    expect(await scheduler.tick()).toEqual([]); // closed since its time
    now += 24 * 3_600_000;
    (lease as { held: boolean }).held = false;
    expect(await scheduler.tick()).toEqual([]); // another instance holds the lease
    (lease as { held: boolean }).held = true;
    expect(await scheduler.tick()).toEqual(["pos-1"]);
    expect((await store.listCloses("pos-1", { limit: 10 })).map((close) => close.number)).toEqual([2, 1]);
  });

  it("does not close at once for a time of day that had passed when it was set", async () => {
    const { log } = captureLog();
    const timeZone = async () => "Europe/Oslo";
    now = Date.parse("2026-01-15T22:30:00Z"); // 23:30 in Oslo
    const closes = new CloseService({ closes: store, counters: store, settings: store, clock, log, timeZone });
    const scheduler = new CloseScheduler({ closes, closeRecords: store, counters: store, clock, log, lease, timeZone });
    await closes.setSchedule("pos-1", "23:00");
    expect(await scheduler.tick()).toEqual([]);
    expect((await closes.schedule("pos-1")).nextCloseAt).toBe("2026-01-16T22:00:00.000Z");
  });
});

describe("CloseScheduler in the terminals' stores' time zones", () => {
  it("closes a New York store's terminal at 23:00 New York time, not at 23:00 in the shop's Oslo", async () => {
    const store = await memoryStore();
    try {
      const { log } = captureLog();
      const repositories = store.repositories;
      await repositories.stores.insertStore({
        id: "store-ny",
        name: "Manhattan",
        msn: "777001",
        currency: "NOK",
        timeZone: "America/New_York",
        language: "en",
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-01-01T00:00:00.000Z",
      });
      await store.saveTerminal({
        id: "pos-ny",
        name: "Broadway",
        posId: "pos-ny",
        language: "en",
        currency: "NOK",
        displayToken: "t",
        storeId: "store-ny",
        createdAt: "2026-01-01T00:00:00.000Z",
      });
      let at = Date.parse("2026-01-15T22:00:30Z"); // 23:00:30 in Oslo, 17:00:30 in New York
      const clock = { now: () => at };
      const timeZone = (terminalId: string) => terminalTimeZone(repositories, terminalId, async () => "Europe/Oslo");
      const closes = new CloseService({ closes: store, counters: store, settings: store, clock, log, timeZone });
      const lease = { held: true } as Lease;
      const scheduler = new CloseScheduler({
        closes,
        closeRecords: store,
        counters: store,
        clock,
        log,
        lease,
        timeZone,
      });
      at = Date.parse("2026-01-15T12:00:00Z");
      await closes.setSchedule("pos-ny", "23:00");
      expect((await closes.schedule("pos-ny")).nextCloseAt).toBe("2026-01-16T04:00:00.000Z");
      at = Date.parse("2026-01-15T22:00:30Z");
      expect(await scheduler.tick()).toEqual([]);
      at = Date.parse("2026-01-16T04:00:30Z"); // 23:00:30 in New York
      expect(await scheduler.tick()).toEqual(["pos-ny"]);
    } finally {
      await store.close();
    }
  });
});
