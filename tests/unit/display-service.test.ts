/**
 * The display service publishing to this instance's streams: each ring is answered with a state
 * read after it, and rings that come in while a read runs share one more read.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DisplayService } from "@/lib/display/display-service";
import type { DisplayState } from "@/lib/display/display-state";
import { type ChangeNotifier, InProcessNotifier } from "@/lib/events/change-notifier";
import { InProcessEventBus, terminalTopic } from "@/lib/events/event-bus";
import { createLogger } from "@/lib/log";
import { FrozenClock } from "../support/frozen-clock";
import { memoryStore, type TestStore } from "../support/memory-store";
import { COUNTER_1 } from "../support/sale-domain";

let store: TestStore;
let bus: InProcessEventBus<DisplayState>;
let displays: DisplayService;
let seen: string[];

beforeEach(async () => {
  store = await memoryStore();
  await store.saveTerminal(COUNTER_1);
  bus = new InProcessEventBus<DisplayState>();
  displays = new DisplayService({
    sales: store,
    counters: store,
    settings: store,
    bus,
    notifier: new InProcessNotifier(),
    clock: new FrozenClock(Date.parse("2026-05-01T10:00:00.000Z")),
    log: createLogger("error"),
    shopName: async () => "Shop",
  });
  seen = [];
  bus.subscribe(terminalTopic("pos-1"), (state) => void seen.push(state.terminal.name));
});

afterEach(async () => {
  vi.restoreAllMocks();
  await store.close();
});

const rename = (name: string) => store.saveTerminal({ ...COUNTER_1, name });

describe("display service: publishing", () => {
  it("answers each ring with the state read after it", async () => {
    await displays.publish("pos-1");
    await vi.waitFor(() => expect(seen).toEqual(["Counter 1"]));
    await rename("Till A");
    await displays.publish("pos-1");
    await vi.waitFor(() => expect(seen).toEqual(["Counter 1", "Till A"]));
  });

  it("rings during a read share one more read, which sees the last change", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const read = store.getTerminal.bind(store);
    const reads = vi.spyOn(store, "getTerminal").mockImplementation(async (id) => {
      if (reads.mock.calls.length === 1) await gate;
      return read(id);
    });
    await displays.publish("pos-1");
    for (const name of ["Till B", "Till C", "Till D"]) {
      await rename(name);
      await displays.publish("pos-1");
    }
    release();
    await vi.waitFor(() => expect(seen.at(-1)).toBe("Till D"));
    await displays.settled();
    // The first read (held until all four rings were in) and one for the three that came meanwhile.
    expect(reads).toHaveBeenCalledTimes(2);
    expect(seen).toEqual(["Till D", "Till D"]);
    // Done: the next ring reads again.
    await rename("Till E");
    await displays.publish("pos-1");
    await vi.waitFor(() => expect(seen.at(-1)).toBe("Till E"));
  });

  it("a read that fails is logged and the next ring reads again", async () => {
    const reads = vi.spyOn(store, "getTerminal").mockRejectedValueOnce(new Error("database is locked"));
    await displays.publish("pos-1");
    await vi.waitFor(() => expect(reads).toHaveBeenCalledTimes(1));
    await displays.publish("pos-1");
    await vi.waitFor(() => expect(seen).toEqual(["Counter 1"]));
  });

  it("reads nothing when no stream of the terminal is open here", async () => {
    const reads = vi.spyOn(store, "getTerminal");
    await store.saveTerminal({ ...COUNTER_1, id: "pos-2", displayToken: "t-2" });
    await displays.publish("pos-2");
    await displays.settled();
    expect(reads).not.toHaveBeenCalled();
  });
});

describe("display service: the shop's name and branding", () => {
  /** A doorbell two instances share, as PostgreSQL's LISTEN/NOTIFY is; resync() stands for a reconnect. */
  class SharedBell implements ChangeNotifier {
    private readonly changes: ((terminalId: string) => void)[] = [];
    private readonly resyncs: (() => void)[] = [];
    async notify(terminalId: string): Promise<void> {
      for (const listener of this.changes) listener(terminalId);
    }
    onChange(listener: (terminalId: string) => void): void {
      this.changes.push(listener);
    }
    onResync(listener: () => void): void {
      this.resyncs.push(listener);
    }
    async close(): Promise<void> {}
    resync(): void {
      for (const listener of this.resyncs) listener();
    }
  }

  async function instance(notifier: ChangeNotifier, shopName: () => Promise<string>) {
    const ownBus = new InProcessEventBus<DisplayState>();
    const service = new DisplayService({
      sales: store,
      counters: store,
      settings: store,
      bus: ownBus,
      notifier,
      clock: new FrozenClock(Date.parse("2026-05-01T10:00:00.000Z")),
      log: createLogger("error"),
      shopName,
    });
    const shown: { shop: string; accent?: string }[] = [];
    ownBus.subscribe(
      terminalTopic("pos-1"),
      (state) => void shown.push({ shop: state.terminal.shopName, accent: state.terminal.brand?.accent }),
    );
    return { service, shown };
  }

  it("are read once for many states, and again on every instance after a shop-wide change on any", async () => {
    const bell = new SharedBell();
    let name = "Bakery";
    const shopName = vi.fn(async () => name);
    const settings = vi.spyOn(store, "getSetting");
    const a = await instance(bell, shopName);
    const b = await instance(bell, shopName);
    for (let i = 0; i < 3; i++) {
      await a.service.publish("pos-1");
      await vi.waitFor(() => expect(b.shown).toHaveLength(i + 1));
    }
    // Two instances, one read each, however many states.
    expect(shopName).toHaveBeenCalledTimes(2);
    const settingsReads = settings.mock.calls.length;

    name = "Bakery & Café";
    await store.setSetting("branding.accentColor", "#1a5c2e");
    await b.service.publishAll();
    await vi.waitFor(() => expect(a.shown.at(-1)).toEqual({ shop: "Bakery & Café", accent: "#1a5c2e" }));
    await vi.waitFor(() => expect(b.shown.at(-1)).toEqual({ shop: "Bakery & Café", accent: "#1a5c2e" }));
    expect(shopName).toHaveBeenCalledTimes(4);
    expect(settings.mock.calls.length).toBeGreaterThan(settingsReads);
  });

  it("are read again after the doorbell was out of order, since a shop-wide ring may have been missed", async () => {
    const bell = new SharedBell();
    let name = "Bakery";
    const a = await instance(bell, async () => name);
    await a.service.publish("pos-1");
    await vi.waitFor(() => expect(a.shown).toEqual([{ shop: "Bakery", accent: undefined }]));
    name = "Renamed while the ring was lost";
    await a.service.publish("pos-1");
    await vi.waitFor(() => expect(a.shown).toHaveLength(2));
    expect(a.shown.at(-1)?.shop).toBe("Bakery");
    bell.resync();
    await vi.waitFor(() => expect(a.shown.at(-1)?.shop).toBe("Renamed while the ring was lost"));
  });

  it("a failed read is not kept", async () => {
    let fail = true;
    const a = await instance(new SharedBell(), async () => {
      if (fail) throw new Error("database is locked");
      return "Bakery";
    });
    await a.service.publish("pos-1");
    await a.service.settled();
    expect(a.shown).toEqual([]);
    fail = false;
    await a.service.publish("pos-1");
    await vi.waitFor(() => expect(a.shown).toEqual([{ shop: "Bakery", accent: undefined }]));
  });
});
