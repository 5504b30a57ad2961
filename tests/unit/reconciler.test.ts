/**
 * The reconciler on the real store with a scripted Vipps: what it asks Vipps, when it asks next,
 * and how it settles attempts whose outcome we do not know (a lost create, a QR at its deadline,
 * an approval nobody told us of, a capture that failed earlier).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Logger } from "@/lib/log";
import type { PaymentGateway } from "@/lib/sales/payment-gateway";
import { QR_LIFETIME_MS, WEBHOOKS_HEALTHY_FOR_MS } from "@/lib/sales/payment-rules";
import { LIST_OPEN_ATTEMPTS_EVERY_MS, Reconciler, type ReconcilerDeps } from "@/lib/sales/reconciler";
import { SaleCommands } from "@/lib/sales/sale-commands";
import type { CreateSaleInput } from "@/lib/sales/sale-input";
import { SaleTransitions } from "@/lib/sales/sale-transitions";
import { SaleViews } from "@/lib/sales/sale-views";
import type { PaymentAttempt, Sale } from "@/lib/sales/types";
import { FrozenClock } from "../support/frozen-clock";
import { memoryStore, TestStore } from "../support/memory-store";
import { httpError, networkError, type ScriptedVipps, scriptedVipps } from "../support/scripted-vipps";

const START = Date.parse("2026-05-01T10:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

/** The real store, with failures a test can switch on. */
class StagedStore extends TestStore {
  listOpenAttemptsCalls = 0;
  listOpenAttemptsError: unknown;
  getSaleError: unknown;
  hideSales = false;

  override async listOpenAttempts() {
    this.listOpenAttemptsCalls += 1;
    const error = this.listOpenAttemptsError;
    this.listOpenAttemptsError = undefined;
    if (error) throw error;
    return super.listOpenAttempts();
  }
  override async getSale(id: string) {
    if (this.getSaleError) throw this.getSaleError;
    return this.hideSales ? undefined : super.getSale(id);
  }
}

type LogLine = { level: keyof Logger; message: string; fields?: Record<string, unknown> };

let clock: FrozenClock;
let store: StagedStore;
let vipps: ScriptedVipps;
let gateway: PaymentGateway;
let transitions: SaleTransitions;
let commands: SaleCommands;
let logs: LogLine[];
let autoCapture: boolean;
/** GETs in flight now, and the most there ever were at once. */
let gets: { now: number; most: number; delayMs: number };
const reconcilers: Reconciler[] = [];

function reconciler(options: Partial<Pick<ReconcilerDeps, "intervalMs" | "concurrency" | "lease">> = {}): Reconciler {
  const log: Logger = Object.fromEntries(
    (["debug", "info", "warn", "error"] as const).map((level) => [
      level,
      (message: string, fields?: Record<string, unknown>) =>
        void logs.push({ level, message, ...(fields ? { fields } : {}) }),
    ]),
  ) as unknown as Logger;
  const made = new Reconciler({
    sales: store,
    counters: store,
    operations: store,
    gateway,
    transitions,
    clock,
    log,
    ...options,
  });
  reconcilers.push(made);
  return made;
}

beforeEach(async () => {
  clock = new FrozenClock(START);
  store = await memoryStore(StagedStore);
  for (let i = 1; i <= 10; i++) {
    await store.saveTerminal({
      id: `pos-${i}`,
      name: `Counter ${i}`,
      posId: `POS-${i}`,
      language: "en",
      currency: "NOK",
      displayToken: `t-${i}`,
      createdAt: iso(START),
    });
  }
  vipps = scriptedVipps();
  gets = { now: 0, most: 0, delayMs: 0 };
  // Count GETs in flight, so the tests can see how many run at once.
  gateway = {
    ...vipps.gateway,
    async getPayment(reference) {
      gets.now += 1;
      gets.most = Math.max(gets.most, gets.now);
      try {
        if (gets.delayMs) await new Promise((resolve) => setTimeout(resolve, gets.delayMs));
        return await vipps.gateway.getPayment(reference);
      } finally {
        gets.now -= 1;
      }
    },
  };
  logs = [];
  autoCapture = true;
  const log: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const saleChanged = async () => undefined;
  transitions = new SaleTransitions({ sales: store, gateway, clock, log, saleChanged });
  commands = new SaleCommands({
    sales: store,
    counters: store,
    settings: store,
    gateway,
    transitions,
    views: new SaleViews({ sales: store, clock }),
    clock,
    log,
    publicUrl: "https://kassa.example",
    autoCapture: async () => autoCapture,
    saleChanged,
  });
});

afterEach(async () => {
  for (const r of reconcilers.splice(0)) r.stop();
  await store.close();
});

const input = (terminalId = "pos-1"): CreateSaleInput => ({
  terminalId,
  currency: "NOK",
  lines: [{ name: "Ear buds", quantity: 1, unitPrice: 42_924, taxRate: 2500 }],
});

async function newSale(terminalId = "pos-1"): Promise<{ sale: Sale; attempt: PaymentAttempt }> {
  const { sale } = await commands.create(input(terminalId), { source: "api" });
  return { sale, attempt: await attemptOf(sale.currentAttemptId) };
}

async function attemptOf(id: string): Promise<PaymentAttempt> {
  const attempt = await store.getAttempt(id);
  if (!attempt) throw new Error("no attempt");
  return attempt;
}

async function saleNow(id: string): Promise<Sale> {
  const sale = await store.getSale(id);
  if (!sale) throw new Error("no sale");
  return sale;
}

/** A sale whose create call's outcome we never learnt. */
async function failedCreate(terminalId = "pos-1"): Promise<{ sale: Sale; attempt: PaymentAttempt }> {
  vipps.fail("create", networkError(), 1);
  await commands.create(input(terminalId), { source: "api" }).catch(() => undefined);
  const sale = (await store.listSales({ terminalId })).items[0]!;
  const attempt = await attemptOf(sale.currentAttemptId);
  expect(attempt.state).toBe("CREATE_FAILED");
  return { sale, attempt };
}

/**
 * The timer's interval is faked in the tests of it, so that "40 ms pass" means four ticks on any
 * machine; after moving it on, settled() waits for the ticks it began.
 */
async function intervalsPass(r: Reconciler, ms: number) {
  await vi.advanceTimersByTimeAsync(ms);
  await r.settled();
}

describe("reconciling one attempt", () => {
  it("does nothing for an attempt or a sale it cannot find", async () => {
    const r = reconciler();
    await r.reconcileAttempt("att_nope");
    const { attempt } = await newSale();
    store.hideSales = true;
    await r.reconcileAttempt(attempt.id);
    expect(vipps.count("get ")).toBe(0);
  });

  it("records every poll, and schedules the next one by the payment rules", async () => {
    const { attempt } = await newSale();
    clock.advance(2000);
    await reconciler().reconcileAttempt(attempt.id);
    expect(vipps.calls.at(-1)).toBe(`get ${attempt.reference}`);
    expect(await attemptOf(attempt.id)).toMatchObject({
      state: "CREATED",
      pollCount: 1,
      lastPolledAt: iso(START + 2000),
      nextPollAt: iso(START + 4000),
    });
    clock.advance(4 * 60_000);
    await reconciler().reconcileAttempt(attempt.id);
    expect(await attemptOf(attempt.id)).toMatchObject({
      pollCount: 2,
      lastPolledAt: iso(START + 2000 + 4 * 60_000),
      nextPollAt: iso(START + 4000 + 4 * 60_000),
    });
  });

  it("a poll that learns nothing reads the attempt once, the sale twice (before asking and under its lock) and writes once", async () => {
    const { attempt } = await newSale();
    clock.advance(5000);
    const reads = { sale: vi.spyOn(store, "getSale"), attempt: vi.spyOn(store, "getAttempt") };
    const writes = vi.spyOn(store, "updateAttempt");
    await reconciler().reconcileAttempt(attempt.id);
    expect(reads.sale).toHaveBeenCalledTimes(2);
    expect(reads.attempt).toHaveBeenCalledTimes(1);
    expect(writes).toHaveBeenCalledTimes(1);
    expect(await attemptOf(attempt.id)).toMatchObject({
      state: "CREATED",
      pollCount: 1,
      lastPolledAt: iso(START + 5000),
      nextPollAt: iso(START + 7000),
    });
  });

  it("a poll whose applying fails is still recorded as a poll", async () => {
    const { attempt } = await newSale();
    vipps.approve(attempt.reference);
    clock.advance(5000);
    vi.spyOn(store, "transitionSale").mockRejectedValueOnce(new Error("database is locked"));
    await expect(reconciler().reconcileAttempt(attempt.id)).rejects.toThrow("database is locked");
    expect(await attemptOf(attempt.id)).toMatchObject({ pollCount: 1, lastPolledAt: iso(START + 5000) });
  });

  it("an approval it finds is recorded, captured when the shop auto-captures, and polled with back-off", async () => {
    const { sale, attempt } = await newSale();
    vipps.approve(attempt.reference);
    await reconciler().reconcileAttempt(attempt.id);
    expect((await saleNow(sale.id)).state).toBe("captured");
    expect(vipps.count(`capture ${attempt.reference} capture-${sale.id}`)).toBe(1);
    const events = await store.listEvents(sale.id);
    expect(events.map((e) => [e.type, e.source]).slice(-2)).toEqual([
      ["payment.authorized", "poll"],
      ["payment.captured", "poll"],
    ]);
    // An approved attempt at its first poll: 2 s × 2¹.
    expect((await attemptOf(attempt.id)).nextPollAt).toBe(iso(START + 4000));
  });

  it("an approval of a sale captured by hand is recorded and left for the cashier", async () => {
    autoCapture = false;
    const { sale, attempt } = await newSale();
    vipps.approve(attempt.reference);
    await reconciler().reconcileAttempt(attempt.id, "webhook");
    expect((await saleNow(sale.id)).state).toBe("authorized");
    expect((await store.listEvents(sale.id)).at(-1)).toMatchObject({ type: "payment.authorized", source: "webhook" });
    expect(vipps.count("capture ")).toBe(0);
  });

  it("retries a capture that failed earlier, and goes on when it fails again", async () => {
    const { sale, attempt } = await newSale();
    vipps.approve(attempt.reference);
    vipps.fail("capture", networkError());
    await reconciler().reconcileAttempt(attempt.id);
    await transitions.settled();
    expect((await saleNow(sale.id)).state).toBe("authorized");
    const captures = vipps.count("capture ");
    clock.advance(10_000);
    await reconciler().reconcileAttempt(attempt.id);
    expect(vipps.count("capture ")).toBeGreaterThan(captures);
    // The poll is still scheduled.
    expect(Date.parse((await attemptOf(attempt.id)).nextPollAt)).toBeGreaterThan(clock.now());
    vipps.recover();
    await reconciler().reconcileAttempt(attempt.id);
    expect((await saleNow(sale.id)).state).toBe("captured");
    expect(new Set(vipps.calls.filter((c) => c.startsWith("capture ")))).toEqual(
      new Set([`capture ${attempt.reference} capture-${sale.id}`]),
    );
  });

  it("cancels a QR at its deadline, as the system, and the sale expires", async () => {
    const { sale, attempt } = await newSale();
    clock.advance(QR_LIFETIME_MS);
    await reconciler().reconcileAttempt(attempt.id);
    expect(vipps.cancels).toEqual([
      { reference: attempt.reference, idempotencyKey: `cancel-${attempt.id}`, cancelTransactionOnly: true },
    ]);
    expect(await saleNow(sale.id)).toMatchObject({ state: "expired", endedAt: iso(START + QR_LIFETIME_MS) });
    expect((await store.listEvents(sale.id)).at(-1)).toMatchObject({
      type: "payment.terminated",
      source: "system",
      toState: "expired",
    });
  });

  it("a millisecond before the deadline it only polls again, just in time", async () => {
    const { sale, attempt } = await newSale();
    clock.advance(QR_LIFETIME_MS - 1);
    await reconciler().reconcileAttempt(attempt.id);
    expect(vipps.count("cancel ")).toBe(0);
    expect((await saleNow(sale.id)).state).toBe("pending");
    expect((await attemptOf(attempt.id)).nextPollAt).toBe(iso(START + QR_LIFETIME_MS - 1 + 50));
  });

  it("a sale that is no longer pending is not cancelled at the deadline", async () => {
    const { sale, attempt } = await newSale();
    vipps.approve(attempt.reference);
    await store.transitionSale(sale.id, ["pending"], { state: "authorized" }, { type: "test", source: "poll" });
    await store.transitionSale(sale.id, ["authorized"], { autoCapture: false }, { type: "test", source: "poll" });
    clock.advance(QR_LIFETIME_MS);
    await reconciler().reconcileAttempt(attempt.id);
    expect(vipps.count("cancel ")).toBe(0);
    expect((await saleNow(sale.id)).state).toBe("authorized");
  });

  it("a create still in flight is left alone for a minute, then its outcome counts as unknown", async () => {
    // One process throughout: its reconciler was running before the sale began.
    const running = reconciler();
    const { sale, attempt } = await newSale();
    await store.updateAttempt(attempt.id, { state: "CREATING" });
    clock.advance(60_000);
    await running.reconcileAttempt(attempt.id);
    expect((await attemptOf(attempt.id)).state).toBe("CREATING");
    clock.advance(1);
    await running.reconcileAttempt(attempt.id);
    expect((await attemptOf(attempt.id)).state).toBe("CREATE_FAILED");
    // Without a way to resume it, the sale fails rather than hold its terminal forever.
    expect((await store.getSale(sale.id))?.state).toBe("failed");
    expect(vipps.count("get ")).toBe(0);
  });

  it("a lost create that Vipps never got is marked rejected", async () => {
    const { attempt } = await failedCreate();
    vipps.fail("get", httpError(404, "Not found"));
    await reconciler().reconcileAttempt(attempt.id);
    expect(await attemptOf(attempt.id)).toMatchObject({ state: "REJECTED", pollCount: 1, lastPolledAt: iso(START) });
    expect((await store.listOpenAttempts()).map((a) => a.id)).not.toContain(attempt.id);
  });

  it("a GET that fails otherwise is retried later, after a longer wait", async () => {
    const { attempt } = await failedCreate();
    vipps.fail("get", httpError(500, "Oops"));
    await reconciler().reconcileAttempt(attempt.id);
    // The sale has failed, so the QR's deadline does not shorten the wait: 1 s doubled, at least 4 s.
    expect(await attemptOf(attempt.id)).toMatchObject({
      state: "CREATE_FAILED",
      pollCount: 1,
      nextPollAt: iso(START + 4000),
    });
    const { attempt: open } = await newSale("pos-2");
    vipps.fail("get", httpError(404, "Not found"));
    await reconciler().reconcileAttempt(open.id);
    expect(await attemptOf(open.id)).toMatchObject({ state: "CREATED", nextPollAt: iso(START + 4000) });
  });

  it("a lost create that Vipps did get is cancelled there; the sale stays failed", async () => {
    const { sale, attempt } = await failedCreate();
    vipps.set(attempt.reference, { state: "CREATED", amount: 42_924 });
    await reconciler().reconcileAttempt(attempt.id);
    expect(vipps.cancels).toEqual([{ reference: attempt.reference, idempotencyKey: `cancel-${attempt.id}` }]);
    expect(await attemptOf(attempt.id)).toMatchObject({ state: "TERMINATED", cancelReason: "superseded" });
    expect((await saleNow(sale.id)).state).toBe("failed");
  });

  it("a lost create the customer approved anyway is released; one already captured is not touched", async () => {
    const approved = await failedCreate("pos-1");
    vipps.set(approved.attempt.reference, { state: "AUTHORIZED", amount: 42_924 });
    await reconciler().reconcileAttempt(approved.attempt.id);
    expect(vipps.payments.get(approved.attempt.reference)?.cancelled).toBe(42_924);
    expect((await saleNow(approved.sale.id)).state).toBe("failed");

    const captured = await failedCreate("pos-2");
    vipps.set(captured.attempt.reference, { state: "AUTHORIZED", amount: 42_924, captured: 42_924 });
    await reconciler().reconcileAttempt(captured.attempt.id);
    expect(vipps.count(`cancel ${captured.attempt.reference}`)).toBe(0);
    expect((await attemptOf(captured.attempt.id)).state).toBe("AUTHORIZED");
  });

  it("a lost create that ended at Vipps is only recorded", async () => {
    const { attempt } = await failedCreate();
    vipps.set(attempt.reference, { state: "ABORTED", amount: 42_924 });
    await reconciler().reconcileAttempt(attempt.id);
    expect(vipps.count("cancel ")).toBe(0);
    expect((await attemptOf(attempt.id)).state).toBe("ABORTED");
    expect((await store.listOpenAttempts()).map((a) => a.id)).not.toContain(attempt.id);
  });
});

describe("expiring a QR at its deadline", () => {
  it("cancels the QR of a pending sale at, not before, its deadline", async () => {
    const { sale, attempt } = await newSale();
    const r = reconciler();
    clock.advance(QR_LIFETIME_MS - 1);
    await r.expireIfDue(attempt.id);
    expect(vipps.count("cancel ")).toBe(0);
    clock.advance(1);
    await r.expireIfDue(attempt.id);
    expect(vipps.count(`cancel ${attempt.reference}`)).toBe(1);
    expect((await saleNow(sale.id)).state).toBe("expired");
    expect((await store.listEvents(sale.id)).at(-1)?.source).toBe("system");
  });

  it("leaves an attempt alone that is not a live QR of a pending sale", async () => {
    const r = reconciler();
    await r.expireIfDue("att_nope");
    const approved = await newSale("pos-1");
    await store.updateAttempt(approved.attempt.id, { state: "AUTHORIZED" });
    const notPending = await newSale("pos-2");
    await store.transitionSale(
      notPending.sale.id,
      ["pending"],
      { state: "authorized" },
      { type: "test", source: "poll" },
    );
    const replaced = await newSale("pos-3");
    await store.transitionSale(replaced.sale.id, ["pending"], { state: "expired" }, { type: "test", source: "poll" });
    await commands.newQr(replaced.sale.id, "cashier");
    const orphan = await newSale("pos-4");
    clock.advance(QR_LIFETIME_MS);
    for (const { attempt } of [approved, notPending, replaced]) await r.expireIfDue(attempt.id);
    expect(vipps.count("cancel ")).toBe(0);
    // An attempt whose sale is gone.
    store.hideSales = true;
    await r.expireIfDue(orphan.attempt.id);
    expect(vipps.count("cancel ")).toBe(0);
  });
});

describe("the reconciler's tick", () => {
  it("polls the attempts that are due, and at start every open one", async () => {
    const due = await newSale("pos-1");
    const later = await newSale("pos-2");
    await store.updateAttempt(due.attempt.id, { nextPollAt: iso(START) });
    await store.updateAttempt(later.attempt.id, { nextPollAt: iso(START + 1) });
    const r = reconciler();
    await r.tick();
    expect(vipps.calls.filter((c) => c.startsWith("get "))).toEqual([`get ${due.attempt.reference}`]);
    await r.tick(true);
    expect(vipps.count(`get ${later.attempt.reference}`)).toBe(1);
    expect(vipps.count(`get ${due.attempt.reference}`)).toBe(2);
  });

  it("expires a QR at its deadline even when its next poll is later", async () => {
    const { sale, attempt } = await newSale();
    clock.advance(QR_LIFETIME_MS);
    await store.updateAttempt(attempt.id, { nextPollAt: iso(clock.now() + 60_000) });
    await reconciler().tick();
    expect((await saleNow(sale.id)).state).toBe("expired");
    expect(vipps.count(`cancel ${attempt.reference}`)).toBe(1);
  });

  it("runs at most the configured number of polls at once, eight by default", async () => {
    for (let i = 1; i <= 10; i++) await newSale(`pos-${i}`);
    gets.delayMs = 5;
    await reconciler({ concurrency: 3 }).tick(true);
    expect(vipps.count("get ")).toBe(10);
    expect(gets.most).toBe(3);
    gets.most = 0;
    await reconciler().tick(true);
    expect(vipps.count("get ")).toBe(20);
    expect(gets.most).toBe(8);
  });

  it("starts the next poll as soon as one ends: a slow answer holds up only its own attempt", async () => {
    const slow = (await newSale("pos-1")).attempt.reference;
    for (let i = 2; i <= 5; i++) await newSale(`pos-${i}`);
    const finished: string[] = [];
    const inner = gateway;
    gateway = {
      ...inner,
      async getPayment(reference) {
        await new Promise((resolve) => setTimeout(resolve, reference === slow ? 150 : 5));
        finished.push(reference);
        return inner.getPayment(reference);
      },
    };
    await reconciler({ concurrency: 2 }).tick(true);
    expect(finished).toHaveLength(5);
    // In batches of two the slow one would have held back the third and fourth.
    expect(finished.at(-1)).toBe(slow);
  });

  it("does not start a tick while one is running", async () => {
    await newSale();
    gets.delayMs = 20;
    const r = reconciler();
    await Promise.all([r.tick(true), r.tick(true)]);
    expect(vipps.count("get ")).toBe(1);
    await r.tick(true);
    expect(vipps.count("get ")).toBe(2);
  });

  it("a failing tick is logged and the next one runs", async () => {
    const r = reconciler();
    const failure = new Error("database is locked");
    store.listOpenAttemptsError = failure;
    await r.tick();
    expect(logs).toContainEqual({ level: "error", message: "Reconciler tick failed", fields: { error: failure } });
    const { attempt } = await newSale();
    await r.tick(true);
    expect(vipps.count(`get ${attempt.reference}`)).toBe(1);
  });

  it("a failing attempt is logged and does not stop the others", async () => {
    const { attempt } = await newSale();
    const failure = new Error("disk I/O error");
    store.getSaleError = failure;
    const r = reconciler();
    await r.tick(true);
    expect(logs).toContainEqual({
      level: "warn",
      message: "Reconciling an attempt failed",
      fields: { attemptId: attempt.id, error: failure },
    });
    store.getSaleError = undefined;
    await r.tick(true);
    expect(vipps.count(`get ${attempt.reference}`)).toBe(1);
  });

  it("prunes webhook dedupe records older than eight days, once an hour", async () => {
    const seen = async (id: string) => !(await store.markWebhookProcessed(id, iso(clock.now())));
    await store.markWebhookProcessed("old", iso(START - 8 * DAY - 1));
    await store.markWebhookProcessed("edge", iso(START - 8 * DAY));
    const r = reconciler();
    await r.tick();
    expect(await seen("old")).toBe(false);
    expect(await seen("edge")).toBe(true);
    // Within the hour no second prune.
    await store.markWebhookProcessed("stale", iso(START - 9 * DAY));
    clock.advance(HOUR);
    await r.tick();
    expect(await seen("stale")).toBe(true);
    clock.advance(1);
    await store.markWebhookProcessed("stale-2", iso(START - 9 * DAY));
    await r.tick();
    expect(await seen("stale-2")).toBe(false);
  });
});

describe("with several instances", () => {
  function lease(held: boolean) {
    const listeners: (() => void)[] = [];
    return { held, listeners, onAcquired: (listener: () => void) => void listeners.push(listener) };
  }

  it("ticks only while this instance holds the lease", async () => {
    const { attempt } = await newSale();
    const held = lease(false);
    const r = reconciler({ lease: held });
    await r.tick(true);
    expect(store.listOpenAttemptsCalls).toBe(0);
    expect(vipps.count("get ")).toBe(0);
    held.held = true;
    await r.tick(true);
    expect(vipps.count(`get ${attempt.reference}`)).toBe(1);
  });

  it("sweeps every open attempt when it takes the lease over", async () => {
    const { attempt } = await newSale();
    await store.updateAttempt(attempt.id, { nextPollAt: iso(START + 60_000) });
    const held = lease(false);
    const r = reconciler({ lease: held, intervalMs: 60_000 });
    r.start();
    expect(held.listeners).toHaveLength(1);
    await r.settled();
    expect(vipps.count("get ")).toBe(0);
    held.held = true;
    for (const listener of held.listeners) listener();
    await r.settled();
    expect(vipps.count(`get ${attempt.reference}`)).toBe(1);
  });
});

describe("running in the background", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sweeps every open attempt at start, then ticks on its interval until stopped", async () => {
    const { attempt } = await newSale();
    await store.updateAttempt(attempt.id, { nextPollAt: iso(START + 60_000) });
    const r = reconciler({ intervalMs: 10 });
    r.start();
    await r.settled();
    expect(vipps.count(`get ${attempt.reference}`)).toBe(1);
    // The sweep rescheduled it 2 s on; a second on, the interval ticks read the list again.
    await intervalsPass(r, 40);
    const listed = store.listOpenAttemptsCalls;
    clock.advance(LIST_OPEN_ATTEMPTS_EVERY_MS);
    await intervalsPass(r, 10);
    expect(store.listOpenAttemptsCalls).toBeGreaterThan(listed);
    // The interval ticks poll only what is due: nothing here.
    expect(vipps.count(`get ${attempt.reference}`)).toBe(1);
    r.stop();
    await r.settled();
    const calls = store.listOpenAttemptsCalls;
    clock.advance(LIST_OPEN_ATTEMPTS_EVERY_MS);
    await intervalsPass(r, 40);
    expect(store.listOpenAttemptsCalls).toBe(calls);
  });

  it("an interval tick reads the open attempts only when one is due or a second has passed", async () => {
    const { attempt } = await newSale();
    const r = reconciler({ intervalMs: 10 });
    r.start();
    // The start-up sweep polls it at once; the next poll is due 2 s later.
    await r.settled();
    expect(vipps.count(`get ${attempt.reference}`)).toBe(1);
    expect((await attemptOf(attempt.id)).nextPollAt).toBe(iso(START + 2000));
    await intervalsPass(r, 40);
    const calls = store.listOpenAttemptsCalls;
    await intervalsPass(r, 60);
    // Several interval ticks, none of them a query: nothing is due and the list is fresh.
    expect(store.listOpenAttemptsCalls).toBe(calls);
    clock.advance(LIST_OPEN_ATTEMPTS_EVERY_MS - 1);
    await intervalsPass(r, 60);
    expect(store.listOpenAttemptsCalls).toBe(calls);
    // A second on: read again (another instance may have made attempts meanwhile), nothing polled.
    clock.advance(1);
    await intervalsPass(r, 10);
    expect(store.listOpenAttemptsCalls).toBe(calls + 1);
    expect(vipps.count(`get ${attempt.reference}`)).toBe(1);
    // The next poll is due: read and polled on time.
    clock.advance(1000);
    await intervalsPass(r, 10);
    expect(vipps.count(`get ${attempt.reference}`)).toBe(2);
  });

  it("while webhooks arrive, polls back off; without them, every two seconds", async () => {
    const { attempt } = await newSale();
    const r = reconciler();
    const pollAndWait = async () => {
      const before = clock.now();
      await r.reconcileAttempt(attempt.id);
      return Date.parse((await attemptOf(attempt.id)).nextPollAt) - before;
    };
    expect(await pollAndWait()).toBe(2000);
    r.noteWebhook();
    // By the polls made so far: the second waits 4 s, the third and later 8 s.
    expect([await pollAndWait(), await pollAndWait(), await pollAndWait()]).toEqual([4000, 8000, 8000]);
    // A minute without a webhook: back to every two seconds.
    clock.advance(WEBHOOKS_HEALTHY_FOR_MS);
    expect(await pollAndWait()).toBe(2000);
  });

  it("starting twice keeps one timer, which stop ends", async () => {
    const r = reconciler({ intervalMs: 10 });
    r.start();
    r.start();
    await intervalsPass(r, 40);
    clock.advance(LIST_OPEN_ATTEMPTS_EVERY_MS);
    await intervalsPass(r, 40);
    r.stop();
    await r.settled();
    const calls = store.listOpenAttemptsCalls;
    await intervalsPass(r, 40);
    expect(store.listOpenAttemptsCalls).toBe(calls);
    // Stopped, it can start again.
    r.start();
    clock.advance(LIST_OPEN_ATTEMPTS_EVERY_MS);
    await intervalsPass(r, 10);
    expect(store.listOpenAttemptsCalls).toBeGreaterThan(calls + 1);
  });

  it("ticks every 200 ms unless told otherwise", async () => {
    const r = reconciler();
    r.start();
    await intervalsPass(r, 199);
    expect(store.listOpenAttemptsCalls).toBe(1);
    clock.advance(LIST_OPEN_ATTEMPTS_EVERY_MS);
    await intervalsPass(r, 1);
    expect(store.listOpenAttemptsCalls).toBe(2);
  });
});

describe("the reconciler: what the mutants found", () => {
  it("a tick asked for while one runs does not even list the attempts", async () => {
    await newSale();
    gets.delayMs = 20;
    const r = reconciler();
    await Promise.all([r.tick(true), r.tick(true)]);
    expect(store.listOpenAttemptsCalls).toBe(1);
  });

  it("an approved attempt past its QR's deadline waits for its next poll", async () => {
    autoCapture = false;
    const { sale, attempt } = await newSale();
    vipps.approve(attempt.reference);
    await reconciler().reconcileAttempt(attempt.id);
    expect((await saleNow(sale.id)).state).toBe("authorized");
    clock.advance(QR_LIFETIME_MS);
    await store.updateAttempt(attempt.id, { nextPollAt: iso(clock.now() + 60_000) });
    const before = vipps.count("get ");
    await reconciler().tick();
    expect(vipps.count("get ")).toBe(before);
  });

  it("expires a QR at its deadline even while Vipps' GETs fail", async () => {
    const { sale } = await newSale();
    clock.advance(QR_LIFETIME_MS);
    vipps.fail("get", networkError());
    await reconciler().tick();
    expect((await saleNow(sale.id)).state).toBe("expired");
  });

  it("what a tick finds is recorded as found by polling", async () => {
    autoCapture = false;
    const { sale, attempt } = await newSale();
    vipps.approve(attempt.reference);
    await reconciler().tick(true);
    expect((await store.listEvents(sale.id)).at(-1)).toMatchObject({ type: "payment.authorized", source: "poll" });
  });

  it("a replaced attempt approved late and polled after its deadline is released once, not cancelled again as expired", async () => {
    const { sale, attempt: first } = await newSale();
    await store.transitionSale(sale.id, ["pending"], { state: "expired" }, { type: "payment.expired", source: "poll" });
    clock.advance(60_000);
    await commands.newQr(sale.id, "cashier");
    vipps.approve(first.reference);
    // Past the first QR's deadline, not the second's.
    clock.advance(QR_LIFETIME_MS - 30_000);
    await reconciler().reconcileAttempt(first.id);
    expect(vipps.cancels.filter((c) => c.reference === first.reference)).toEqual([
      { reference: first.reference, idempotencyKey: `cancel-${first.id}` },
    ]);
    expect((await saleNow(sale.id)).state).toBe("pending");
  });
});

describe("the reconciler and creates whose process died", () => {
  const quiet: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  };
  let told: string[];
  let waiting: Set<string>;

  function withCreates(): Reconciler {
    told = [];
    return new Reconciler({
      sales: store,
      counters: store,
      operations: store,
      gateway,
      transitions,
      clock,
      log: quiet,
      creates: { isCreating: (id) => waiting.has(id), resumeCreate: (id, source) => commands.resumeCreate(id, source) },
      saleChanged: async (terminalId) => void told.push(terminalId),
    });
  }

  async function stuck(terminalId = "pos-1") {
    const { sale, attempt } = await newSale(terminalId);
    await store.updateAttempt(attempt.id, { state: "CREATING" });
    return { sale, attempt };
  }

  beforeEach(() => {
    waiting = new Set();
  });

  it("a create this process still waits for is left alone, however long it takes", async () => {
    const r = withCreates();
    const { sale, attempt } = await stuck();
    waiting.add(attempt.id);
    clock.advance(5 * 60_000);
    await r.reconcileAttempt(attempt.id);
    expect((await attemptOf(attempt.id)).state).toBe("CREATING");
    expect((await saleNow(sale.id)).state).toBe("pending");
    expect(vipps.count("create ")).toBe(1);
  });

  it("an orphan with more than a minute of QR left is resumed, as the system", async () => {
    const r = withCreates();
    const { sale, attempt } = await stuck();
    clock.advance(QR_LIFETIME_MS - 60_001);
    await r.reconcileAttempt(attempt.id, "poll");
    expect((await attemptOf(attempt.id)).state).toBe("CREATED");
    expect((await store.listEvents(sale.id)).at(-1)).toMatchObject({ type: "payment.created", source: "system" });
  });

  it("an orphan with a minute or less left fails its sale, and the display is told", async () => {
    const r = withCreates();
    const { sale, attempt } = await stuck();
    clock.advance(QR_LIFETIME_MS - 60_000);
    await r.reconcileAttempt(attempt.id, "poll");
    const now = iso(clock.now());
    expect(await attemptOf(attempt.id)).toMatchObject({ state: "CREATE_FAILED", nextPollAt: now });
    expect(await saleNow(sale.id)).toMatchObject({
      state: "failed",
      failureReason: "The create call's answer was lost",
      updatedAt: now,
      endedAt: now,
    });
    expect((await store.listEvents(sale.id)).at(-1)).toMatchObject({
      type: "payment.create-lost",
      source: "system",
      attemptId: attempt.id,
      fromState: "pending",
      toState: "failed",
    });
    expect(told).toEqual(["pos-1"]);
    expect(vipps.count("create ")).toBe(1);
  });

  it("an orphan whose sale already ended is only marked unknown; no display is told", async () => {
    const r = withCreates();
    const { sale, attempt } = await stuck();
    await store.transitionSale(sale.id, ["pending"], { state: "cancelled" }, { type: "test", source: "cashier" });
    clock.advance(QR_LIFETIME_MS);
    await r.reconcileAttempt(attempt.id);
    expect((await attemptOf(attempt.id)).state).toBe("CREATE_FAILED");
    expect((await saleNow(sale.id)).state).toBe("cancelled");
    expect(told).toEqual([]);
  });

  it("a create begun before this process started is an orphan at once", async () => {
    const { sale, attempt } = await stuck();
    clock.advance(1000);
    const r = withCreates();
    await r.reconcileAttempt(attempt.id);
    expect((await attemptOf(attempt.id)).state).toBe("CREATED");
    expect((await saleNow(sale.id)).state).toBe("pending");
  });
});

describe("the reconciler: housekeeping, and approvals Vipps does not show yet", () => {
  it("prunes sign-in rate-limit hits older than an hour of wall-clock time", async () => {
    const now = Date.now();
    await store.recordRateLimitHit("signin", "192.0.2.1", now - HOUR - 60_000);
    await store.recordRateLimitHit("signin", "192.0.2.1", now - 60_000);
    await reconciler().tick();
    expect(await store.countRateLimitHits("signin", "192.0.2.1", 0)).toMatchObject({ count: 1 });
  });

  it("forgets displays not seen for a day (wall-clock time)", async () => {
    const now = Date.now();
    const seen = { terminalId: "t1", kind: "link" as const, userAgent: "Kiosk", screen: "" };
    await store.recordDisplaySeen({ ...seen, displayId: "gone-display", atMs: now - 25 * HOUR }, 10);
    await store.recordDisplaySeen({ ...seen, displayId: "live-display", atMs: now - 60_000 }, 10);
    await reconciler().tick();
    expect((await store.listDisplayPresence("t1", 0)).map((p) => p.displayId)).toEqual(["live-display"]);
  });

  it("an approval Vipps' GET does not show yet is not cancelled at the QR's deadline", async () => {
    autoCapture = false;
    const { sale, attempt } = await newSale();
    clock.advance(QR_LIFETIME_MS);
    // A webhook told us of the approval a moment ago; Vipps' GET still says CREATED.
    await store.transitionSale(
      sale.id,
      ["pending"],
      { state: "authorized", updatedAt: iso(clock.now()) },
      { type: "payment.authorized", source: "webhook" },
    );
    await reconciler().reconcileAttempt(attempt.id);
    expect(vipps.count("cancel ")).toBe(0);
    expect((await saleNow(sale.id)).state).toBe("authorized");
  });
});

describe("sales whose amounts may lag behind Vipps (an attempt's recheck mark)", () => {
  /** A paid sale: approved, and captured by the reconciler's poll. */
  async function paidSale(terminalId = "pos-1") {
    const { sale, attempt } = await newSale(terminalId);
    vipps.approve(attempt.reference);
    await reconciler().reconcileAttempt(attempt.id);
    expect((await saleNow(sale.id)).state).toBe("captured");
    return { sale: await saleNow(sale.id), attempt: await attemptOf(attempt.id) };
  }

  it("a refund made at Vipps whose recording failed is picked up by the reconciler, and the attempt then leaves the open list", async () => {
    const { sale, attempt } = await paidSale();
    expect((await store.listOpenAttempts()).map((a) => a.id)).not.toContain(attempt.id);
    // Vipps refunds; the process fails before the sale's amounts are written (a kill, a locked database).
    vi.spyOn(store, "transitionSale").mockRejectedValueOnce(new Error("database is locked"));
    await expect(commands.refund(sale.id, 1000, "cashier")).rejects.toThrow();
    expect(vipps.count(`refund ${attempt.reference}`)).toBe(1);
    expect((await saleNow(sale.id)).refundedAmount).toBe(0);
    expect((await attemptOf(attempt.id)).recheckSince).toBe(iso(START));
    expect((await store.listOpenAttempts()).map((a) => a.id)).toContain(attempt.id);

    const r = reconciler();
    // Not before the refund call has had its time.
    await r.tick();
    expect(vipps.count(`get ${attempt.reference}`)).toBe(1);
    clock.advance(60_000);
    await r.tick();
    expect((await saleNow(sale.id)).refundedAmount).toBe(1000);
    expect((await attemptOf(attempt.id)).recheckSince).toBeUndefined();
    expect((await store.listOpenAttempts()).map((a) => a.id)).not.toContain(attempt.id);
  });

  it("a refund that is recorded, or that Vipps refuses, leaves no mark", async () => {
    const { sale, attempt } = await paidSale();
    await commands.refund(sale.id, 1000, "cashier");
    expect((await attemptOf(attempt.id)).recheckSince).toBeUndefined();
    vipps.fail("refund", httpError(400), 1);
    await expect(commands.refund(sale.id, 1000, "cashier")).rejects.toThrow();
    expect((await attemptOf(attempt.id)).recheckSince).toBeUndefined();
    expect((await store.listOpenAttempts()).map((a) => a.id)).not.toContain(attempt.id);
  });

  it("a refund whose answer was lost stays marked until a GET shows what happened", async () => {
    const { sale, attempt } = await paidSale();
    vipps.fail("refund", networkError(), 1);
    await expect(commands.refund(sale.id, 1000, "cashier")).rejects.toThrow();
    expect((await attemptOf(attempt.id)).recheckSince).toBeDefined();
    // The refund did happen at Vipps after all.
    vipps.set(attempt.reference, { refunded: 1000 });
    vipps.fail("get", networkError(), 1);
    clock.advance(60_000);
    const r = reconciler();
    await r.tick();
    expect((await attemptOf(attempt.id)).recheckSince).toBeDefined();
    clock.advance(60_000);
    await r.tick();
    expect((await saleNow(sale.id)).refundedAmount).toBe(1000);
    expect((await attemptOf(attempt.id)).recheckSince).toBeUndefined();
  });

  it("clearing a mark leaves a newer one in place", async () => {
    const { attempt } = await paidSale();
    await store.updateAttempt(attempt.id, { recheckSince: iso(START + 1) });
    await store.clearAttemptRecheck(attempt.id, iso(START));
    expect((await attemptOf(attempt.id)).recheckSince).toBe(iso(START + 1));
    await store.clearAttemptRecheck(attempt.id, iso(START + 1));
    expect((await attemptOf(attempt.id)).recheckSince).toBeUndefined();
  });
});
