/**
 * The settlement importer against a Report API in the test process (tests/support/fake-report-api.ts):
 * it reads both feeds page by page from the stored cursor, stores each entry once whatever stops
 * it between a page's read and its commit, keeps entry types it does not know, backs off while the
 * API fails, and matches entries to sales by pspReference, then reference.
 */
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Lease } from "@/lib/background/lease";
import { AdjustableClock } from "@/lib/clock";
import { SettlementImporter } from "@/lib/settlements/settlement-importer";
import { backoffMs, MAX_BACKOFF_MS, SettlementScheduler } from "@/lib/settlements/settlement-scheduler";
import { AccessTokenCache } from "@/lib/vipps/access-token";
import { VippsApiError } from "@/lib/vipps/errors";
import { createReportClient } from "@/lib/vipps/report-client";
import { FAKE_BASE, FAKE_CREDENTIALS, FAKE_MSN, FakeReportApi } from "../support/fake-report-api";
import { captureLog } from "../support/log-capture";
import { memoryStore, type TestStore } from "../support/memory-store";
import { newSale, terminal } from "../support/store-conformance";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let api: FakeReportApi;
let store: TestStore;
const clock = new AdjustableClock();
const { log } = captureLog("error");

const report = () =>
  createReportClient({
    baseUrl: FAKE_BASE,
    credentials: FAKE_CREDENTIALS,
    tokenCache: new AccessTokenCache(),
    retry: { attempts: 1 },
    sleep: async () => undefined,
  });

const importer = (beforeStore?: () => void) =>
  new SettlementImporter({
    msn: FAKE_MSN,
    report: report(),
    settlements: store.repositories.settlements,
    clock,
    log,
    ...(beforeStore ? { beforeStore } : {}),
  });

beforeEach(async () => {
  api = new FakeReportApi();
  server.use(...api.handlers());
  store = await memoryStore();
});

/** 50 funds entries: captures of unknown references with their fees, and a few of a type no one knows yet. */
function fiftyEntries() {
  for (let i = 0; i < 25; i++) api.capture(`stranger-${i}`, 1_000 + i, 18);
  expect(api.entries.funds).toHaveLength(50);
}

const fingerprint = async () =>
  (await store.repositories.settlements.listEntries({}))
    .map((entry) => `${entry.topic}:${entry.entryType}:${entry.pspReference}:${entry.amount}`)
    .sort();

describe("Settlement importer", () => {
  it("reads both feeds of the MSN's ledger with the ePayment keys, from the stored cursor on", async () => {
    fiftyEntries();
    api.pageSize = 3;
    const first = await importer().run();
    expect(first).toEqual({ stored: 100, caughtUp: true });
    const read = api.feedReads[0]!;
    expect(read.headers.get("authorization")).toBe("Bearer fake-token");
    expect(read.headers.get("ocp-apim-subscription-key")).toBe("fake-subscription-key");
    expect(read.headers.get("merchant-serial-number")).toBe(FAKE_MSN);
    expect(read.headers.get("vipps-system-name")).toBeTruthy();
    // 17 pages of funds (16 full, 1 of 2) and the empty page that says "the end"; the same for fees.
    expect(api.feedReads.filter((r) => r.topic === "funds")).toHaveLength(18);

    api.capture("stranger-late", 500, 9);
    api.feedReads.length = 0;
    expect(await importer().run()).toEqual({ stored: 4, caughtUp: true });
    // The second run starts where the first ended, not at the feed's start.
    expect(api.feedReads.every((r) => r.cursor !== null)).toBe(true);
  });

  it("killed between reading a page and committing it, it stores the same as a run never stopped", async () => {
    fiftyEntries();
    api.pageSize = 3;
    await importer().run();
    const uninterrupted = await fingerprint();

    store = await memoryStore();
    let pages = 0;
    const crashing = importer(() => {
      pages += 1;
      if (pages === 7) throw new Error("kill -9");
    });
    await expect(crashing.run()).rejects.toThrow("kill -9");
    const partial = await store.repositories.settlements.listEntries({});
    // Six pages of three were committed; the seventh was read but never stored.
    expect(partial).toHaveLength(18);
    expect(await importer().run()).toEqual({ stored: 82, caughtUp: true });
    expect(await fingerprint()).toEqual(uninterrupted);
    const funds = (await store.repositories.settlements.listEntries({})).filter((e) => e.topic === "funds");
    expect(funds.reduce((sum, e) => sum + e.amount, 0)).toBe(api.entries.funds.at(-1)!.balanceAfter);
  });

  it("keeps an entry of a type it does not know and imports what follows it", async () => {
    api.capture("stranger-1", 1_000, 18);
    api.add("funds", { entryType: "interchange-adjustment-2027", amount: -3, reference: "stranger-1" });
    api.capture("stranger-2", 2_000, 35);
    await importer().run();
    const funds = (await store.repositories.settlements.listEntries({})).filter((e) => e.topic === "funds");
    expect(funds.map((e) => [e.entryType, e.kind])).toEqual([
      ["capture", "capture"],
      ["fees-retained", "fee"],
      ["interchange-adjustment-2027", "other"],
      ["capture", "capture"],
      ["fees-retained", "fee"],
    ]);
  });

  it("matches a capture to its sale by reference, and its fee entries by the capture's pspReference", async () => {
    const { sale, attempt, event } = newSale("s1");
    await store.repositories.counters.saveTerminal(terminal("t1"));
    await store.repositories.sales.insertSale(sale, attempt, event);
    api.capture(attempt.reference, 4_990, 87);
    // A fee entry that names no reference at all still belongs to the capture it shares a pspReference with.
    api.add("fees", { entryType: "capture-fee", amount: -1, pspReference: api.entries.funds[0]!.pspReference });
    api.add("funds", { entryType: "capture", amount: 100, reference: "someone-else" });
    await importer().run();
    const entries = await store.repositories.settlements.listEntries({});
    expect(entries.filter((e) => e.saleId === "s1")).toHaveLength(5);
    expect(entries.find((e) => e.reference === "someone-else")?.saleId).toBeUndefined();
  });

  it("notes the Report API's failure on the feed, and the next good run clears it", async () => {
    api.capture("stranger-1", 1_000, 18);
    api.failFeedReads = 1;
    const error = await importer()
      .run()
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(VippsApiError);
    const [feed] = await store.repositories.settlements.listFeeds(FAKE_MSN);
    expect(feed?.lastError).toMatch(/HTTP 500/);
    await importer().run();
    const feeds = await store.repositories.settlements.listFeeds(FAKE_MSN);
    expect(feeds.map((f) => f.lastError)).toEqual([undefined, undefined]);
    expect(await store.repositories.settlements.listEntries({})).toHaveLength(4);
  });
});

describe("Settlement scheduler", () => {
  it("waits longer after each failure, from a few seconds up to a cap, and the interval again after a success", () => {
    expect(backoffMs(60_000, 0)).toBe(60_000);
    expect(backoffMs(60_000, 1)).toBe(10_000);
    expect(backoffMs(60_000, 3)).toBe(40_000);
    expect(backoffMs(60_000, 10)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(1_000, 1)).toBe(2_000);
    // A short interval (tests, the soak) backs off less far: fifteen intervals, at least a minute.
    expect(backoffMs(2_000, 10)).toBe(60_000);
  });

  it("runs only where its lease is held, and reports the last failure until a run succeeds", async () => {
    api.capture("stranger-1", 1_000, 18);
    const lease = (holder: string) =>
      new Lease({ operations: store.repositories.operations, log, name: `settlement-import:${FAKE_MSN}`, holder });
    const here = new SettlementScheduler({ importer: importer(), lease: lease("a"), log, intervalMs: 3_600_000 });
    const there = new SettlementScheduler({ importer: importer(), lease: lease("b"), log, intervalMs: 3_600_000 });
    await here.start();
    await there.start();
    try {
      expect(await there.tick()).toBeUndefined();
      api.failFeedReads = 1;
      expect(await here.tick()).toBeUndefined();
      expect(here.error).toMatch(/HTTP 500/);
      expect(await here.tick()).toMatchObject({ caughtUp: true });
      expect(here.error).toBeUndefined();
    } finally {
      await here.stop();
      await there.stop();
    }
    expect(await store.repositories.settlements.listEntries({})).toHaveLength(4);
  });
});
