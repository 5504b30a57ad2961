/**
 * The day's reconciliation and the export, over a ledger the importer read from a Report API in
 * the test process: two ledger dates, one sale partly refunded on the second, a capture the ledger
 * never got, an entry for a reference no sale has, and an entry of a type no one knows yet.
 */
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import type { Clock } from "@/lib/clock";
import type { Principal } from "@/lib/entities/principal";
import type { Sale } from "@/lib/entities/sale";
import { SettlementImporter } from "@/lib/settlements/settlement-importer";
import { SettlementService } from "@/lib/settlements/settlement-service";
import { AccessTokenCache } from "@/lib/vipps/access-token";
import { createReportClient } from "@/lib/vipps/report-client";
import { FAKE_BASE, FAKE_CREDENTIALS, FAKE_MSN, FakeReportApi } from "../support/fake-report-api";
import { captureLog } from "../support/log-capture";
import { memoryStore, type TestStore } from "../support/memory-store";
import { newSale, terminal } from "../support/store-conformance";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const { log } = captureLog("error");
/** The POS's key for every store: it sees every ledger. */
const EVERY_STORE: Principal = { type: "api-key", id: "key-1", name: "POS", scopes: [], storeIds: null };
const OSLO = "Europe/Oslo";
// Two days after the second ledger date: every capture is over 24 hours old.
const NOW = Date.parse("2026-05-04T12:00:00Z");
const clock: Clock = { now: () => NOW };
const fee = (amount: number) => Math.floor((amount * 175 + 5_000) / 10_000);

let api: FakeReportApi;
let store: TestStore;
let service: SettlementService;

/** A captured sale with the given lines (gross, VAT rate), as the till stores it. */
async function capturedSale(id: string, lines: [number, number][], at: string): Promise<Sale> {
  const amount = lines.reduce((sum, [gross]) => sum + gross, 0);
  const { sale, attempt, event } = newSale(id, { amount, createdAt: at });
  sale.lines = lines.map(([gross, rate], index) => ({
    id: `l${index}`,
    name: `Line ${index}`,
    quantity: 1,
    unitPrice: gross,
    taxRate: rate,
    totalAmount: gross,
    taxAmount: Math.round((gross * rate) / (10_000 + rate)),
  }));
  await store.repositories.sales.insertSale(sale, attempt, event);
  await store.repositories.sales.transitionSale(
    id,
    ["pending"],
    { state: "captured", capturedAmount: amount, endedAt: at },
    { type: "payment.captured", source: "webhook", detail: { capturedAmount: amount, refundedAmount: 0 } },
  );
  return (await store.repositories.sales.getSale(id))!;
}

function ledgerCapture(reference: string, amount: number, ledgerDate: string, time: string) {
  const capture = api.add("funds", { entryType: "capture", amount, reference, ledgerDate, time });
  const shared = { pspReference: capture.pspReference, reference, ledgerDate, time };
  api.add("funds", { entryType: "fees-retained", amount: -fee(amount), ...shared });
  api.add("fees", { entryType: "capture-fee", amount: -fee(amount), ...shared });
  api.add("fees", { entryType: "fees-retained", amount: fee(amount), ...shared });
}

/** A payout of the funds balance at the cut-off (midnight in Oslo), as Vipps closes a ledger date. */
function payout(ledgerDate: string, time: string) {
  const balance = api.entries.funds.at(-1)!.balanceAfter;
  api.add("funds", { entryType: "payout-scheduled", amount: -balance, ledgerDate, time, reference: "1" });
  return balance;
}

beforeEach(async () => {
  api = new FakeReportApi();
  server.use(...api.handlers());
  store = await memoryStore();
  await store.repositories.counters.saveTerminal(terminal("t1"));
  service = new SettlementService({
    settlements: store.repositories.settlements,
    sales: store.repositories.sales,
    stores: store.repositories.stores,
    clock,
    timeZone: async () => OSLO,
  });
});

const ref = (id: string) => `ref-${id}-a1`;

async function importLedger() {
  const report = createReportClient({
    baseUrl: FAKE_BASE,
    credentials: FAKE_CREDENTIALS,
    tokenCache: new AccessTokenCache(),
    retry: { attempts: 1 },
  });
  await new SettlementImporter({
    msn: FAKE_MSN,
    report,
    settlements: store.repositories.settlements,
    clock,
    log,
  }).run();
}

/** Minimal CSV reading for this export (no commas or quotes inside its cells here). */
function readCsv(body: string): Record<string, string>[] {
  const [header, ...rows] = body
    .trimEnd()
    .split("\r\n")
    .map((row) => row.split(",").map((cell) => cell.replace(/^"|"$/g, "")));
  return rows.map((row) => Object.fromEntries(header!.map((name, index) => [name, row[index] ?? ""])));
}
const minor = (text: string) => Math.round(Number(text) * 100);

it("each ledger date's captured, refunded, fees, net and payout are the ledger's, in the API and in the CSV", async () => {
  const a = await capturedSale(
    "a",
    [
      [8_000, 2_500],
      [2_000, 1_500],
    ],
    "2026-05-01T08:00:00.000Z",
  );
  const b = await capturedSale("b", [[5_000, 2_500]], "2026-05-01T09:00:00.000Z");
  // The ledger never got d's capture (withheld).
  const d = await capturedSale("d", [[1_234, 2_500]], "2026-05-01T10:00:00.000Z");
  const c = await capturedSale("c", [[3_000, 1_500]], "2026-05-02T08:00:00.000Z");
  await store.repositories.sales.transitionSale(
    "a",
    ["captured"],
    { refundedAmount: 2_000 },
    { type: "payment.refunded", source: "api", detail: { amount: 2_000, refundedAmount: 2_000 } },
  );

  ledgerCapture(ref("a"), 10_000, "2026-05-01", "2026-05-01T08:00:01.000000Z");
  ledgerCapture(ref("b"), 5_000, "2026-05-01", "2026-05-01T09:00:01.000000Z");
  const payout1 = payout("2026-05-01", "2026-05-01T22:00:00.000000Z");
  ledgerCapture(ref("c"), 3_000, "2026-05-02", "2026-05-02T08:00:01.000000Z");
  api.add("funds", {
    entryType: "refund",
    amount: -2_000,
    reference: ref("a"),
    ledgerDate: "2026-05-02",
    time: "2026-05-02T09:00:00.000000Z",
  });
  api.add("funds", {
    entryType: "capture",
    amount: 700,
    reference: "nobody-knows",
    ledgerDate: "2026-05-02",
    time: "2026-05-02T10:00:00.000000Z",
  });
  api.add("funds", {
    entryType: "loyalty-bonus",
    amount: 55,
    ledgerDate: "2026-05-02",
    time: "2026-05-02T11:00:00.000000Z",
  });
  const payout2 = payout("2026-05-02", "2026-05-02T22:00:00.000000Z");
  await importLedger();

  const { items } = await service.list({ from: "2026-05-01", to: "2026-05-03" }, EVERY_STORE);
  expect(items.map((day) => day.ledgerDate)).toEqual(["2026-05-02", "2026-05-01"]);
  const [day2, day1] = items as [(typeof items)[0], (typeof items)[0]];
  expect(day1).toMatchObject({
    currency: "NOK",
    captured: 15_000,
    refunded: 0,
    fees: fee(10_000) + fee(5_000),
    other: 0,
    net: 15_000 - fee(10_000) - fee(5_000),
    payout: { amount: payout1, date: "2026-05-02" },
    status: "differences",
  });
  expect(day1.net).toBe(payout1);
  expect(day1.differences).toEqual([expect.objectContaining({ kind: "missing-entry", saleId: "d", amount: 1_234 })]);
  expect(day2).toMatchObject({
    captured: 3_000 + 700,
    refunded: 2_000,
    fees: fee(3_000),
    other: 55,
    net: 3_700 - 2_000 - fee(3_000) + 55,
    payout: { amount: payout2, date: "2026-05-03" },
    status: "differences",
  });
  expect(day2.net).toBe(payout2);
  expect(day2.differences).toEqual([
    expect.objectContaining({ kind: "unmatched-entry", reference: "nobody-knows", entryType: "capture", amount: 700 }),
  ]);

  // The sale's own settlement, as its view shows it.
  expect(await service.saleSettlement("a")).toEqual({
    ledgerDate: "2026-05-01",
    fee: fee(10_000),
    net: 10_000 - fee(10_000) - 2_000,
    payoutDate: "2026-05-02",
  });
  expect(await service.saleSettlement("d")).toBeUndefined();

  const detail = await service.date("2026-05-01", EVERY_STORE);
  expect(detail.sales.map((sale) => [sale.saleId, sale.captured, sale.fee]).sort()).toEqual([
    ["a", 10_000, fee(10_000)],
    ["b", 5_000, fee(5_000)],
  ]);

  const rows = readCsv((await service.exportCsv({ from: "2026-05-01", to: "2026-05-02" }, EVERY_STORE)).body);
  for (const day of [day1, day2]) {
    const ofDay = rows.filter((row) => row.ledger_date === day.ledgerDate);
    const total = (type: string) =>
      ofDay.filter((row) => row.row_type === type).reduce((sum, row) => sum + minor(row.amount!), 0);
    // Captures: the matched sales' lines, and the ledger's captures of no sale.
    expect(total("sale_line") + total("capture")).toBe(day.captured);
    expect(total("refund")).toBe(0 - day.refunded);
    expect(total("fee")).toBe(0 - day.fees);
    expect(total("other")).toBe(day.other);
    expect(total("payout")).toBe(0 - day.payout!.amount);
    expect(ofDay.reduce((sum, row) => sum + minor(row.amount!), 0)).toBe(day.net - day.payout!.amount);
    const feeShares = ofDay.reduce((sum, row) => sum + (row.fee_share ? minor(row.fee_share) : 0), 0);
    expect(feeShares).toBe(day.fees);
  }
  // The VAT of the export's sale lines is the sales' VAT, the unsettled sale's included.
  const lines = rows.filter((row) => row.row_type === "sale_line");
  const salesVat = [a, b, c, d].flatMap((sale) => sale.lines).reduce((sum, line) => sum + line.taxAmount, 0);
  expect(lines.reduce((sum, row) => sum + minor(row.vat!), 0)).toBe(salesVat);
  expect(lines.find((row) => row.sale_id === "d")).toMatchObject({ ledger_date: "", payout_date: "" });
  expect(lines.filter((row) => row.sale_id === "a").map((row) => [row.vat_rate_percent, row.base, row.vat])).toEqual([
    ["25", "64.00", "16.00"],
    ["15", "17.39", "2.61"],
  ]);
});

it("a day is open until it is over and imported, and settled when it is and nothing differs", async () => {
  await capturedSale("a", [[10_000, 2_500]], "2026-05-03T08:00:00.000Z");
  ledgerCapture(ref("a"), 10_000, "2026-05-03", "2026-05-03T08:00:01.000000Z");
  await importLedger();
  expect((await service.list({ from: "2026-05-03", to: "2026-05-04" }, EVERY_STORE)).items[0]).toMatchObject({
    status: "settled",
    payout: null,
  });
  const late = new SettlementService({
    settlements: store.repositories.settlements,
    sales: store.repositories.sales,
    stores: store.repositories.stores,
    clock: { now: () => Date.parse("2026-05-03T12:00:00Z") },
    timeZone: async () => OSLO,
  });
  expect((await late.list({ from: "2026-05-03", to: "2026-05-03" }, EVERY_STORE)).items[0]?.status).toBe("open");
  await expect(service.list({ from: "2026-05-04", to: "2026-05-01" }, EVERY_STORE)).rejects.toMatchObject({
    code: "validation",
  });
});
