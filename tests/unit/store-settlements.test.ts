/**
 * The settlements repository's slice of the store conformance suite, on SQLite and PostgreSQL: a
 * page and its cursor move commit together, a page stored twice counts once, two instances
 * storing the same page at the same moment store it once, and entries find their sales by
 * pspReference, then reference, also when the sale's attempt is found only later.
 */
import { beforeEach, expect, it } from "vitest";
import { entryKindOf, type NewSettlementEntry, type SettlementTopic } from "@/lib/entities/settlement";
import type { SettlementFeedKey } from "@/lib/store/repositories";
import type { Store } from "@/lib/store/store";
import { conformance, iso, newSale, T0 } from "../support/store-conformance";

const FUNDS: SettlementFeedKey = { msn: "123456", ledgerId: "L1", topic: "funds", currency: "NOK" };

let balance = 0;
function entry(
  id: string,
  entryType: string,
  amount: number,
  extra: Partial<NewSettlementEntry> & { topic?: SettlementTopic } = {},
): NewSettlementEntry {
  balance += amount;
  const topic = extra.topic ?? "funds";
  return {
    id,
    msn: "123456",
    ledgerId: "L1",
    topic,
    entryType,
    kind: entryKindOf(topic, entryType),
    pspReference: `psp-${id}`,
    currency: "NOK",
    amount,
    balanceAfter: balance,
    time: iso(T0 + Number(id.replace(/\D/g, "") || 0) * 1000),
    ledgerDate: "2026-05-01",
    ...extra,
  };
}

conformance("Settlements repository", (context) => {
  let store: Store;
  beforeEach(async () => {
    store = context.store;
    balance = 0;
    const { sale, attempt, event } = newSale("s1");
    await store.sales.insertSale(sale, attempt, event);
  });

  it("stores a page with its cursor, matches by reference and then by pspReference, and skips an entry stored before", async () => {
    const capture = entry("e1", "capture", 4990, { reference: "ref-s1-a1", pspReference: "psp-cap" });
    const fee = entry("e2", "fees-retained", -87, { pspReference: "psp-cap" });
    const stranger = entry("e3", "capture", 100, { reference: "nobody" });
    const first = await store.settlements.importPage({
      feed: FUNDS,
      fromCursor: undefined,
      toCursor: "c1",
      entries: [capture, fee, stranger],
      at: iso(T0),
      caughtUp: false,
    });
    expect(first).toEqual({ moved: false, stored: 3 });
    const entries = await store.settlements.listEntries({ fromDate: "2026-05-01", toDate: "2026-05-01" });
    expect(entries.map((e) => [e.id, e.kind, e.saleId ?? null])).toEqual([
      ["e1", "capture", "s1"],
      ["e2", "fee", "s1"],
      ["e3", "capture", null],
    ]);
    // The same entry again (a page read again after a crash) is not stored twice.
    const again = await store.settlements.importPage({
      feed: FUNDS,
      fromCursor: "c1",
      toCursor: "c2",
      entries: [stranger, entry("e4", "brand-new-type", 5)],
      at: iso(T0 + 1000),
      caughtUp: true,
    });
    expect(again).toEqual({ moved: false, stored: 1 });
    const all = await store.settlements.listEntries({});
    expect(all).toHaveLength(4);
    expect(all.find((e) => e.id === "e4")).toMatchObject({ kind: "other", entryType: "brand-new-type" });
    const [feed] = await store.settlements.listFeeds("123456");
    expect(feed).toMatchObject({ cursor: "c2", lastImportAt: iso(T0 + 1000), caughtUpAt: iso(T0 + 1000) });
    expect(await store.settlements.listEntries({ saleIds: ["s1"] })).toHaveLength(2);
  });

  it("writes nothing when the cursor moved since the page was read", async () => {
    await store.settlements.importPage({
      feed: FUNDS,
      fromCursor: undefined,
      toCursor: "c1",
      entries: [entry("e1", "capture", 1)],
      at: iso(T0),
      caughtUp: false,
    });
    const stale = await store.settlements.importPage({
      feed: FUNDS,
      fromCursor: undefined,
      toCursor: "c1",
      entries: [entry("e2", "capture", 1)],
      at: iso(T0),
      caughtUp: false,
    });
    expect(stale).toEqual({ moved: true });
    const wrong = await store.settlements.importPage({
      feed: FUNDS,
      fromCursor: "c0",
      toCursor: "c9",
      entries: [entry("e3", "capture", 1)],
      at: iso(T0),
      caughtUp: false,
    });
    expect(wrong).toEqual({ moved: true });
    expect((await store.settlements.listEntries({})).map((e) => e.id)).toEqual(["e1"]);
    expect((await store.settlements.listFeeds())[0]?.cursor).toBe("c1");
  });

  it("two instances storing the same pages at once store every entry once", async () => {
    const other = await context.another();
    const pages = Array.from({ length: 10 }, (_, page) =>
      Array.from({ length: 5 }, (_, i) => entry(`e${page * 5 + i + 1}`, "capture", 10)),
    );
    // Each instance walks the pages as it sees the cursor; whichever moves it first stores the page.
    const walk = async (instance: Store) => {
      let stored = 0;
      for (let page = 0; page < pages.length; page++) {
        const result = await instance.settlements.importPage({
          feed: FUNDS,
          fromCursor: page === 0 ? undefined : `c${page}`,
          toCursor: `c${page + 1}`,
          entries: pages[page]!,
          at: iso(T0),
          caughtUp: false,
        });
        if (!result.moved) stored += result.stored;
      }
      return stored;
    };
    const [a, b] = await Promise.all([walk(store), walk(other)]);
    expect(a + b).toBe(50);
    const entries = await store.settlements.listEntries({});
    expect(entries).toHaveLength(50);
    expect(entries.reduce((sum, e) => sum + e.amount, 0)).toBe(500);
    expect((await store.settlements.listFeeds())[0]?.cursor).toBe("c10");
  });

  it("keeps a failure until the next page succeeds, with the time the failures began", async () => {
    await store.settlements.recordFeedError(FUNDS, "HTTP 500", iso(T0));
    await store.settlements.recordFeedError(FUNDS, "HTTP 503", iso(T0 + 5_000));
    expect((await store.settlements.listFeeds())[0]).toMatchObject({ lastError: "HTTP 503", errorSince: iso(T0) });
    await store.settlements.importPage({
      feed: FUNDS,
      fromCursor: undefined,
      toCursor: "c1",
      entries: [],
      at: iso(T0 + 9_000),
      caughtUp: true,
    });
    const [feed] = await store.settlements.listFeeds();
    expect(feed?.lastError).toBeUndefined();
    expect(feed).toMatchObject({ cursor: "c1", caughtUpAt: iso(T0 + 9_000) });
  });

  it("matches an entry stored before its sale's attempt was known, once it is", async () => {
    await store.settlements.importPage({
      feed: FUNDS,
      fromCursor: undefined,
      toCursor: "c1",
      entries: [entry("e1", "capture", 4990, { reference: "ref-s2-a1" })],
      at: iso(T0),
      caughtUp: false,
    });
    expect(await store.settlements.matchUnmatched()).toBe(0);
    const { sale, attempt, event } = newSale("s2", { terminalId: "t2" });
    await store.sales.insertSale(sale, attempt, event);
    expect(await store.settlements.matchUnmatched()).toBe(1);
    expect((await store.settlements.listEntries({ saleIds: ["s2"] })).map((e) => e.id)).toEqual(["e1"]);
  });
});
