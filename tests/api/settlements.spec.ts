/**
 * Settlement end to end against the embedded simulator's Report API: sales on two ledger dates
 * (the simulator's clock moved a day between them), one partly refunded, are each date's figures
 * to the øre in the API and the CSV; a capture the simulator withholds and an entry for a reference
 * no sale has are differences; an entry of an unknown type is kept. (Pages of 3 with the app
 * killed mid-import: settlements-restart.spec.ts, on an app whose clock was never moved.)
 */
import type { AppHandle } from "../support/app-server";
import { expect, test } from "../support/fixtures";
import { appSimulatorFeed } from "../support/report-client";
import { createSale, simAction, waitForSaleState } from "./helpers";

test.use({ appOptions: { env: { KASSA_SETTLEMENT_POLL_SECONDS: "1" } } });

const DAY_MS = 24 * 60 * 60 * 1000;

interface Day {
  ledgerDate: string;
  currency: string;
  captured: number;
  refunded: number;
  fees: number;
  other: number;
  net: number;
  payout: { amount: number; date: string } | null;
  status: string;
  differences: { kind: string; saleId?: string; reference?: string; entryType?: string; amount: number }[];
}

async function reportConfig(app: AppHandle, config: Record<string, unknown>) {
  const response = await app.sim("/report/config", { method: "PUT", json: config });
  expect(response.status, await response.clone().text()).toBe(200);
}

async function advance(app: AppHandle, ms: number) {
  const response = await app.sim("/clock/advance", { method: "POST", json: { ms } });
  expect(response.status, await response.clone().text()).toBe(200);
}

async function paidSale(app: AppHandle, lines: { unitPrice: number; taxRate: number; quantity?: number }[]) {
  const sale = await createSale(app, {
    terminalId: "pos-1",
    currency: "NOK",
    lines: lines.map((line, index) => ({ name: `Item ${index + 1}`, quantity: 1, ...line })),
  });
  await simAction(app, sale.reference, "approve");
  return waitForSaleState(app, sale.id, "captured");
}

/** The app's settlement once its import has read the whole simulator ledger (funds entries all stored). */
async function settledDays(app: AppHandle, from: string, to: string, expectFundsEntries: number): Promise<Day[]> {
  let days: Day[] = [];
  await expect
    .poll(
      async () => {
        const response = await app.api(`/api/v1/settlements?from=${from}&to=${to}`);
        days = ((await response.json()) as { items: Day[] }).items;
        const csv = await (await app.api(`/api/v1/settlements/export.csv?from=${from}&to=${to}&format=csv`)).text();
        // Every funds entry is a CSV row of its own, but a matched capture, which is its sale's lines.
        return csv.split("\r\n").filter((row) => /^"(fee|refund|payout|other|capture)"/.test(row)).length;
      },
      { timeout: 30_000 },
    )
    .toBe(expectFundsEntries);
  return days;
}

function readCsv(body: string): Record<string, string>[] {
  const [header, ...rows] = body
    .trimEnd()
    .split("\r\n")
    .map((row) => row.split(",").map((cell) => cell.replace(/^"|"$/g, "")));
  return rows.map((row) => Object.fromEntries(header!.map((name, index) => [name, row[index] ?? ""])));
}
const minor = (text: string) => Math.round(Number(text) * 100);

test("two ledger dates, one sale partly refunded: each date's figures are the simulator's ledger, in the API and the CSV", async ({
  app,
}) => {
  await reportConfig(app, { feeBps: 175, feeFixed: 100 });
  const first = await paidSale(app, [
    { unitPrice: 42_924, taxRate: 2500 },
    { unitPrice: 3_900, taxRate: 1500, quantity: 2 },
  ]);
  const second = await paidSale(app, [{ unitPrice: 12_345, taxRate: 2500 }]);
  // A third sale whose capture the simulator never reports.
  const pending = await createSale(app, {
    terminalId: "pos-1",
    currency: "NOK",
    amount: 5_000,
    description: "Withheld",
  });
  await reportConfig(app, { feeBps: 175, feeFixed: 100, withholdReferences: [pending.reference] });
  await simAction(app, pending.reference, "approve");
  await waitForSaleState(app, pending.id, "captured");

  await advance(app, DAY_MS);
  const third = await paidSale(app, [{ unitPrice: 9_990, taxRate: 1500 }]);
  const refund = await app.api(`/api/v1/sales/${first.id}/refund`, { method: "POST", json: { amount: 7_800 } });
  expect(refund.status, await refund.clone().text()).toBe(200);
  const stranger = await app.sim("/report/entries", {
    method: "POST",
    json: { entryType: "capture", amount: 4_200, reference: "never-sold-here" },
  });
  expect(stranger.status, await stranger.clone().text()).toBe(201);
  const unknown = await app.sim("/report/entries", {
    method: "POST",
    json: { entryType: "interchange-rebate", amount: 37 },
  });
  expect(unknown.status).toBe(201);
  // A day and more later: both dates are closed and paid out, and the withheld capture is over 24 hours old.
  await advance(app, DAY_MS + 60_000);

  const ledger = await appSimulatorFeed(app);
  const dates = [...new Set(ledger.map((entry) => entry.ledgerDate))].sort();
  expect(dates).toHaveLength(2);
  const days = await settledDays(app, dates[0]!, dates[1]!, ledger.length - 3);

  for (const date of dates) {
    const ofDate = ledger.filter((entry) => entry.ledgerDate === date);
    const sum = (type: string) =>
      ofDate.filter((entry) => entry.entryType === type).reduce((total, entry) => total + entry.amount, 0);
    const day = days.find((d) => d.ledgerDate === date)!;
    expect(day).toMatchObject({
      currency: "NOK",
      captured: sum("capture"),
      refunded: 0 - sum("refund"),
      fees: 0 - sum("fees-retained"),
      payout: { amount: 0 - sum("payout-scheduled") },
      status: "differences",
    });
    expect(day.net).toBe(0 - sum("payout-scheduled"));
  }
  const [day1, day2] = dates.map((date) => days.find((d) => d.ledgerDate === date)!) as [Day, Day];
  expect(day1.captured).toBe(first.amount.value + second.amount.value);
  expect(day1.differences).toEqual([expect.objectContaining({ kind: "missing-entry", saleId: pending.id })]);
  expect(day2).toMatchObject({ refunded: 7_800, other: 37 });
  expect(day2.differences).toEqual([
    expect.objectContaining({ kind: "unmatched-entry", reference: "never-sold-here", amount: 4_200 }),
  ]);

  // A captured sale's view carries its settlement.
  const view = await (await app.api(`/api/v1/sales/${first.id}`)).json();
  const fee = Math.floor((first.amount.value * 175 + 5_000) / 10_000) + 100;
  expect(view.settlement).toEqual({
    ledgerDate: day1.ledgerDate,
    fee,
    net: first.amount.value - fee - 7_800,
    payoutDate: day1.payout!.date,
  });
  expect((await (await app.api(`/api/v1/sales/${pending.id}`)).json()).settlement).toBeUndefined();

  const detail = await (await app.api(`/api/v1/settlements/${day1.ledgerDate}`)).json();
  expect(detail.sales.map((sale: { saleId: string }) => sale.saleId).sort()).toEqual([first.id, second.id].sort());

  const csv = await app.api(`/api/v1/settlements/export.csv?from=${dates[0]}&to=${dates[1]}&format=csv`);
  expect(csv.headers.get("content-type")).toContain("text/csv");
  const rows = readCsv(await csv.text());
  for (const day of [day1, day2]) {
    const ofDay = rows.filter((row) => row.ledger_date === day.ledgerDate);
    const total = (type: string) =>
      ofDay.filter((row) => row.row_type === type).reduce((sum, row) => sum + minor(row.amount!), 0);
    expect(total("sale_line") + total("capture")).toBe(day.captured);
    expect(total("refund")).toBe(0 - day.refunded);
    expect(total("fee")).toBe(0 - day.fees);
    expect(total("payout")).toBe(0 - day.payout!.amount);
    expect(ofDay.reduce((sum, row) => sum + minor(row.amount!), 0)).toBe(0);
  }
  // The CSV's VAT is the sales' VAT: all four, the one the ledger lacks included (on a row without a ledger date).
  let salesVat = 0;
  for (const sale of [first, second, pending, third]) {
    const { lines } = (await (await app.api(`/api/v1/sales/${sale.id}`)).json()) as { lines: { taxAmount: number }[] };
    salesVat += lines.reduce((sum, line) => sum + line.taxAmount, 0);
  }
  const csvVat = rows
    .filter((row) => row.row_type === "sale_line" && row.vat !== "")
    .reduce((sum, row) => sum + minor(row.vat!), 0);
  expect(csvVat).toBe(salesVat);

  const health = await (await fetch(`${app.url}/api/health`)).json();
  expect(health.settlement).toMatchObject({ lastImportAt: expect.any(String) });
  expect(health.settlement.error).toBeUndefined();
  const goLive = await (await app.api("/api/v1/go-live")).json();
  expect(goLive.items.find((item: { id: string }) => item.id === "settlement-import")).toMatchObject({ ok: true });
});
