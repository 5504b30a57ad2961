/**
 * The in-process bus: a subscriber that throws does not stop delivery to the others, and leaves a
 * warning naming the topic.
 */
import { describe, expect, it, vi } from "vitest";
import { InProcessEventBus } from "@/lib/events/event-bus";
import { processLogger } from "@/lib/log";
import { captureLog } from "../support/log-capture";

vi.mock("@/lib/log", async (original) => ({
  ...(await original<typeof import("@/lib/log")>()),
  processLogger: vi.fn(),
}));

describe("InProcessEventBus", () => {
  it("delivers to every subscriber of a topic even when one throws, and logs that one", () => {
    const { log, records } = captureLog();
    vi.mocked(processLogger).mockReturnValue(log);
    const bus = new InProcessEventBus<number>();
    const heard: number[] = [];
    bus.subscribe("terminal:pos-1", () => {
      throw new Error("stream is closed");
    });
    bus.subscribe("terminal:pos-1", (value) => void heard.push(value));
    bus.subscribe("terminal:pos-2", () => void heard.push(-1));
    bus.publish("terminal:pos-1", 7);
    expect(heard).toEqual([7]);
    expect(records()).toMatchObject([
      {
        level: "warn",
        message: "A subscriber of a live event failed",
        topic: "terminal:pos-1",
        err: { message: "stream is closed" },
      },
    ]);
  });

  it("forgets a topic once its last subscriber leaves", () => {
    const bus = new InProcessEventBus<number>();
    const leave = bus.subscribe("terminal:pos-1", () => undefined);
    expect(bus.subscriberCount()).toBe(1);
    leave();
    expect([bus.subscriberCount(), bus.subscriberCount("terminal:pos-1")]).toEqual([0, 0]);
  });
});
