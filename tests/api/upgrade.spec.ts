import { cpSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "../support/fixtures";
import { simPayment } from "./helpers";

/**
 * The upgrade to stores: this version starts on a data directory that the release before stores made
 * (tests/fixtures/before-stores, made by its make.mjs) and finds every terminal, sale and refund in
 * store 1, the sales unit of the environment's MSN, with the old API key and admin password working.
 */

const dataDir = mkdtempSync(path.join(os.tmpdir(), "kassa-upgrade-"));
cpSync(path.join(__dirname, "../fixtures/before-stores"), dataDir, {
  recursive: true,
  filter: (source) => !source.endsWith(".mjs"),
});

// No KASSA_API_KEY or KASSA_ADMIN_PASSWORD: what the old release stored is what must still let us in.
test.use({
  appOptions: { env: { KASSA_DATA_DIR: dataDir, KASSA_API_KEY: undefined, KASSA_ADMIN_PASSWORD: undefined } },
});

interface SaleBody {
  id: string;
  terminalId: string;
  storeId: string;
  msn?: string;
  state: string;
  reference: string;
  capturedAmount: { value: number };
  refundedAmount: { value: number };
}

test("a data directory of the release before stores becomes store 1 with all it had", async ({ app }) => {
  const stores = (await (await app.api("/api/v1/stores")).json()).items;
  expect(stores).toEqual([
    expect.objectContaining({
      id: "store-1",
      msn: "123456",
      name: "Kassa demo shop",
      vipps: expect.objectContaining({ keys: "partner" }),
    }),
  ]);
  const terminals = (await (await app.api("/api/v1/terminals")).json()).items as { id: string; storeId: string }[];
  expect(terminals.map((terminal) => [terminal.id, terminal.storeId])).toEqual([
    ["pos-1", "store-1"],
    ["pos-2", "store-1"],
  ]);

  const sales = (await (await app.api("/api/v1/sales")).json()).items as SaleBody[];
  expect(sales.map((sale) => [sale.terminalId, sale.state, sale.storeId, sale.msn]).sort()).toEqual([
    ["pos-1", "cancelled", "store-1", "123456"],
    ["pos-1", "captured", "store-1", "123456"],
    ["pos-2", "captured", "store-1", "123456"],
  ]);
  const partlyRefunded = sales.find((sale) => sale.refundedAmount.value === 1000)!;
  expect(partlyRefunded.capturedAmount.value).toBe(9800);

  // An old sale is refunded after the upgrade, through the sales unit that took it.
  const rest = await app.api(`/api/v1/sales/${partlyRefunded.id}/refund`, { method: "POST", json: {} });
  expect(rest.status, await rest.clone().text()).toBe(200);
  expect((await rest.json()).state).toBe("refunded");
  const payment = await simPayment(app, partlyRefunded.reference);
  expect(payment.msn).toBe("123456");
  expect(payment.aggregate.refundedAmount.value).toBe(9800);

  const signIn = await fetch(`${app.url}/api/admin/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ password: app.adminPassword }),
  });
  expect(signIn.status).toBe(200);

  const summary = await (await app.api("/api/v1/sales/summary?storeId=store-1")).json();
  expect(summary.items.reduce((count: number, row: { count: number }) => count + row.count, 0)).toBe(3);
});
