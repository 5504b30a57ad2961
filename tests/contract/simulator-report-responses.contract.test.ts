/**
 * The simulator's Report API answers, validated against report-v2.yaml (../shared/vipps/spec) with
 * today's overlay (tests/support/openapi-contract.ts: open entry types, the ledger's currency and
 * sales units). A sibling of simulator-responses.contract.test.ts, which holds the other APIs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenApiContract, SPECS_MISSING_MESSAGE, specsAvailable } from "../support/openapi-contract";
import { reportClient } from "../support/report-client";
import { createHarness, type Harness, type SimResponse } from "../support/simulator-harness";

if (!specsAvailable) console.warn(SPECS_MISSING_MESSAGE);

describe.skipIf(!specsAvailable)("simulator Report API responses conform to report-v2.yaml", () => {
  let contract: OpenApiContract;
  let h: Harness;
  let r: ReturnType<typeof reportClient>;
  const validated: string[] = [];

  beforeAll(async () => {
    contract = new OpenApiContract();
    h = createHarness();
    r = reportClient(h);
    await r.atNoon();
  });
  afterAll(async () => {
    await h.stop();
  });

  function check(path: string, response: SimResponse): void {
    const errors = contract.validateResponse({ method: "GET", path, status: response.status, body: response.body });
    expect(errors, `GET ${path} → ${response.status}`).toEqual([]);
    validated.push(`GET ${template(path)} ${response.status}`);
  }

  const template = (path: string) =>
    path
      .split("?")[0]!
      .replace(/\/ledgers\/[^/]+\/(funds|fees)\//, "/ledgers/{ledgerId}/{topic}/")
      .replace(/\/dates\/[^/]+$/, "/dates/{ledgerDate}");

  it("ledgers", async () => {
    check("/settlement/v1/ledgers", await r.get("/settlement/v1/ledgers"));
    await r.captured(5_000, "DKK");
    const both = await r.get("/settlement/v1/ledgers");
    expect(both.body.items).toHaveLength(2);
    check("/settlement/v1/ledgers", both);
    // Without today's overlay the 2023 schema still accepts the ledger: the new fields are additions.
    expect(
      new OpenApiContract({ todaysApi: false }).validateResponse({
        method: "GET",
        path: "/settlement/v1/ledgers",
        status: 200,
        body: both.body,
      }),
    ).toEqual([]);
  });

  it("feeds and date reports of both topics, with every kind of entry", async () => {
    const reference = await r.captured(10_000);
    await h.refund(reference, 1_000);
    await r.addEntry({ entryType: "correction", amount: -50, reference: null });
    await r.addEntry({ entryType: "brand-new-type", amount: 10, reference: "unknown-ref-1" });
    const ledger = await r.ledgerId();
    for (const topic of ["funds", "fees"] as const) {
      const first = `/report/v2/ledgers/${ledger}/${topic}/feed`;
      const page = await r.get(first);
      check(first, page);
      const end = `${first}?cursor=${encodeURIComponent(page.body.cursor)}`;
      const atEnd = await r.get(end);
      expect(atEnd.body.tryLater).toBe(true);
      check(end, atEnd);
    }
    const day = await r.closeToday();
    for (const topic of ["funds", "fees"] as const) {
      const path = `/report/v2/ledgers/${ledger}/${topic}/dates/${day}`;
      const report = await r.get(path);
      expect(report.status).toBe(200);
      check(path, report);
    }
    const funds = await r.get(`/report/v2/ledgers/${ledger}/funds/dates/${day}`);
    const types = funds.body.items.map((entry: { entryType: string }) => entry.entryType);
    expect(types).toEqual(["capture", "fees-retained", "refund", "correction", "brand-new-type", "payout-scheduled"]);
    // The 2023 enum knows neither payout-scheduled nor a type Vipps adds later; today's overlay opens it.
    const strict = new OpenApiContract({ todaysApi: false }).validateResponse({
      method: "GET",
      path: `/report/v2/ledgers/${ledger}/funds/dates/${day}`,
      status: 200,
      body: funds.body,
    });
    expect(strict.join("\n")).toContain("allowed values");
  });

  it("a date report not available yet is a 404 problem; the 2023 file declares that 404 without a body", async () => {
    const ledger = await r.ledgerId();
    const path = `/report/v2/ledgers/${ledger}/funds/dates/2099-12-31`;
    const early = await r.get(path);
    expect(early.status).toBe(404);
    expect(early.contentType).toBe("application/problem+json");
    expect(contract.validateResponse({ method: "GET", path, status: 404, body: early.body })).toEqual([
      "status 404 declares no body but one was sent",
    ]);
    expect(contract.validateSchema("report", "Problem", early.body)).toEqual([]);
    validated.push("GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate} 404");
  });

  it("errors are problems (the default response) or APIM's 401", async () => {
    const ledger = await r.ledgerId();
    const badCursor = `/report/v2/ledgers/${ledger}/funds/feed?cursor=nonsense`;
    const refused = await r.get(badCursor);
    expect(refused.status).toBe(400);
    check(badCursor, refused);
    const other = await r.addEntry({ msn: "654321", entryType: "capture", amount: 1 });
    const forbiddenPath = `/report/v2/ledgers/${other.body.ledgerId}/funds/feed`;
    const forbidden = await r.get(forbiddenPath);
    expect(forbidden.status).toBe(403);
    check(forbiddenPath, forbidden);
    const unauthorized = await h.send("GET", "/settlement/v1/ledgers");
    expect(unauthorized.status).toBe(401);
    check("/settlement/v1/ledgers", unauthorized);
  });

  it("covered every Report API operation", () => {
    for (const expected of [
      "GET /settlement/v1/ledgers 200",
      "GET /settlement/v1/ledgers 401",
      "GET /report/v2/ledgers/{ledgerId}/{topic}/feed 200",
      "GET /report/v2/ledgers/{ledgerId}/{topic}/feed 400",
      "GET /report/v2/ledgers/{ledgerId}/{topic}/feed 403",
      "GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate} 200",
      "GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate} 404",
    ]) {
      expect(new Set(validated), expected).toContain(expected);
    }
  });
});
