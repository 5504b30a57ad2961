import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultCsvFormat, SaleReports } from "@/lib/reports/sale-reports";
import { FrozenClock } from "../support/frozen-clock";
import { memoryStore, type TestStore } from "../support/memory-store";
import { buildSaleDomain, COUNTER_1 } from "../support/sale-domain";
import { type ScriptedVipps, scriptedVipps } from "../support/scripted-vipps";

// 23:30 UTC on 6 December is 00:30 on the 7th in Oslo: the shop's day, not UTC's.
const T0 = Date.parse("2026-12-06T23:30:00.000Z");
let store: TestStore;
let vipps: ScriptedVipps;
let clock: FrozenClock;
let reports: SaleReports;

beforeEach(async () => {
  store = await memoryStore();
  await store.saveTerminal(COUNTER_1);
  vipps = scriptedVipps();
  clock = new FrozenClock(T0);
  reports = new SaleReports({ sales: store, clock, timeZone: async () => "Europe/Oslo" });
});
afterEach(async () => {
  await store.close();
});

/** A paid sale of coffee (15 % VAT) and ear buds (25 %), refunded by `refund` øre. */
async function paidSale(refund: number) {
  const domain = buildSaleDomain({ store, gateway: vipps.gateway, clock });
  const { sale } = await domain.commands.create(
    {
      terminalId: "pos-1",
      currency: "NOK",
      lines: [
        { name: "Kaffe", quantity: 2, unitPrice: 3450, taxRate: 1500 },
        { name: "Ørepropper", quantity: 1, unitPrice: 49900, taxRate: 2500 },
      ],
    },
    { source: "cashier" },
  );
  const attempt = await store.getAttempt(sale.currentAttemptId);
  vipps.approve(attempt!.reference);
  await domain.transitions.applySnapshot(attempt!, await vipps.gateway.getPayment(attempt!.reference), "poll");
  await domain.settled();
  if ((await store.getSale(sale.id))?.state !== "captured") await domain.commands.capture(sale.id, "cashier");
  if (refund > 0) await domain.commands.refund(sale.id, refund, "cashier");
  return (await store.getSale(sale.id))!;
}

const rows = (body: string, separator: string) =>
  body
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split("\r\n")
    .map((line) => line.split(separator).map((cell) => cell.replace(/^"|"$/g, "")));

describe("the sales export", () => {
  it("has one row per line with VAT rate, base and tax, the sale's net on its first line, on the shop's clock", async () => {
    const sale = await paidSale(6900);
    const { body, filename } = await reports.exportCsv({}, "csv");
    expect(filename).toBe("kassa-sales-2026-12-07.csv");
    const [header, first, second] = rows(body, ",");
    const cell = (row: string[] | undefined, name: string) => row?.[header!.indexOf(name)];
    expect(body.startsWith("\uFEFF")).toBe(false);
    expect(cell(first, "created_at")).toBe("2026-12-07 00:30:00");
    expect(cell(first, "utc_offset")).toBe("UTC+01:00");
    expect(cell(first, "sale_id")).toBe(sale.id);
    expect([cell(first, "item"), cell(first, "vat_rate_percent"), cell(first, "line_total")]).toEqual([
      "Kaffe",
      "15",
      "69.00",
    ]);
    expect([cell(first, "line_base"), cell(first, "line_vat")]).toEqual(["60.00", "9.00"]);
    expect([cell(second, "item"), cell(second, "vat_rate_percent")]).toEqual(["Ørepropper", "25"]);
    expect([cell(second, "line_base"), cell(second, "line_vat")]).toEqual(["399.20", "99.80"]);
    expect([cell(first, "amount"), cell(first, "captured"), cell(first, "refunded"), cell(first, "net")]).toEqual([
      "568.00",
      "568.00",
      "69.00",
      "499.00",
    ]);
    // Only the first line carries the sale's amounts, so a column sums to the day.
    expect([cell(second, "amount"), cell(second, "net")]).toEqual(["", ""]);
    const lineTotals = [first, second].map((row) => Number(cell(row, "line_total")));
    expect(lineTotals.reduce((a, b) => a + b, 0)).toBeCloseTo(568, 2);
  });

  it('"excel" is ";"-separated with decimal commas and a byte order mark; text keeps its own commas and points', async () => {
    await paidSale(0);
    const { body } = await reports.exportCsv({}, "excel");
    expect(body.startsWith("\uFEFF")).toBe(true);
    const [header, first] = rows(body, ";");
    const cell = (name: string) => first?.[header!.indexOf(name)];
    expect(header).toContain("vat_rate_percent");
    expect(cell("line_total")).toBe("69,00");
    expect(cell("net")).toBe("568,00");
    expect(cell("created_at")).toBe("2026-12-07 00:30:00");
  });

  it("summer time shows its own offset, and Nordic admin languages default to the Excel layout", async () => {
    clock.ms = Date.parse("2026-07-01T10:00:00.000Z");
    await paidSale(0);
    const [header, first] = rows((await reports.exportCsv({}, "csv")).body, ",");
    expect(first?.[header!.indexOf("created_at")]).toBe("2026-07-01 12:00:00");
    expect(first?.[header!.indexOf("utc_offset")]).toBe("UTC+02:00");
    expect(["nb", "da", "sv", "fi"].map((l) => defaultCsvFormat(l as "nb"))).toEqual([
      "excel",
      "excel",
      "excel",
      "excel",
    ]);
    expect(defaultCsvFormat("en")).toBe("csv");
  });
});
