/** Pairing under abuse: wrong codes are limited per terminal, and stale requests are deleted. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inProcessRateLimit, SlidingWindowRateLimiter } from "@/lib/auth/rate-limit";
import { DisplayAccess, WRONG_CODE_WINDOW_MS, WRONG_CODES_PER_WINDOW } from "@/lib/display/display-access";
import { PAIRING_TTL_MS } from "@/lib/display/pairing";
import { createLogger } from "@/lib/log";
import { memoryStore, type TestStore } from "../support/memory-store";

const NOW = Date.parse("2026-03-02T08:00:00.000Z");
let store: TestStore;
let access: DisplayAccess;
const request = () => new Request("http://127.0.0.1:3000/api/display/pairings", { method: "POST" });

beforeEach(async () => {
  store = await memoryStore();
  await store.saveTerminal({
    id: "pos-1",
    name: "Counter 1",
    posId: "pos-1",
    language: "nb",
    currency: "NOK",
    displayToken: "t",
    createdAt: new Date(NOW).toISOString(),
  });
  access = new DisplayAccess({
    counters: store,
    clock: { now: () => NOW },
    log: createLogger("error"),
    isCashier: async () => false,
    secureCookies: false,
    pairingLimit: inProcessRateLimit(new SlidingWindowRateLimiter(1000, 60_000)),
    guessLimit: inProcessRateLimit(new SlidingWindowRateLimiter(WRONG_CODES_PER_WINDOW, WRONG_CODE_WINDOW_MS)),
  });
});

afterEach(async () => {
  await store.close();
});

describe("pairing under abuse", () => {
  it("after too many wrong codes a terminal refuses pairing for a while, even with the right code", async () => {
    const { code } = await access.startPairing(request());
    for (let i = 0; i < WRONG_CODES_PER_WINDOW; i++)
      await expect(access.pair("pos-1", "AAAAAA")).rejects.toMatchObject({ code: "validation" });
    await expect(access.pair("pos-1", code)).rejects.toMatchObject({
      code: "rateLimited",
      options: { retryAfterSeconds: expect.any(Number) },
    });
  });

  it("a right code after a few wrong ones still pairs", async () => {
    const { code } = await access.startPairing(request());
    for (let i = 0; i < 3; i++)
      await expect(access.pair("pos-1", "AAAAAA")).rejects.toMatchObject({ code: "validation" });
    expect(await access.pair("pos-1", code)).toMatchObject({ paired: true, terminalId: "pos-1" });
  });

  it("pairing requests that ran out unused are deleted; completed ones are kept", async () => {
    const unused = await access.startPairing(request());
    const used = await access.startPairing(request());
    await access.pair("pos-1", used.code);
    const later = new Date(NOW + PAIRING_TTL_MS + 1).toISOString();
    expect(await store.pruneExpiredPairings(later)).toBe(1);
    expect(await store.getPairing(unused.id)).toBeUndefined();
    expect(await store.getPairing(used.id)).toBeDefined();
  });
});
