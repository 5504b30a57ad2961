import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  DISPLAY_OFFLINE_AFTER_MS,
  DisplayPresenceService,
  MAX_DISPLAYS_PER_TERMINAL,
  PRESENCE_WRITES_PER_MINUTE,
} from "@/lib/display/display-presence";
import { captureLog, type LogRecord } from "../support/log-capture";
import { memoryStore, type TestStore } from "../support/memory-store";

const T0 = Date.parse("2026-06-01T10:00:00.000Z");
const REPORT = { displayId: "kiosk-0001", screen: "1080x1920", userAgent: "Mozilla/5.0 (X11; Linux) Kiosk\u0007" };

let store: TestStore;
let now: number;
let presence: DisplayPresenceService;
let records: () => LogRecord[];

beforeEach(async () => {
  store = await memoryStore();
  now = T0;
  const capture = captureLog();
  records = capture.records;
  presence = new DisplayPresenceService({ counters: store, log: capture.log, now: () => now });
});
afterEach(async () => {
  await store.close();
});

describe("display health", () => {
  it("a link that invents displays keeps at most ten on record and stops being recorded past the per-minute limit", async () => {
    const invented = PRESENCE_WRITES_PER_MINUTE + 20;
    const recorded = [];
    for (let i = 0; i < invented; i++) {
      recorded.push(await presence.heartbeat("pos-1", "link", { ...REPORT, displayId: `fake-display-${i}` }));
      now += 10;
    }
    expect(recorded.filter(Boolean)).toHaveLength(PRESENCE_WRITES_PER_MINUTE);
    const kept = (await presence.list("pos-1")).map((display) => display.id);
    expect(kept).toHaveLength(MAX_DISPLAYS_PER_TERMINAL);
    expect(kept[0]).toBe(`fake-display-${PRESENCE_WRITES_PER_MINUTE - 1}`);
    expect(records().some((record) => String(record.message).includes("too many reports"))).toBe(true);
    // Another terminal's displays are not held back, and a minute later this link is heard again.
    expect(await presence.heartbeat("pos-2", "link", REPORT)).toBe(true);
    now += 60_000;
    expect(await presence.heartbeat("pos-1", "link", { ...REPORT, displayId: "real-kiosk-1" })).toBe(true);
  });

  it("a display is online while its stream is open and it keeps beating; it goes offline a minute after its last word", async () => {
    await presence.streamOpened("pos-1", "link", REPORT);
    expect(await presence.list("pos-1")).toEqual([
      {
        id: "kiosk-0001",
        kind: "link",
        online: true,
        lastSeenAt: new Date(T0).toISOString(),
        connectedAt: new Date(T0).toISOString(),
        userAgent: "Mozilla/5.0 (X11; Linux) Kiosk",
        screen: "1080x1920",
      },
    ]);
    now += 20_000;
    expect(await presence.heartbeat("pos-1", "link", { ...REPORT, screen: null })).toBe(true);
    now += DISPLAY_OFFLINE_AFTER_MS - 1;
    expect((await presence.list("pos-1"))[0]).toMatchObject({ online: true, screen: "1080x1920" });
    // Cut off: no heartbeat, no close (a pulled cable). A minute after its last word it is offline.
    now += 1;
    expect((await presence.list("pos-1"))[0]).toMatchObject({
      online: false,
      lastSeenAt: new Date(T0 + 20_000).toISOString(),
    });
  });

  it("a closed stream is offline at once, unless the same display still has another stream open here", async () => {
    const firstClose = await presence.streamOpened("pos-1", "paired", REPORT);
    const secondClose = await presence.streamOpened("pos-1", "paired", REPORT);
    firstClose();
    firstClose();
    await presence.settled();
    expect((await presence.list("pos-1"))[0]).toMatchObject({ kind: "paired", online: true });
    now += 5_000;
    secondClose();
    await presence.settled();
    expect((await presence.list("pos-1"))[0]).toMatchObject({
      online: false,
      lastSeenAt: new Date(T0 + 5_000).toISOString(),
    });
    // It comes back: online again, connected from now.
    now += 1_000;
    await presence.streamOpened("pos-1", "paired", REPORT);
    expect((await presence.list("pos-1"))[0]).toMatchObject({
      online: true,
      connectedAt: new Date(T0 + 6_000).toISOString(),
    });
  });

  it("the cashier's own view and reports without a usable id are not counted", async () => {
    (await presence.streamOpened("pos-1", "cashier", REPORT))();
    expect(await presence.heartbeat("pos-1", "cashier", REPORT)).toBe(false);
    for (const displayId of [null, "short", "has spaces in it", "x".repeat(65), "ok'; DROP TABLE x"]) {
      (await presence.streamOpened("pos-1", "link", { ...REPORT, displayId }))();
      expect(await presence.heartbeat("pos-1", "link", { ...REPORT, displayId })).toBe(false);
    }
    expect(await presence.list("pos-1")).toEqual([]);
    // A malformed screen is dropped, not stored.
    await presence.heartbeat("pos-1", "link", { ...REPORT, screen: "<script>" });
    expect((await presence.list("pos-1"))[0]?.screen).toBeNull();
  });

  it("each terminal lists its own displays, and a display seen more than a day ago is forgotten", async () => {
    await presence.heartbeat("pos-1", "link", REPORT);
    await presence.heartbeat("pos-2", "link", { ...REPORT, displayId: "kiosk-0002" });
    expect((await presence.list("pos-2")).map((d) => d.id)).toEqual(["kiosk-0002"]);
    now += 24 * 60 * 60 * 1000 + 1;
    expect(await presence.list("pos-1")).toEqual([]);
    expect(await presence.prune()).toBe(2);
  });

  it("a closed stream the store cannot record leaves a warning naming the display, and the display stays listed", async () => {
    const close = await presence.streamOpened("pos-1", "paired", REPORT);
    store.recordDisplayDisconnected = async () => {
      throw new Error("database is locked");
    };
    close();
    await vi.waitFor(() => expect(records()).toHaveLength(1));
    expect(records()[0]).toMatchObject({
      level: "warn",
      message: "Could not record a display's stream as closed",
      terminalId: "pos-1",
      displayId: "kiosk-0001",
      err: { message: "database is locked", stack: expect.stringContaining("display-presence.test.ts") },
    });
    expect(await presence.list("pos-1")).toHaveLength(1);
  });
});
