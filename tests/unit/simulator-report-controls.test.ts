/**
 * The Report API's test controls: PUT /_sim/report/config (validated, kept across a restart),
 * withheld references, the lag before an entry shows, and entries added by hand (types the importer
 * does not know, references it never sent, corrections). Without controls, none of it is there.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PROBLEM_TYPES } from "@/lib/simulator";
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

const DEFAULTS = { feeBps: 175, feeFixed: 0, pageSize: 1000, lagMs: 0, cutoff: "00:00", withholdReferences: [] };

describe("PUT /_sim/report/config", () => {
  it("has documented defaults, replaces the whole configuration and keeps it across a restart", async () => {
    const dbFile = path.join(mkdtempSync(path.join(tmpdir(), "sim-report-config-")), "sim.sqlite");
    const r = await setup({ dbFile });
    expect((await h.send("GET", "/_sim/report/config")).body).toEqual(DEFAULTS);
    const set = await r.configure({ feeBps: 250, pageSize: 50, withholdReferences: ["held-back-1"] });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ ...DEFAULTS, feeBps: 250, pageSize: 50, withholdReferences: ["held-back-1"] });
    await h.restart();
    expect((await h.send("GET", "/_sim/report/config")).body).toEqual(set.body);
    // PUT is the whole configuration: what is left out goes back to its default.
    expect((await r.configure({ lagMs: 10 })).body).toEqual({ ...DEFAULTS, lagMs: 10 });
  });

  it("refuses a bad configuration with a problem naming each field and why", async () => {
    const r = await setup();
    const refused = await r.configure({
      feeBps: -1,
      pageSize: 0,
      lagMs: 1.5,
      cutoff: "24:00",
      withholdReferences: "ref-1",
      colour: "blue",
    });
    expect(refused.status).toBe(400);
    expect(refused.contentType).toBe("application/problem+json");
    expect(refused.body).toMatchObject({ type: PROBLEM_TYPES.validation, status: 400 });
    const names = (refused.body.extraDetails as { name: string; reason: string }[]).map((detail) => detail.name);
    expect(names.sort()).toEqual(["colour", "cutoff", "feeBps", "lagMs", "pageSize", "withholdReferences"]);
    for (const detail of refused.body.extraDetails) expect(detail.reason.length).toBeGreaterThan(10);
    expect((await r.configure([])).status).toBe(400);
    expect((await h.send("PUT", "/_sim/report/config")).status).toBe(400);
    // Nothing of a refused configuration is kept.
    expect((await h.send("GET", "/_sim/report/config")).body).toEqual(DEFAULTS);
  });
});

describe("withholdReferences", () => {
  it("leaves the captures and refunds of those references out of the reports, and only those", async () => {
    const r = await setup();
    const { reference: held } = await h.authorizedPayment();
    await r.configure({ feeBps: 0, withholdReferences: [held] });
    expect((await h.capture(held, 10_000)).status).toBe(200);
    expect((await h.refund(held, 1_000)).status).toBe(200);
    const shown = await r.captured(3_000);
    const ledger = await r.ledgerId();
    const funds = (await r.drain(ledger, "funds")).items;
    expect(funds.map((entry) => [entry.reference, ...brief(entry)])).toEqual([[shown, "capture", 3_000, 0, 3_000]]);
    expect((await r.drain(ledger, "fees")).items).toEqual([]);
    // The payment itself went through: only the report lacks it.
    expect((await h.getPayment(held)).body.aggregate.capturedAmount.value).toBe(10_000);
  });
});

describe("lagMs", () => {
  it("holds an entry back from the feed until the lag has passed, and everything after it too", async () => {
    const r = await setup();
    await r.configure({ feeBps: 0, lagMs: 5_000 });
    const late = await r.captured(1_000);
    await r.configure({ feeBps: 0, lagMs: 0 });
    const prompt = await r.captured(2_000);
    const ledger = await r.ledgerId();
    const waiting = await r.feed(ledger, "funds");
    expect(waiting.body.items).toEqual([]);
    expect(waiting.body.tryLater).toBe(true);

    await h.send("POST", "/_sim/clock/advance", { body: { ms: 5_001 } });
    const arrived = await r.feed(ledger, "funds", waiting.body.cursor);
    expect((arrived.body.items as Entry[]).map((entry) => entry.reference)).toEqual([late, prompt]);
  });

  it("keeps a closed date's report 404 until its entries have arrived", async () => {
    const r = await setup();
    await r.configure({ lagMs: 3_600_000 });
    await r.captured();
    const ledger = await r.ledgerId();
    const day = await r.closeToday();
    // A minute past the cut-off, the date is closed but its entries, the payout too, are an hour late.
    expect((await r.date(ledger, "funds", day)).status).toBe(404);
    await h.send("POST", "/_sim/clock/advance", { body: { ms: 3_600_000 } });
    const report = await r.date(ledger, "funds", day);
    expect(report.status).toBe(200);
    expect((report.body.items as Entry[]).map((entry) => entry.entryType)).toEqual([
      "capture",
      "fees-retained",
      "payout-scheduled",
    ]);
  });
});

describe("POST /_sim/report/entries", () => {
  it("adds entries of any type, for any reference, chained into the account's balance", async () => {
    const r = await setup();
    await r.configure({ feeBps: 0 });
    const sale = await r.captured(10_000);
    const unknownType = await r.addEntry({ entryType: "interest-credit", amount: 37, reference: "never-sent-by-us" });
    expect(unknownType.status).toBe(201);
    const correction = await r.addEntry({ entryType: "correction", amount: -500, reference: null });
    const feeRefund = await r.addEntry({
      topic: "fees",
      entryType: "credit-note",
      amount: 120,
      pspReference: "manual-1",
      recipientHandle: null,
    });
    expect(feeRefund.status).toBe(201);
    const ledger = await r.ledgerId();
    expect(unknownType.body.ledgerId).toBe(ledger);
    expect(unknownType.body.topic).toBe("funds");

    const funds = (await r.drain(ledger, "funds")).items;
    expect(funds.map((entry) => [entry.reference, ...brief(entry)])).toEqual([
      [sale, "capture", 10_000, 0, 10_000],
      ["never-sent-by-us", "interest-credit", 37, 10_000, 10_037],
      [undefined, "correction", -500, 10_037, 9_537],
    ]);
    expect(funds[1]).toEqual(unknownType.body.entry);
    expect(funds[2]).not.toHaveProperty("reference");
    expect(funds[2]!.pspReference).toBe(correction.body.entry.pspReference);
    expect(funds[1]!.recipientHandle).toBe("api:123456");
    const fees = (await r.drain(ledger, "fees")).items;
    expect(fees).toEqual([feeRefund.body.entry]);
    expect(fees[0]).toMatchObject({ pspReference: "manual-1", amount: 120, balanceAfter: 120 });
    expect(fees[0]).not.toHaveProperty("recipientHandle");

    // An added entry counts towards the payout like any other.
    const day = await r.closeToday();
    const report = (await r.date(ledger, "funds", day)).body.items as Entry[];
    expect(report.at(-1)).toMatchObject({ entryType: "payout-scheduled", amount: -9_537, balanceAfter: 0 });
  });

  it("refuses a bad entry with a problem naming each field", async () => {
    const r = await setup();
    const refused = await r.addEntry({ topic: "payouts", amount: 1.5, currency: "SEK", msn: "12", extra: 1 });
    expect(refused.status).toBe(400);
    const names = (refused.body.extraDetails as { name: string }[]).map((detail) => detail.name).sort();
    expect(names).toEqual(["amount", "currency", "entryType", "extra", "msn", "topic"]);
    expect((await r.addEntry({ entryType: "has spaces", amount: 1 })).status).toBe(400);
  });
});

describe("without simulator controls", () => {
  it("has no /_sim/report routes, while the Report API itself answers", async () => {
    h = createHarness({ controls: false });
    const r = reportClient(h);
    for (const [method, path] of [
      ["GET", "/_sim/report/config"],
      ["PUT", "/_sim/report/config"],
      ["POST", "/_sim/report/entries"],
    ] as const) {
      const response = await h.send(method, path, method === "GET" ? {} : { body: { entryType: "x", amount: 1 } });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    const ledger = await r.ledgerId();
    expect((await r.feed(ledger, "funds")).status).toBe(200);
  });
});
