/**
 * Settlements per store: the import runs one importer per store's MSN, made and replaced as stores
 * are saved (no restart), and each caller sees the ledgers of their own stores only.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/entities/principal";
import type { NewSettlementEntry } from "@/lib/entities/settlement";
import { buildSettlements } from "@/lib/settlements/settlement-wiring";
import type { VippsCredentials } from "@/lib/vipps/access-token";
import { captureLog } from "../support/log-capture";
import { memoryStore, type TestStore } from "../support/memory-store";

const NOW = Date.parse("2026-05-04T12:00:00Z");
const clock = { now: () => NOW };
const keys = (name: string): VippsCredentials => ({
  clientId: `${name}-id`,
  clientSecret: `${name}-secret`,
  subscriptionKey: `${name}-subscription`,
});
const OWNER: Principal = { type: "api-key", id: "k1", name: "POS", scopes: [], storeIds: null };
const managerOf = (storeId: string): Principal => ({
  type: "staff",
  id: `m-${storeId}`,
  username: `manager-${storeId}`,
  role: "manager",
  storeIds: [storeId],
  sessionId: "s",
  device: "d",
});

let store: TestStore;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(() => store.close());

async function settlements(accounts: () => { msn: string; credentials: VippsCredentials }[]) {
  const { log } = captureLog("error");
  return buildSettlements({
    store: store.repositories,
    config: {
      vipps: { baseUrl: "http://127.0.0.1:9", msn: "111111", ...keys("partner") },
      settlementImport: true,
      settlementPollMs: 60_000,
    },
    credentials: async () => accounts(),
    system: {},
    clock,
    log,
    timeZone: async () => "Europe/Oslo",
  });
}

describe("the settlement import per store", () => {
  it("runs one importer per MSN, adds a new store's on sync, replaces one whose keys changed and drops a gone MSN", async () => {
    let accounts = [{ msn: "111111", credentials: keys("partner") }];
    const built = await settlements(() => accounts);
    const msns = () => built.schedulers().map((scheduler) => scheduler.msn);
    expect(msns()).toEqual(["111111"]);
    const first = built.schedulers()[0];

    accounts = [...accounts, { msn: "222222", credentials: keys("bergen") }, { msn: "222222", credentials: keys("x") }];
    await built.sync();
    expect(msns()).toEqual(["111111", "222222"]);
    expect(built.schedulers()[0]).toBe(first);

    const bergen = built.schedulers()[1];
    accounts = [accounts[0]!, { msn: "222222", credentials: keys("bergen-new") }];
    await built.sync();
    expect(msns()).toEqual(["111111", "222222"]);
    expect(built.schedulers()[1]).not.toBe(bergen);

    accounts = [{ msn: "222222", credentials: keys("bergen-new") }];
    await built.sync();
    expect(msns()).toEqual(["222222"]);
    await built.stop();
  });
});

describe("settlements per store", () => {
  const capture = (msn: string, amount: number): NewSettlementEntry => ({
    id: `e-${msn}`,
    msn,
    ledgerId: `ledger-${msn}`,
    topic: "funds",
    entryType: "capture",
    kind: "capture",
    pspReference: `psp-${msn}`,
    reference: `ref-${msn}`,
    currency: "NOK",
    amount,
    balanceAfter: amount,
    time: "2026-05-02T10:00:00.000000Z",
    ledgerDate: "2026-05-02",
  });

  it("shows each manager their own store's ledger, the owner every one, and another store's id is a 404", async () => {
    const { stores, settlements: repository } = store.repositories;
    await stores.fillFirstStore({
      name: "Oslo",
      msn: "111111",
      currency: "NOK",
      timeZone: "Europe/Oslo",
      language: "nb",
      updatedAt: "2026-05-01T00:00:00.000Z",
    });
    await stores.insertStore({
      id: "store-2",
      name: "Bergen",
      msn: "222222",
      currency: "NOK",
      timeZone: "Europe/Oslo",
      language: "nb",
      createdAt: "2026-05-01T00:00:00.000Z",
      updatedAt: "2026-05-01T00:00:00.000Z",
    });
    for (const [msn, amount] of [
      ["111111", 1_000],
      ["222222", 2_000],
    ] as const) {
      await repository.importPage({
        feed: { msn, ledgerId: `ledger-${msn}`, topic: "funds", currency: "NOK" },
        fromCursor: undefined,
        toCursor: "c1",
        entries: [capture(msn, amount)],
        at: "2026-05-03T00:00:00.000Z",
        caughtUp: true,
      });
    }
    const { service } = await settlements(() => []);
    const captured = async (by: Principal, storeId?: string) =>
      (await service.list({ from: "2026-05-02", to: "2026-05-02", ...(storeId ? { storeId } : {}) }, by)).items.reduce(
        (sum, day) => sum + day.captured,
        0,
      );
    expect(await captured(OWNER)).toBe(3_000);
    expect(await captured(OWNER, "store-1")).toBe(1_000);
    expect(await captured(managerOf("store-1"))).toBe(1_000);
    expect(await captured(managerOf("store-2"))).toBe(2_000);
    await expect(captured(managerOf("store-2"), "store-1")).rejects.toMatchObject({ code: "notFound" });
    const csv = (await service.exportCsv({ from: "2026-05-02", to: "2026-05-02" }, managerOf("store-1"))).body;
    expect(csv).toContain("ref-111111");
    expect(csv).not.toContain("ref-222222");
    const day = await service.date("2026-05-02", managerOf("store-2"));
    expect(day.items.map((item) => item.captured)).toEqual([2_000]);
    await expect(service.date("2026-05-02", managerOf("store-2"), "store-1")).rejects.toMatchObject({
      code: "notFound",
    });
  });
});
