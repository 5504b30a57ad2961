/**
 * The simulator's Report API, booked from its own captures and refunds: the funds and fees entries
 * with their balances and fee, the feed's paging and its end, the date reports that stay 404 until
 * the cut-off, the payout at each close, and the ledgers per MSN and currency with their access.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PROBLEM_TYPES } from "@/lib/simulator";
import { closesAt } from "@/lib/simulator/report-calendar";
import { brief, type Entry, reportClient } from "../support/report-client";
import { createHarness, type Harness } from "../support/simulator-harness";

let h: Harness;
afterEach(async () => {
  await h.stop();
});

async function setup(options: Parameters<typeof createHarness>[0] = {}) {
  h = createHarness(options);
  const client = reportClient(h);
  await client.atNoon();
  return client;
}

describe("Report API entries from captures and refunds", () => {
  it("books a capture with its fee and a partial refund, with running balances per account", async () => {
    const r = await setup();
    const reference = await r.captured(10_000);
    expect((await h.refund(reference, 2_500)).status).toBe(200);
    const events = (await h.getEvents(reference)).body as { name: string; pspReference: string; timestamp: string }[];
    const captured = events.find((event) => event.name === "CAPTURED")!;
    const refunded = events.find((event) => event.name === "REFUNDED")!;

    const ledger = await r.ledgerId();
    const funds = (await r.drain(ledger, "funds")).items;
    // The default fee is 1.75 %: 175 øre of 100 kr.
    expect(funds.map(brief)).toEqual([
      ["capture", 10_000, 0, 10_000],
      ["fees-retained", -175, 10_000, 9_825],
      ["refund", -2_500, 9_825, 7_325],
    ]);
    expect(funds.map((entry) => entry.pspReference)).toEqual([
      captured.pspReference,
      captured.pspReference,
      refunded.pspReference,
    ]);
    for (const entry of funds) {
      expect(entry).toMatchObject({ reference, currency: "NOK", recipientHandle: "api:123456", ledgerDate: r.today() });
      expect(entry.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    }
    expect(Date.parse(funds[0]!.time)).toBe(Date.parse(captured.timestamp));
    expect(Date.parse(funds[2]!.time)).toBe(Date.parse(refunded.timestamp));

    const fees = (await r.drain(ledger, "fees")).items;
    expect(fees.map(brief)).toEqual([
      ["capture-fee", -175, 0, -175],
      ["fees-retained", 175, -175, 0],
    ]);
    expect(fees.every((entry) => entry.pspReference === captured.pspReference && entry.reference === reference)).toBe(
      true,
    );
  });

  it("charges the configured fee: basis points rounded half up plus the fixed part, and none when it is zero", async () => {
    const r = await setup();
    expect((await r.configure({ feeBps: 175, feeFixed: 100 })).status).toBe(200);
    await r.captured(1_234); // 21.595 → 22, plus 100
    expect((await r.configure({ feeBps: 0, feeFixed: 0 })).status).toBe(200);
    await r.captured(5_000);
    const funds = (await r.drain(await r.ledgerId(), "funds")).items;
    expect(funds.map(brief)).toEqual([
      ["capture", 1_234, 0, 1_234],
      ["fees-retained", -122, 1_234, 1_112],
      ["capture", 5_000, 1_112, 6_112],
    ]);
  });

  it("replays an idempotent capture without booking it twice, and books nothing for a refused one", async () => {
    const r = await setup();
    const { reference } = await h.authorizedPayment();
    expect((await h.capture(reference, 4_000, "same-key")).status).toBe(200);
    expect((await h.capture(reference, 4_000, "same-key")).status).toBe(200);
    expect((await h.capture(reference, 99_999)).status).toBe(400);
    const funds = (await r.drain(await r.ledgerId(), "funds")).items;
    expect(funds.map((entry) => entry.entryType)).toEqual(["capture", "fees-retained"]);
  });
});

describe("the feed", () => {
  it("pages by pageSize in a fixed order and ends with no items, the same cursor and tryLater", async () => {
    const r = await setup();
    expect((await r.configure({ pageSize: 3 })).status).toBe(200);
    for (let i = 0; i < 4; i++) await r.captured(10_000 + i * 100);
    const ledger = await r.ledgerId();

    const pages: Entry[][] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await r.feed(ledger, "funds", cursor);
      expect(page.status).toBe(200);
      if (page.body.items.length === 0) {
        expect(page.body.cursor).toBe(cursor);
        expect(page.body.tryLater).toBe(true);
        break;
      }
      expect(page.body.tryLater).toBe(false);
      expect(typeof page.body.cursor).toBe("string");
      pages.push(page.body.items);
      cursor = page.body.cursor;
    }
    expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
    const all = pages.flat();
    expect(all.map((entry) => entry.entryType)).toEqual(Array(4).fill(["capture", "fees-retained"]).flat());
    // Every balance follows from the one before: nothing skipped, nothing repeated.
    for (const [index, entry] of all.entries()) {
      expect(entry.balanceBefore).toBe(index === 0 ? 0 : all[index - 1]!.balanceAfter);
      expect(entry.balanceAfter).toBe(entry.balanceBefore + entry.amount);
    }

    // At the end, the same cursor again: still nothing, until something new is booked.
    const again = await r.feed(ledger, "funds", cursor);
    expect(again.body).toEqual({ items: [], cursor, tryLater: true });
    const next = await r.captured(700);
    const resumed = await r.feed(ledger, "funds", cursor);
    expect(resumed.body.items.map((entry: Entry) => [entry.entryType, entry.reference])).toEqual([
      ["capture", next],
      ["fees-retained", next],
    ]);
    // A page read twice is the same page.
    expect((await r.feed(ledger, "funds", cursor)).body).toEqual(resumed.body);
  });

  it("resumes from a cursor after a restart on the same database file", async () => {
    const dbFile = path.join(mkdtempSync(path.join(tmpdir(), "sim-report-")), "sim.sqlite");
    const r = await setup({ dbFile });
    await r.configure({ pageSize: 2, feeBps: 0 });
    for (let i = 0; i < 3; i++) await r.captured();
    const ledger = await r.ledgerId();
    const first = await r.feed(ledger, "funds");
    await h.restart();
    expect(await r.ledgerId()).toBe(ledger);
    const second = await r.feed(ledger, "funds", first.body.cursor);
    expect(second.body.items.map((entry: Entry) => entry.balanceAfter)).toEqual([30_000]);
    expect((await r.feed(ledger, "funds", second.body.cursor)).body.items).toEqual([]);
  });

  it("refuses a cursor that is not one it gave out, or one of another topic", async () => {
    const r = await setup();
    await r.captured();
    const ledger = await r.ledgerId();
    const funds = await r.feed(ledger, "funds");
    for (const cursor of ["not-a-cursor", funds.body.cursor.slice(0, 5)]) {
      const refused = await r.feed(ledger, "funds", cursor);
      expect(refused.status).toBe(400);
      expect(refused.contentType).toBe("application/problem+json");
      expect(refused.body.extraDetails[0].name).toBe("cursor");
    }
    expect((await r.feed(ledger, "fees", funds.body.cursor)).status).toBe(400);
    expect((await r.get(`/report/v2/ledgers/${ledger}/payouts/feed`)).status).toBe(404);
  });
});

describe("date reports and the cut-off", () => {
  it("are 404 until the date closes at midnight Oslo time, then list the date's entries and its payout", async () => {
    const r = await setup();
    await r.configure({ pageSize: 2 });
    const reference = await r.captured(20_000);
    await h.refund(reference, 5_000);
    const ledger = await r.ledgerId();
    const day = r.today();

    const early = await r.date(ledger, "funds", day);
    expect(early.status).toBe(404);
    expect(early.contentType).toBe("application/problem+json");
    expect(early.body).toMatchObject({ type: PROBLEM_TYPES.notFound, status: 404 });
    expect((await r.date(ledger, "fees", day)).status).toBe(404);

    await r.closeToday();
    const first = await r.date(ledger, "funds", day);
    expect(first.status).toBe(200);
    expect(first.body.hasMore).toBe(true);
    const second = await r.date(ledger, "funds", day, first.body.cursor);
    expect(second.body.hasMore).toBe(false);
    expect(second.body).not.toHaveProperty("cursor");
    const items = [...first.body.items, ...second.body.items] as Entry[];
    expect(items.map(brief)).toEqual([
      ["capture", 20_000, 0, 20_000],
      ["fees-retained", -350, 20_000, 19_650],
      ["refund", -5_000, 19_650, 14_650],
      ["payout-scheduled", -14_650, 14_650, 0],
    ]);
    const payout = items[3]!;
    expect(payout.ledgerDate).toBe(day);
    expect(Date.parse(payout.time)).toBe(closesAt(day, 0));
    expect(payout.reference).toMatch(/^\d+$/);
    expect(payout).not.toHaveProperty("recipientHandle");

    const fees = await r.date(ledger, "fees", day);
    expect((fees.body.items as Entry[]).map((entry) => entry.entryType)).toEqual(["capture-fee", "fees-retained"]);
    // The feed has the payout too, after the date's entries.
    expect((await r.drain(ledger, "funds")).items.at(-1)).toEqual(payout);
  });

  it("answers a closed date without entries with no items, and a malformed date with 400", async () => {
    const r = await setup();
    const ledger = await r.ledgerId();
    const quiet = await r.date(ledger, "funds", "2020-01-01");
    expect(quiet.status).toBe(200);
    expect(quiet.body).toEqual({ items: [], hasMore: false });
    expect((await r.date(ledger, "funds", "2099-01-01")).status).toBe(404);
    expect((await r.date(ledger, "funds", "2026-02-30")).status).toBe(400);
  });

  it("pays out a positive balance at each close and carries a negative one over without a payout", async () => {
    const r = await setup();
    await r.configure({ feeBps: 0 });
    const reference = await r.captured(10_000);
    const ledger = await r.ledgerId();
    const day1 = await r.closeToday();
    // A refund the next day, with nothing captured that day: the balance goes negative.
    await h.refund(reference, 2_000);
    const day2 = await r.closeToday();
    await r.captured(5_000);
    const day3 = await r.closeToday();

    const byDate = async (day: string) => ((await r.date(ledger, "funds", day)).body.items as Entry[]).map(brief);
    expect(await byDate(day1)).toEqual([
      ["capture", 10_000, 0, 10_000],
      ["payout-scheduled", -10_000, 10_000, 0],
    ]);
    expect(await byDate(day2)).toEqual([["refund", -2_000, 0, -2_000]]);
    expect(await byDate(day3)).toEqual([
      ["capture", 5_000, -2_000, 3_000],
      ["payout-scheduled", -3_000, 3_000, 0],
    ]);
    const payouts = (await r.drain(ledger, "funds")).items.filter((entry) => entry.entryType === "payout-scheduled");
    expect(Number(payouts[1]!.reference)).toBe(Number(payouts[0]!.reference) + 1);
  });

  it("closes at a configured cut-off instead of midnight", async () => {
    const r = await setup();
    await r.configure({ cutoff: "04:00" });
    await r.captured();
    const ledger = await r.ledgerId();
    const day = r.today(240);
    expect((await r.date(ledger, "funds", day)).status).toBe(404);
    await r.closeToday(240);
    const report = await r.date(ledger, "funds", day);
    expect(report.status).toBe(200);
    expect(Date.parse((report.body.items as Entry[]).at(-1)!.time)).toBe(closesAt(day, 240));
  });
});

describe("ledgers", () => {
  it("lists the keys' own ledgers: one per currency, settling for api:<msn>", async () => {
    const r = await setup();
    const empty = await r.get("/settlement/v1/ledgers");
    expect(empty.status).toBe(200);
    expect(empty.body.cursor).toBe("");
    expect(empty.body.items).toHaveLength(1);
    const nok = empty.body.items[0];
    expect(nok).toMatchObject({
      currency: "NOK",
      settlesForRecipientHandles: ["api:123456"],
      payoutBankAccount: { scheme: "BBAN:NO", id: expect.stringMatching(/^\d{11}$/) },
      owner: { scheme: "business:NO:ORG", id: expect.stringMatching(/^\d{9}$/) },
      salesUnits: [{ name: "Kassa demo shop", recipientHandle: "api:123456" }],
    });
    expect(nok.ledgerId).toMatch(/^\d+$/);

    await r.captured(5_000, "DKK");
    const both = await r.get("/settlement/v1/ledgers");
    expect(both.body.items.map((item: { currency: string }) => item.currency)).toEqual(["NOK", "DKK"]);
    expect(both.body.items[0]).toEqual(nok);
    const dkk = await r.ledgerId("DKK");
    expect((await r.drain(dkk, "funds")).items.map((entry) => entry.currency)).toEqual(["DKK", "DKK"]);
    expect((await r.drain(nok.ledgerId, "funds")).items).toEqual([]);

    const filtered = await r.get("/settlement/v1/ledgers?settlesForRecipientHandles=api:999999");
    expect(filtered.body.items).toEqual([]);
  });

  it("keeps another MSN's ledger apart: not listed, and 403 to these keys; an unknown ledger is 404", async () => {
    const r = await setup();
    const other = await r.addEntry({ msn: "654321", entryType: "capture", amount: 1_000, reference: "other-shop-1" });
    expect(other.status).toBe(201);
    const mine = await r.get("/settlement/v1/ledgers");
    expect(mine.body.items.map((item: { ledgerId: string }) => item.ledgerId)).not.toContain(other.body.ledgerId);
    expect(
      mine.body.items.every(
        (item: { settlesForRecipientHandles: string[] }) => item.settlesForRecipientHandles[0] === "api:123456",
      ),
    ).toBe(true);
    const refused = await r.feed(other.body.ledgerId, "funds");
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe(PROBLEM_TYPES.forbidden);
    expect((await r.date(other.body.ledgerId, "funds", "2020-01-01")).status).toBe(403);
    expect((await r.feed("999999999", "funds")).status).toBe(404);
  });

  it("authenticates like the other APIs; the Merchant-Serial-Number header is optional but checked", async () => {
    const r = await setup();
    const headers = await h.authHeaders();
    const { "Merchant-Serial-Number": _msn, ...withoutMsn } = headers;
    expect((await h.send("GET", "/settlement/v1/ledgers", { headers: withoutMsn })).status).toBe(200);
    const wrongMsn = await h.send("GET", "/settlement/v1/ledgers", {
      headers: { ...headers, "Merchant-Serial-Number": "999999" },
    });
    expect(wrongMsn.status).toBe(403);
    const { Authorization: _token, ...withoutToken } = headers;
    expect((await h.send("GET", "/settlement/v1/ledgers", { headers: withoutToken })).status).toBe(401);
    const { "Ocp-Apim-Subscription-Key": _key, ...withoutKey } = headers;
    const noKey = await h.send("GET", `/report/v2/ledgers/${await r.ledgerId()}/funds/feed`, { headers: withoutKey });
    expect(noKey.status).toBe(401);
    expect(noKey.body).toMatchObject({ statusCode: 401 });
  });
});
