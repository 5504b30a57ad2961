/**
 * The display service publishing to this instance's streams: each ring is answered with a state
 * read after it, and rings that come in while a read runs share one more read.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DisplayService } from "@/lib/display/display-service";
import type { DisplayState } from "@/lib/display/display-state";
import { InProcessNotifier } from "@/lib/events/change-notifier";
import { InProcessEventBus, terminalTopic } from "@/lib/events/event-bus";
import { createLogger } from "@/lib/log";
import type { KyselyStore } from "@/lib/store/kysely-store";
import { FrozenClock } from "../support/frozen-clock";
import { memoryStore } from "../support/memory-store";
import { COUNTER_1 } from "../support/sale-domain";

let store: KyselyStore;
let bus: InProcessEventBus<DisplayState>;
let displays: DisplayService;
let seen: string[];

beforeEach(async () => {
  store = await memoryStore();
  await store.saveTerminal(COUNTER_1);
  bus = new InProcessEventBus<DisplayState>();
  displays = new DisplayService({ store, bus, notifier: new InProcessNotifier(), clock: new FrozenClock(Date.parse("2026-05-01T10:00:00.000Z")), log: createLogger("error"), shopName: async () => "Shop" });
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
    await new Promise((resolve) => setTimeout(resolve, 20));
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
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reads).not.toHaveBeenCalled();
  });
});
