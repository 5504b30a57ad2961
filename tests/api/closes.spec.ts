/**
 * The day close over the POS API against the embedded simulator: the X report (preview), the Z
 * report (close) with its numbering, a sale pending at one close landing in the next, the list,
 * one close and its CSV, closes at once, the automatic close's time; and the POS's own reference
 * on a sale (view, CSV export, Vipps' receipt) with the receipt page it links to. Every answer is
 * checked against the OpenAPI document by app.api().
 */
import { expect, test } from "../support/fixtures";
import { createSale, simAction, simPayment, waitForSaleState } from "./helpers";

interface Close {
  id: string;
  terminalId: string;
  number: number;
  openedAt: string;
  closedAt: string;
  currencies: {
    currency: string;
    captured: { count: number; amount: number };
    refunded: { count: number; amount: number };
    net: number;
    vat: { rate: number; base: number; tax: number }[];
  }[];
  cancelled: { count: number };
  failed: { count: number };
  sales: string[];
}

const COFFEE_AND_BUDS = (terminalId: string, extra: Record<string, unknown> = {}) => ({
  terminalId,
  currency: "NOK",
  lines: [
    { name: "Ear buds", quantity: 1, unitPrice: 42924, taxRate: 2500 },
    { name: "Espresso", quantity: 2, unitPrice: 3900, taxRate: 1500 },
  ],
  ...extra,
});

let terminalCount = 0;
/** A terminal of its own per test, so that its closes hold only that test's sales. */
async function newTerminal(app: Parameters<typeof createSale>[0]): Promise<string> {
  const id = `close-${++terminalCount}`;
  const response = await app.api("/api/v1/terminals", { method: "POST", json: { id, name: `Close ${terminalCount}` } });
  expect(response.status, await response.clone().text()).toBe(201);
  return id;
}

async function paidSale(app: Parameters<typeof createSale>[0], terminalId: string, extra = {}) {
  const sale = await createSale(app, COFFEE_AND_BUDS(terminalId, extra));
  await simAction(app, sale.reference, "approve");
  return waitForSaleState(app, sale.id, "captured");
}

const closeOf = async (app: Parameters<typeof createSale>[0], terminalId: string): Promise<Close> => {
  const response = await app.api(`/api/v1/terminals/${terminalId}/closes`, { method: "POST" });
  expect(response.status, await response.clone().text()).toBe(201);
  const close = (await response.json()) as Close;
  expect(response.headers.get("location")).toBe(`/api/v1/closes/${close.id}`);
  return close;
};

test("a close counts captures and refunds once; a pending sale lands in the close where it is captured", async ({
  app,
}) => {
  const terminalId = await newTerminal(app);
  const empty = await (await app.api(`/api/v1/terminals/${terminalId}/closes/preview`)).json();
  expect(empty).toMatchObject({ preview: true, number: 1, currencies: [], sales: [] });

  const paid = await paidSale(app, terminalId);
  const refund = await app.api(`/api/v1/sales/${paid.id}/refund`, { method: "POST", json: { amount: 7800 } });
  expect(refund.status, await refund.clone().text()).toBe(200);
  const waiting = await createSale(app, COFFEE_AND_BUDS(terminalId));

  const preview = (await (await app.api(`/api/v1/terminals/${terminalId}/closes/preview`)).json()) as Close;
  const first = await closeOf(app, terminalId);
  expect(first).toMatchObject({ terminalId, number: 1, sales: [paid.id], cancelled: { count: 0 } });
  expect(first.currencies).toEqual(preview.currencies);
  const [nok] = first.currencies;
  expect(nok).toMatchObject({
    currency: "NOK",
    captured: { count: 1, amount: 50_724 },
    refunded: { count: 1, amount: 7_800 },
    net: 42_924,
  });
  // The refund is split over the sale's rates in proportion: 7800 of 50724, 42924 at 25 % and 7800 at 15 %.
  expect(nok?.vat.reduce((sum, v) => sum + v.base + v.tax, 0)).toBe(42_924);
  expect(nok?.vat.map((v) => v.rate)).toEqual([1500, 2500]);
  for (const v of nok?.vat ?? []) expect(v.tax).toBe(Math.round(((v.base + v.tax) * v.rate) / (10_000 + v.rate)));

  // The POS hears of it: the event feed has a terminal.closed whose data is the close.
  const feed = await (await app.api("/api/v1/events?limit=500")).json();
  const closed = feed.items.filter((item: { type: string }) => item.type === "terminal.closed");
  expect(closed.map((item: { data: Close }) => item.data)).toContainEqual(first);

  // Right after, nothing is left: the preview is empty and numbered next.
  const after = await (await app.api(`/api/v1/terminals/${terminalId}/closes/preview`)).json();
  expect(after).toMatchObject({ number: 2, currencies: [], sales: [], openedAt: first.closedAt });

  await simAction(app, waiting.reference, "approve");
  await waitForSaleState(app, waiting.id, "captured");
  const second = await closeOf(app, terminalId);
  expect(second).toMatchObject({ number: 2, openedAt: first.closedAt, sales: [waiting.id] });
  expect(second.currencies[0]).toMatchObject({ captured: { count: 1, amount: 50_724 }, refunded: { count: 0 } });
  const third = await closeOf(app, terminalId);
  expect(third).toMatchObject({ number: 3, currencies: [], sales: [] });

  const list = await (await app.api(`/api/v1/terminals/${terminalId}/closes?limit=2`)).json();
  expect(list.items.map((close: Close) => close.number)).toEqual([3, 2]);
  expect(list.nextBefore).toBe(2);
  const older = await (await app.api(`/api/v1/terminals/${terminalId}/closes?before=2`)).json();
  expect(older).toEqual({ items: [first], nextBefore: null });
  expect(await (await app.api(`/api/v1/closes/${first.id}`)).json()).toEqual(first);

  const csv = await app.api(`/api/v1/closes/${first.id}.csv`);
  expect(csv.status).toBe(200);
  expect(csv.headers.get("content-type")).toContain("text/csv");
  expect(csv.headers.get("content-disposition")).toContain(`kassa-close-${terminalId}-1.csv`);
  const rows = (await csv.text()).trim().split("\r\n");
  expect(rows[0]).toContain('"figure"');
  expect(rows.find((row) => row.includes('"captured"'))).toContain(",1,507.24,");
  expect(rows.find((row) => row.includes('"net"'))).toContain("429.24");
  expect(rows.filter((row) => row.includes('"vat"'))).toHaveLength(2);
});

test("closes at the same moment get consecutive numbers and no sale twice", async ({ app }) => {
  const terminalId = await newTerminal(app);
  const sales = [await paidSale(app, terminalId), await paidSale(app, terminalId)];
  const closes = (await Promise.all(
    Array.from({ length: 4 }, () =>
      app.api(`/api/v1/terminals/${terminalId}/closes`, { method: "POST" }).then((r) => r.json()),
    ),
  )) as Close[];
  expect(closes.map((close) => close.number).sort()).toEqual([1, 2, 3, 4]);
  expect(closes.flatMap((close) => close.sales).sort()).toEqual(sales.map((sale) => sale.id).sort());
});

test("unknown terminals and closes are 404; the automatic close takes HH:MM or null", async ({ app }) => {
  for (const path of ["/api/v1/terminals/nope/closes/preview", "/api/v1/closes/close_nope", "/api/v1/closes/x.csv"]) {
    expect((await app.api(path)).status).toBe(404);
  }
  expect((await app.api("/api/v1/terminals/nope/closes", { method: "POST" })).status).toBe(404);
  const terminalId = await newTerminal(app);
  const schedule = `/api/v1/terminals/${terminalId}/closes/schedule`;
  expect(await (await app.api(schedule)).json()).toMatchObject({
    time: null,
    timeZone: "Europe/Oslo",
    nextCloseAt: null,
  });
  const set = await app.api(schedule, { method: "PUT", json: { time: "23:30" } });
  expect(set.status).toBe(200);
  const body = await set.json();
  expect(body.time).toBe("23:30");
  expect(Date.parse(body.nextCloseAt)).toBeGreaterThan(Date.now());
  const bad = await app.api(schedule, { method: "PUT", json: { time: "25:00" } });
  expect(bad.status).toBe(400);
  expect(bad.headers.get("content-type")).toContain("application/problem+json");
  expect((await bad.json()).errors[0].field).toBe("time");
  expect((await (await app.api(schedule, { method: "PUT", json: { time: null } })).json()).time).toBeNull();
});

test("posReference is kept on the sale, in the CSV, on Vipps' receipt and on the customer's receipt", async ({
  app,
}) => {
  const terminalId = await newTerminal(app);
  const sale = await createSale(app, COFFEE_AND_BUDS(terminalId, { posReference: "KV-2026/4711 ø" }));
  const view = sale as unknown as { posReference: string; receiptUrl: string };
  expect(view.posReference).toBe("KV-2026/4711 ø");
  expect(view.receiptUrl).toMatch(new RegExp(`^${app.url}/r/[A-Za-z0-9_-]{24}$`));
  const atVipps = await simPayment(app, sale.reference);
  expect((atVipps.request ?? atVipps).receipt.bottomLine.receiptNumber).toBe("KV-2026/4711 ø");

  const csv = await (await app.api(`/api/v1/sales/export.csv?terminalId=${terminalId}`)).text();
  expect(csv.split("\r\n")[0]).toContain('"pos_reference"');
  expect(csv).toContain('"KV-2026/4711 ø"');

  // Unpaid, the receipt page says nothing; paid, it shows the sale.
  expect((await fetch(view.receiptUrl)).status).toBe(404);
  await simAction(app, sale.reference, "approve");
  await waitForSaleState(app, sale.id, "captured");
  const page = await fetch(view.receiptUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  for (const text of ["KV-2026/4711 ø", "Ear buds", "Espresso", sale.reference]) expect(html).toContain(text);
  expect((await fetch(`${app.url}/r/${"A".repeat(24)}`)).status).toBe(404);

  for (const posReference of ["", "x".repeat(65), "tab\there", " padded"]) {
    const response = await app.api("/api/v1/sales", {
      method: "POST",
      json: COFFEE_AND_BUDS(terminalId, { posReference }),
    });
    expect(response.status, posReference).toBe(400);
    expect((await response.json()).errors.map((error: { field: string }) => error.field)).toContain("posReference");
  }
});

test("a terminal of a store in New York closes at 23:00 New York time, the shop's being Oslo", async ({ app }) => {
  const store = await app.api("/api/v1/stores", {
    method: "POST",
    json: { name: "Manhattan", msn: "777001", currency: "NOK", timeZone: "America/New_York" },
  });
  expect(store.status, await store.clone().text()).toBe(201);
  const { id: storeId } = (await store.json()) as { id: string };
  const made = await app.api("/api/v1/terminals", {
    method: "POST",
    json: { id: "close-ny", name: "Broadway", storeId },
  });
  expect(made.status, await made.clone().text()).toBe(201);
  const set = await app.api("/api/v1/terminals/close-ny/closes/schedule", { method: "PUT", json: { time: "23:00" } });
  expect(set.status, await set.clone().text()).toBe(200);
  const body = (await set.json()) as { timeZone: string; nextCloseAt: string };
  expect(body.timeZone).toBe("America/New_York");
  const wallClock = (timeZone: string) =>
    new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" }).format(
      Date.parse(body.nextCloseAt),
    );
  expect(wallClock("America/New_York")).toBe("23:00");
  expect(wallClock("Europe/Oslo")).not.toBe("23:00");
  // The shop's own terminals keep the shop's time zone.
  const oslo = await (await app.api("/api/v1/terminals/pos-1/closes/schedule")).json();
  expect(oslo.timeZone).toBe("Europe/Oslo");
});
