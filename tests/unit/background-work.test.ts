/** The tracker tests wait on instead of sleeping: settled() ends when the work does, and not before. */
import { describe, expect, it } from "vitest";
import { BackgroundWork } from "@/lib/background/background-work";

function held() {
  let release = () => {};
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

describe("background work", () => {
  it("settles at once when nothing runs", async () => {
    await new BackgroundWork().settled();
  });

  it("settles only once every tracked piece has ended, work started by tracked work included", async () => {
    const background = new BackgroundWork();
    const first = held();
    const second = held();
    const done: string[] = [];
    background.track(
      first.promise.then(() => {
        done.push("first");
        background.track(second.promise.then(() => void done.push("second")));
      }),
    );
    let settled = false;
    const waiting = background.settled().then(() => (settled = true));
    first.release();
    await first.promise;
    await Promise.resolve();
    expect(settled).toBe(false);
    second.release();
    await waiting;
    expect(done).toEqual(["first", "second"]);
  });

  it("a tracked piece that fails still counts as ended, and its failure stays its own", async () => {
    const background = new BackgroundWork();
    const failing = Promise.reject(new Error("Vipps is down"));
    background.track(failing);
    await background.settled();
    await expect(failing).rejects.toThrow("Vipps is down");
  });
});
