/**
 * What a cashier or POS asks of a sale (create, new QR, cancel, capture, refund) and the money
 * moving calls behind them, on the real store with a scripted Vipps: every answer Vipps can give,
 * what is sent to it, what the sale and its audit log say afterwards.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type DomainError, StoreError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import type { PaymentGateway } from "@/lib/sales/payment-gateway";
import { buildCreatePaymentRequest, requestHash } from "@/lib/sales/payment-request";
import { QR_LIFETIME_MS } from "@/lib/sales/payment-rules";
import { REFUND_QUEUE_WAIT_MS, SaleCommands } from "@/lib/sales/sale-commands";
import type { CreateSaleInput } from "@/lib/sales/sale-input";
import { SaleTransitions } from "@/lib/sales/sale-transitions";
import { SaleViews } from "@/lib/sales/sale-views";
import type { PaymentAttempt, Sale } from "@/lib/sales/types";
import type { NewSaleEvent } from "@/lib/entities/sale";
import { FrozenClock } from "../support/frozen-clock";
import { memoryStore, TestStore } from "../support/memory-store";
import { httpError, networkError, type ScriptedVipps, scriptedVipps } from "../support/scripted-vipps";

const START = Date.parse("2026-05-01T10:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();
const PUBLIC_URL = "https://kassa.example";

/** The real store, with the few failures and races a test needs to stage. */
class StagedStore extends TestStore {
  /** How many idempotency-key lookups still miss (a concurrent request has not stored yet). */
  missKeyLookups = 0;
  /** Thrown by the next insertSale. */
  insertSaleError: unknown;
  /** Thrown by the next insertAttempt. */
  insertAttemptError: unknown;
  hideTerminal = false;
  hideAttempts = false;

  override async getSaleByIdempotencyKey(key: string) {
    if (this.missKeyLookups > 0) {
      this.missKeyLookups -= 1;
      return undefined;
    }
    return super.getSaleByIdempotencyKey(key);
  }
  override async insertSale(sale: Sale, attempt: PaymentAttempt, event: NewSaleEvent) {
    const error = this.insertSaleError;
    this.insertSaleError = undefined;
    if (error) throw error;
    return super.insertSale(sale, attempt, event);
  }
  override async insertAttempt(saleId: string, attempt: PaymentAttempt, event: NewSaleEvent) {
    const error = this.insertAttemptError;
    this.insertAttemptError = undefined;
    if (error) throw error;
    return super.insertAttempt(saleId, attempt, event);
  }
  override async getTerminal(id: string) {
    return this.hideTerminal ? undefined : super.getTerminal(id);
  }
  override async getAttempt(id: string) {
    return this.hideAttempts ? undefined : super.getAttempt(id);
  }
}

type LogLine = { level: keyof Logger; message: string; fields?: Record<string, unknown> };
function recordingLogger(lines: LogLine[]): Logger {
  const at = (level: keyof Logger) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, message, ...(fields ? { fields } : {}) });
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

let clock: FrozenClock;
let store: StagedStore;
let vipps: ScriptedVipps;
let gateway: PaymentGateway;
let transitions: SaleTransitions;
let commands: SaleCommands;
let changed: string[];
let logs: LogLine[];
let autoCapture: boolean;

function wire(publicUrl = PUBLIC_URL) {
  const log = recordingLogger(logs);
  const saleChanged = async (terminalId: string) => void changed.push(terminalId);
  transitions = new SaleTransitions({ sales: store, gateway, clock, log, saleChanged });
  const views = new SaleViews({ sales: store, clock });
  commands = new SaleCommands({
    sales: store,
    counters: store,
    settings: store,
    gateway,
    transitions,
    views,
    clock,
    log,
    publicUrl,
    autoCapture: async () => autoCapture,
    saleChanged,
  });
}

beforeEach(async () => {
  clock = new FrozenClock(START);
  store = await memoryStore(StagedStore);
  for (const id of ["pos-1", "pos-2"]) {
    await store.saveTerminal({
      id,
      name: `Counter ${id}`,
      posId: `POS-${id}`,
      language: "en",
      currency: "NOK",
      displayToken: `t-${id}`,
      createdAt: iso(START),
    });
  }
  vipps = scriptedVipps();
  gateway = vipps.gateway;
  changed = [];
  logs = [];
  autoCapture = true;
  wire();
});

afterEach(async () => {
  await store.close();
});

const INPUT: CreateSaleInput = {
  terminalId: "pos-1",
  currency: "NOK",
  lines: [
    { name: "Coffee", quantity: 2, unitPrice: 4500, taxRate: 1500 },
    { name: "Bun", quantity: 1, unitPrice: 6150, taxRate: 2500, productId: "prod_bun" },
  ],
};
const TOTAL = 2 * 4500 + 6150;

async function attemptOf(sale: Pick<Sale, "currentAttemptId">): Promise<PaymentAttempt> {
  const attempt = await store.getAttempt(sale.currentAttemptId);
  if (!attempt) throw new Error("no attempt");
  return attempt;
}

async function saleNow(id: string): Promise<Sale> {
  const sale = await store.getSale(id);
  if (!sale) throw new Error("no sale");
  return sale;
}

async function newSale(input: CreateSaleInput = INPUT): Promise<{ sale: Sale; attempt: PaymentAttempt }> {
  const { sale } = await commands.create(input, { source: "api" });
  return { sale, attempt: await attemptOf(sale) };
}

/** A sale the customer approved and we have recorded as approved (the shop captures by hand). */
async function approvedSale(): Promise<{ sale: Sale; attempt: PaymentAttempt }> {
  autoCapture = false;
  const { sale, attempt } = await newSale();
  vipps.approve(attempt.reference);
  await transitions.applySnapshot(attempt, await gateway.getPayment(attempt.reference), "poll");
  return { sale: await saleNow(sale.id), attempt: await attemptOf(sale) };
}

async function paidSale(): Promise<{ sale: Sale; attempt: PaymentAttempt }> {
  const { sale, attempt } = await approvedSale();
  const captured = await commands.capture(sale.id, "cashier");
  expect(captured.state).toBe("captured");
  return { sale: captured, attempt };
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error("expected a rejection");
}

/** Waits for the captures that approvals started without awaiting them. */
const settle = () => transitions.settled();
const events = async (saleId: string) => store.listEvents(saleId);

describe("creating a sale", () => {
  it("stores a pending sale with priced lines and its first attempt, and shows its QR", async () => {
    const { sale, replayed } = await commands.create(
      { ...INPUT, description: "  Breakfast  " },
      { source: "api", idempotencyKey: "key-1" },
    );
    expect(replayed).toBe(false);
    const attempt = await attemptOf(sale);
    expect(sale).toEqual({
      id: expect.stringMatching(/^sale_[A-Za-z0-9]{14}$/),
      terminalId: "pos-1",
      // The terminal's store; the MSN comes with it where stores are wired (salesUnitOf).
      storeId: "store-1",
      receiptNumber: "000001",
      currency: "NOK",
      amount: TOTAL,
      description: "Breakfast",
      lines: [
        { id: "1", name: "Coffee", quantity: 2, unitPrice: 4500, taxRate: 1500, totalAmount: 9000, taxAmount: 1174 },
        {
          id: "2",
          name: "Bun",
          quantity: 1,
          unitPrice: 6150,
          taxRate: 2500,
          totalAmount: 6150,
          taxAmount: 1230,
          productId: "prod_bun",
        },
      ],
      state: "pending",
      autoCapture: true,
      capturedAmount: 0,
      refundedAmount: 0,
      currentAttemptId: attempt.id,
      attemptCount: 1,
      idempotencyKey: "key-1",
      requestHash: requestHash({ ...INPUT, description: "  Breakfast  " }),
      // The receipt page's address: 144 random bits, not the sale's id.
      receiptId: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
      createdAt: iso(START),
      updatedAt: iso(START),
    });
    expect(attempt).toEqual({
      id: expect.stringMatching(/^att_/),
      saleId: sale.id,
      reference: expect.stringMatching(new RegExp(`^kd-${START.toString(36)}-[0-9a-f]{16}$`)),
      state: "CREATED",
      qrUrl: `https://qr.example/${attempt.reference}`,
      createdAt: iso(START),
      expiresAt: iso(START + QR_LIFETIME_MS),
      nextPollAt: iso(START + 5000),
      pollCount: 0,
    });
    expect(changed).toEqual(["pos-1"]);
  });

  it("sends Vipps the request built for the sale, keyed by the attempt", async () => {
    const { sale, attempt } = await newSale();
    expect(vipps.calls).toEqual([`create ${attempt.reference} create-${attempt.id}`]);
    const terminal = await store.getTerminal("pos-1");
    expect(vipps.created).toEqual([
      buildCreatePaymentRequest({
        sale,
        terminal: terminal!,
        attempt: { ...attempt, state: "CREATING" },
        publicUrl: PUBLIC_URL,
      }),
    ]);
    expect(vipps.created[0]?.returnUrl).toBe(`${PUBLIC_URL}/thanks?sale=${sale.id}`);
  });

  it("writes the creation and the QR to the audit log", async () => {
    const { sale, attempt } = await newSale();
    expect(await events(sale.id)).toMatchObject([
      {
        type: "sale.created",
        source: "api",
        toState: "pending",
        detail: { amount: TOTAL, currency: "NOK", lines: 2, reference: attempt.reference },
      },
      {
        type: "payment.created",
        source: "api",
        attemptId: attempt.id,
        detail: { reference: attempt.reference, expiresAt: attempt.expiresAt },
      },
    ]);
  });

  it("names a sale without a description after its lines, and numbers receipts in order", async () => {
    const first = await newSale({ ...INPUT, description: "   " });
    expect(first.sale.description).toBe("2 × Coffee, Bun");
    await commands.cancel(first.sale.id, "cashier");
    const second = await newSale({ ...INPUT, lines: [{ name: "Tea", quantity: 1, unitPrice: 3000, taxRate: 1500 }] });
    expect(second.sale.description).toBe("Tea");
    expect(second.sale.receiptNumber).toBe("000002");
    expect(second.sale.lines[0]).not.toHaveProperty("productId");
  });

  it("takes the shop's capture setting at creation", async () => {
    autoCapture = false;
    const { sale } = await newSale();
    expect(sale.autoCapture).toBe(false);
  });

  it("answers a retry with the same Idempotency-Key and body with the stored sale, without a second payment", async () => {
    const first = await commands.create(INPUT, { source: "api", idempotencyKey: "key-1" });
    const again = await commands.create(INPUT, { source: "api", idempotencyKey: "key-1" });
    expect(again).toEqual({ sale: first.sale, replayed: true });
    expect(vipps.count("create ")).toBe(1);
    // Without a key, the same body is a new sale (here refused: the terminal is busy).
    expect((await rejection(commands.create(INPUT, { source: "api" }))).code).toBe("terminalBusy");
  });

  it("refuses the same Idempotency-Key with another body", async () => {
    await commands.create(INPUT, { source: "api", idempotencyKey: "key-1" });
    const error = await rejection(
      commands.create({ ...INPUT, terminalId: "pos-2" }, { source: "api", idempotencyKey: "key-1" }),
    );
    expect(error).toMatchObject({
      code: "idempotencyConflict",
      detail: "This Idempotency-Key was already used for a different sale request",
      options: { errors: [{ field: "Idempotency-Key", reason: "reused with a different body" }] },
    });
    expect(await store.getActiveSale("pos-2")).toBeUndefined();
  });

  it("refuses an unknown terminal", async () => {
    const error = await rejection(commands.create({ ...INPUT, terminalId: "pos-9" }, { source: "api" }));
    expect(error).toMatchObject({
      code: "validation",
      detail: "There is no terminal with id pos-9",
      options: { errors: [{ field: "terminalId", reason: "unknown terminal" }] },
    });
    expect(vipps.calls).toEqual([]);
  });

  it("refuses a total outside what Vipps accepts, and takes one at either limit", async () => {
    const line = (unitPrice: number, quantity = 1) => ({ name: "Thing", quantity, unitPrice, taxRate: 2500 });
    const tooSmall = await rejection(commands.create({ ...INPUT, lines: [line(99)] }, { source: "api" }));
    expect(tooSmall).toMatchObject({
      code: "validation",
      detail: "The total must be between 100 and 65000000 minor units of NOK; it is 99",
      options: { errors: [{ field: "lines", reason: "total out of the range Vipps MobilePay accepts" }] },
    });
    const tooLarge = await rejection(
      commands.create({ ...INPUT, lines: [line(32_500_000, 2), line(1)] }, { source: "api" }),
    );
    expect(tooLarge).toMatchObject({ code: "validation", detail: expect.stringContaining("it is 65000001") });
    expect(vipps.calls).toEqual([]);

    const smallest = await newSale({ ...INPUT, lines: [line(100)] });
    expect(smallest.sale.amount).toBe(100);
    await commands.cancel(smallest.sale.id, "cashier");
    const largest = await newSale({ ...INPUT, lines: [line(32_500_000, 2)] });
    expect(largest.sale.amount).toBe(65_000_000);
    await commands.cancel(largest.sale.id, "cashier");
    // One cent is enough in euros.
    expect((await newSale({ terminalId: "pos-2", currency: "EUR", lines: [line(1)] })).sale.amount).toBe(1);
  });

  it("refuses a second sale on a busy terminal, naming the sale that occupies it", async () => {
    const { sale } = await newSale();
    const error = await rejection(commands.create(INPUT, { source: "api" }));
    expect(error).toMatchObject({
      code: "terminalBusy",
      detail: `Terminal pos-1 already shows sale ${sale.id}; finish or cancel it first`,
      options: { extra: { activeSaleId: sale.id } },
    });
    // Another terminal is free.
    expect((await newSale({ ...INPUT, terminalId: "pos-2" })).sale.state).toBe("pending");
  });

  it("reports a terminal taken between the check and the insert as busy", async () => {
    store.insertSaleError = new StoreError("activeSaleConflict", "taken", {
      terminalId: "pos-1",
      activeSaleId: "sale_other",
    });
    expect(await rejection(commands.create(INPUT, { source: "api" }))).toMatchObject({
      code: "terminalBusy",
      options: { extra: { activeSaleId: "sale_other" } },
    });
    store.insertSaleError = new StoreError("activeSaleConflict", "taken");
    expect(await rejection(commands.create(INPUT, { source: "api" }))).toMatchObject({
      code: "terminalBusy",
      options: { extra: { activeSaleId: "" } },
    });
  });

  it("answers the loser of two racing retries with the winner's sale", async () => {
    // The winner's sale is stored (and already over) while the loser was between its checks.
    vipps.fail("create", httpError(400), 1);
    await rejection(commands.create(INPUT, { source: "api", idempotencyKey: "key-1" }));
    const winner = (await store.getSaleByIdempotencyKey("key-1"))!;
    store.missKeyLookups = 1;
    expect(await commands.create(INPUT, { source: "api", idempotencyKey: "key-1" })).toEqual({
      sale: winner,
      replayed: true,
    });
    expect(vipps.count("create ")).toBe(1);
    // The same race with another body is a conflict, not a replay.
    store.missKeyLookups = 1;
    expect(
      (await rejection(commands.create({ ...INPUT, description: "other" }, { source: "api", idempotencyKey: "key-1" })))
        .code,
    ).toBe("idempotencyConflict");
  });

  it("answers the loser of two racing retries with the winner's sale while it is still waiting, not 409 busy", async () => {
    // Another instance stored the winner between this one's key look-up and its busy check.
    const winner = await commands.create(INPUT, { source: "api", idempotencyKey: "key-1" });
    expect(winner.sale.state).toBe("pending");
    store.missKeyLookups = 1;
    expect(await commands.create(INPUT, { source: "api", idempotencyKey: "key-1" })).toMatchObject({
      sale: { id: winner.sale.id },
      replayed: true,
    });
    expect(vipps.count("create ")).toBe(1);
    // Another key, or the same key with another body, still finds the terminal busy or the key taken.
    store.missKeyLookups = 1;
    expect((await rejection(commands.create(INPUT, { source: "api", idempotencyKey: "key-2" }))).code).toBe(
      "terminalBusy",
    );
    store.missKeyLookups = 1;
    expect(
      (await rejection(commands.create({ ...INPUT, description: "other" }, { source: "api", idempotencyKey: "key-1" })))
        .code,
    ).toBe("idempotencyConflict");
  });

  it("answers two retries of one request that arrive together with one sale", async () => {
    const [a, b] = await Promise.all([
      commands.create(INPUT, { source: "api", idempotencyKey: "key-1" }),
      commands.create(INPUT, { source: "api", idempotencyKey: "key-1" }),
    ]);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(b.sale.id).toBe(a.sale.id);
    expect(vipps.count("create ")).toBe(1);
    // Another request racing for the same terminal still finds it busy.
    store.insertSaleError = new StoreError("activeSaleConflict", "taken", { activeSaleId: a.sale.id });
    expect((await rejection(commands.create(INPUT, { source: "api", idempotencyKey: "key-2" }))).code).toBe(
      "terminalBusy",
    );
  });

  it("passes on a store failure it has no answer for", async () => {
    const duplicate = new StoreError("duplicateKey", "taken", { key: "idempotencyKey" });
    store.insertSaleError = duplicate;
    expect(await rejection(commands.create(INPUT, { source: "api" }))).toBe(duplicate);
    // A duplicate key whose winner cannot be found is passed on as well.
    store.insertSaleError = duplicate;
    store.missKeyLookups = 2;
    expect(await rejection(commands.create(INPUT, { source: "api", idempotencyKey: "key-9" }))).toBe(duplicate);
    const broken = new Error("disk full");
    store.insertSaleError = broken;
    expect(await rejection(commands.create(INPUT, { source: "api" }))).toBe(broken);
  });

  it("a 4xx from Vipps is final: the attempt is rejected and the sale failed", async () => {
    vipps.fail("create", httpError(400, "Invalid amount"));
    const error = await rejection(commands.create(INPUT, { source: "api" }));
    const sale = (await store.listSales({})).items[0]!;
    expect(error).toMatchObject({
      code: "paymentProvider",
      detail: "Vipps MobilePay did not create the payment: 400 Invalid amount",
      options: { extra: { saleId: sale.id } },
    });
    expect(sale).toMatchObject({
      state: "failed",
      failureReason: "400 Invalid amount",
      updatedAt: iso(START),
      endedAt: iso(START),
    });
    const attempt = await attemptOf(sale);
    expect(attempt).toMatchObject({ state: "REJECTED", nextPollAt: iso(START + 5000) });
    expect((await events(sale.id)).at(-1)).toMatchObject({
      type: "payment.create-failed",
      source: "api",
      attemptId: attempt.id,
      fromState: "pending",
      toState: "failed",
      detail: { error: "400 Invalid amount" },
    });
    expect(logs).toContainEqual({
      level: "warn",
      message: "Creating the Vipps payment failed",
      fields: { saleId: sale.id, reference: attempt.reference, error: "400 Invalid amount" },
    });
    expect(changed).toEqual(["pos-1"]);
    expect(await store.getActiveSale("pos-1")).toBeUndefined();
  });

  it("a 499 is still Vipps' refusal; a 500 or no answer leaves the outcome unknown", async () => {
    const outcome = async (error: unknown) => {
      vipps.fail("create", error, 1);
      const thrown = await rejection(commands.create(INPUT, { source: "api" }));
      const sale = (await store.listSales({ state: "failed" })).items[0]!;
      const attempt = await attemptOf(sale);
      await store.transitionSale(
        sale.id,
        ["failed"],
        { state: "cancelled" },
        { type: "test.cleanup", source: "system" },
      );
      return [thrown.code, attempt.state];
    };
    expect(await outcome(httpError(499))).toEqual(["paymentProvider", "REJECTED"]);
    expect(await outcome(httpError(500))).toEqual(["paymentProviderUnavailable", "CREATE_FAILED"]);
    expect(await outcome(networkError())).toEqual(["paymentProviderUnavailable", "CREATE_FAILED"]);
  });

  it("a create answered without a QR link fails the sale; the reconciler finds out what exists", async () => {
    vipps.answerCreatesWithoutQr();
    const error = await rejection(commands.create(INPUT, { source: "api" }));
    expect(error).toMatchObject({
      code: "paymentProviderUnavailable",
      detail: "Vipps MobilePay did not create the payment: Error: Vipps returned no QR URL for a QR payment",
    });
    const sale = (await store.listSales({})).items[0]!;
    expect(sale.state).toBe("failed");
    expect((await attemptOf(sale)).state).toBe("CREATE_FAILED");
  });

  it("createSale answers with the sale as clients see it, with its live QR", async () => {
    const { sale, replayed } = await commands.createSale(INPUT, { source: "api" });
    expect(replayed).toBe(false);
    const attempt = await attemptOf(await saleNow(sale.id));
    expect(sale).toMatchObject({
      state: "pending",
      reference: attempt.reference,
      amount: { value: TOTAL, currency: "NOK" },
      qr: { url: attempt.qrUrl, expiresAt: attempt.expiresAt },
    });
  });
});

describe("a new QR for a sale", () => {
  it("starts a new attempt for an expired sale and shows it", async () => {
    const { sale, attempt: first } = await newSale();
    await store.transitionSale(
      sale.id,
      ["pending"],
      { state: "expired", endedAt: iso(START) },
      { type: "payment.expired", source: "poll" },
    );
    clock.advance(60_000);
    changed.length = 0;
    const again = await commands.newQr(sale.id, "cashier");
    const second = await attemptOf(again);
    expect(second.id).not.toBe(first.id);
    expect(second.reference).not.toBe(first.reference);
    expect(again).toMatchObject({ state: "pending", attemptCount: 2, currentAttemptId: second.id });
    expect(second).toMatchObject({
      state: "CREATED",
      createdAt: iso(START + 60_000),
      expiresAt: iso(START + 60_000 + QR_LIFETIME_MS),
    });
    expect(vipps.calls.at(-1)).toBe(`create ${second.reference} create-${second.id}`);
    expect((await events(sale.id)).slice(-2)).toMatchObject([
      {
        type: "sale.new-qr",
        source: "cashier",
        attemptId: second.id,
        fromState: "expired",
        toState: "pending",
        detail: { reference: second.reference },
      },
      { type: "payment.created", source: "cashier", attemptId: second.id },
    ]);
    expect(changed).toEqual(["pos-1"]);
  });

  it("is possible after a decline, a failure or a cancel", async () => {
    for (const state of ["aborted", "failed", "cancelled"] as const) {
      const { sale } = await newSale();
      await store.transitionSale(sale.id, ["pending"], { state }, { type: "test", source: "poll" });
      const again = await commands.newQr(sale.id, "cashier");
      expect(again.state).toBe("pending");
      await commands.cancel(sale.id, "cashier");
    }
  });

  it("is refused for a sale that is open or paid", async () => {
    const { sale } = await newSale();
    expect(await rejection(commands.newQr(sale.id, "cashier"))).toMatchObject({
      code: "invalidState",
      detail: "A new QR can be made only for an expired, declined, failed or cancelled sale; this one is pending",
    });
    for (const state of ["authorized", "captured", "refunded"] as const) {
      await store.transitionSale(
        sale.id,
        ["pending", "authorized", "captured"],
        { state },
        { type: "test", source: "poll" },
      );
      expect((await rejection(commands.newQr(sale.id, "cashier"))).code).toBe("invalidState");
    }
    expect(vipps.count("create ")).toBe(1);
  });

  it("is refused while another sale occupies the terminal", async () => {
    const { sale } = await newSale();
    await commands.cancel(sale.id, "cashier");
    const other = await newSale();
    expect(await rejection(commands.newQr(sale.id, "cashier"))).toMatchObject({
      code: "terminalBusy",
      options: { extra: { activeSaleId: other.sale.id } },
    });
    store.insertAttemptError = new StoreError("activeSaleConflict", "taken");
    expect(await rejection(commands.newQr(sale.id, "cashier"))).toMatchObject({
      code: "terminalBusy",
      options: { extra: { activeSaleId: "" } },
    });
    const broken = new Error("disk full");
    store.insertAttemptError = broken;
    expect(await rejection(commands.newQr(sale.id, "cashier"))).toBe(broken);
  });

  it("names what is missing: the sale or its terminal", async () => {
    expect(await rejection(commands.newQr("sale_nope", "cashier"))).toMatchObject({
      code: "notFound",
      detail: "No sale with id sale_nope",
    });
    const { sale } = await newSale();
    await commands.cancel(sale.id, "cashier");
    store.hideTerminal = true;
    expect(await rejection(commands.newQr(sale.id, "cashier"))).toMatchObject({
      code: "notFound",
      detail: "No terminal with id pos-1",
    });
  });

  it("newQrForSale answers with the view of the new QR", async () => {
    const { sale } = await newSale();
    await commands.cancel(sale.id, "cashier");
    const view = await commands.newQrForSale(sale.id, "cashier");
    expect(view).toMatchObject({
      id: sale.id,
      state: "pending",
      attemptCount: 2,
      qr: { url: expect.stringMatching(/^https:\/\/qr\.example\//) },
    });
  });
});

describe("cancelling a sale", () => {
  it("cancels an open QR at Vipps; the sale is cancelled and the attempt knows why", async () => {
    const { sale, attempt } = await newSale();
    changed.length = 0;
    const cancelled = await commands.cancel(sale.id, "cashier");
    expect(cancelled).toMatchObject({ state: "cancelled", endedAt: iso(START) });
    expect(vipps.cancels).toEqual([{ reference: attempt.reference, idempotencyKey: `cancel-${attempt.id}` }]);
    expect(await attemptOf(sale)).toMatchObject({ state: "TERMINATED", cancelReason: "cancelled" });
    expect((await events(sale.id)).at(-1)).toMatchObject({
      type: "payment.terminated",
      source: "cashier",
      fromState: "pending",
      toState: "cancelled",
      detail: { reference: attempt.reference },
    });
    expect(changed).toEqual(["pos-1"]);
    expect(logs).toContainEqual({
      level: "info",
      message: "Sale changed",
      fields: { saleId: sale.id, from: "pending", to: "cancelled", via: "cashier" },
    });
  });

  it("releases the money of an approved sale", async () => {
    const { sale, attempt } = await approvedSale();
    const cancelled = await commands.cancel(sale.id, "cashier");
    expect(cancelled.state).toBe("cancelled");
    expect(vipps.payments.get(attempt.reference)).toMatchObject({ cancelled: TOTAL, captured: 0 });
    expect((await events(sale.id)).at(-1)).toMatchObject({
      type: "payment.released",
      detail: { reference: attempt.reference, cancelledAmount: TOTAL },
    });
  });

  it("a cancelled sale stays cancelled without asking Vipps again", async () => {
    const { sale } = await newSale();
    await commands.cancel(sale.id, "cashier");
    const calls = vipps.calls.length;
    expect((await commands.cancel(sale.id, "cashier")).state).toBe("cancelled");
    expect(vipps.calls).toHaveLength(calls);
  });

  it("refuses to cancel a sale that is over, and points a paid one to a refund", async () => {
    const { sale } = await paidSale();
    expect(await rejection(commands.cancel(sale.id, "cashier"))).toMatchObject({
      code: "invalidState",
      detail: "A captured sale cannot be cancelled. Refund it instead.",
    });
    const other = await newSale({ ...INPUT, terminalId: "pos-2" });
    await store.transitionSale(other.sale.id, ["pending"], { state: "expired" }, { type: "test", source: "poll" });
    expect(await rejection(commands.cancel(other.sale.id, "cashier"))).toMatchObject({
      code: "invalidState",
      detail: "A expired sale cannot be cancelled.",
    });
    expect(await rejection(commands.cancel("sale_nope", "cashier"))).toMatchObject({ code: "notFound" });
  });

  it("cancels locally while nothing is known to be open at Vipps", async () => {
    for (const state of ["CREATING", "CREATE_FAILED", "REJECTED"] as const) {
      const { sale, attempt } = await newSale();
      await store.updateAttempt(attempt.id, { state });
      clock.advance(1000);
      const calls = vipps.calls.length;
      const cancelled = await commands.cancel(sale.id, "cashier");
      expect(cancelled).toMatchObject({ state: "cancelled", updatedAt: iso(clock.now()), endedAt: iso(clock.now()) });
      expect(vipps.calls).toHaveLength(calls);
      expect((await events(sale.id)).at(-1)).toMatchObject({
        type: "sale.cancelled",
        source: "cashier",
        attemptId: attempt.id,
        detail: { reference: attempt.reference },
      });
    }
  });

  it("a sale without its attempt cannot be cancelled", async () => {
    const { sale } = await newSale();
    store.hideAttempts = true;
    expect(await rejection(commands.cancel(sale.id, "cashier"))).toMatchObject({
      code: "notFound",
      detail: `Sale ${sale.id} has no payment attempt`,
    });
  });

  it("when Vipps cannot be reached and the payment is still open, the cashier is told and the sale stays", async () => {
    const { sale } = await newSale();
    vipps.fail("cancel", networkError());
    expect(await rejection(commands.cancel(sale.id, "cashier"))).toMatchObject({
      code: "paymentProviderUnavailable",
      detail: "Cancel failed: TypeError: fetch failed: connection reset",
    });
    expect((await saleNow(sale.id)).state).toBe("pending");
    vipps.fail("get", networkError());
    expect((await rejection(commands.cancel(sale.id, "cashier"))).code).toBe("paymentProviderUnavailable");
    vipps.recover();
    vipps.fail("cancel", httpError(409, "Conflict"));
    expect(await rejection(commands.cancel(sale.id, "cashier"))).toMatchObject({
      code: "paymentProvider",
      detail: "Cancel failed: 409 Conflict",
    });
  });

  it("when the cancel is refused because the payment already ended, the sale follows the payment", async () => {
    const { sale, attempt } = await newSale();
    vipps.set(attempt.reference, { state: "ABORTED" });
    vipps.fail("cancel", httpError(400, "Payment is aborted"));
    const after = await commands.cancel(sale.id, "cashier");
    expect(after.state).toBe("aborted");
    expect(logs).toContainEqual({
      level: "warn",
      message: "Cancel at Vipps failed; checking the payment",
      fields: { saleId: sale.id, attemptId: attempt.id, reference: attempt.reference, error: "400 Payment is aborted" },
    });
  });

  it("when the cancel is refused because Vipps already ended the payment, Vipps' state wins", async () => {
    const { sale, attempt } = await newSale();
    // Vipps has already expired it and we have recorded that (for the attempt only).
    vipps.set(attempt.reference, { state: "EXPIRED" });
    vipps.fail("cancel", httpError(400, "Payment is expired"));
    await store.updateAttempt(attempt.id, { state: "EXPIRED" });
    await store.transitionSale(sale.id, ["pending"], { state: "authorized" }, { type: "test", source: "poll" });
    const after = await commands.cancel(sale.id, "cashier");
    expect(after).toEqual(await saleNow(sale.id));
    // Our "authorized" was contradicted by Vipps' own GET: the sale ends as Vipps says.
    expect(after.state).toBe("expired");
  });

  it("cancelSale answers with the view of the cancelled sale", async () => {
    const { sale } = await newSale();
    expect(await commands.cancelSale(sale.id, "cashier")).toMatchObject({ id: sale.id, state: "cancelled", qr: null });
  });
});

describe("capturing a sale", () => {
  it("captures the whole amount of an approved sale once, keyed by the sale", async () => {
    const { sale, attempt } = await approvedSale();
    const captured = await commands.capture(sale.id, "cashier");
    expect(captured).toMatchObject({ state: "captured", capturedAmount: TOTAL, refundedAmount: 0 });
    expect(vipps.modifications).toEqual([
      {
        operation: "capture",
        reference: attempt.reference,
        amount: { value: TOTAL, currency: "NOK" },
        idempotencyKey: `capture-${sale.id}`,
      },
    ]);
    expect((await events(sale.id)).at(-1)).toMatchObject({
      type: "payment.captured",
      source: "cashier",
      detail: { reference: attempt.reference, capturedAmount: TOTAL, refundedAmount: 0 },
    });
  });

  it("two instances capturing at once both answer the captured sale: the loser of the race re-reads it", async () => {
    const { sale } = await approvedSale();
    const first = commands;
    wire(); // a second instance on the same store, with its own per-process sale lock
    const second = commands;
    const answers = await Promise.all([
      first.capture(sale.id, "api"),
      second.capture(sale.id, "api"),
      first.capture(sale.id, "api"),
      second.capture(sale.id, "api"),
    ]);
    for (const answer of answers) expect(answer).toMatchObject({ state: "captured", capturedAmount: TOTAL });
    expect((await events(sale.id)).filter((event) => event.type === "payment.captured")).toHaveLength(1);
  });

  it("a paid sale is answered as it is, without a call", async () => {
    const { sale } = await paidSale();
    const calls = vipps.calls.length;
    expect(await commands.capture(sale.id, "cashier")).toEqual(await saleNow(sale.id));
    await store.transitionSale(sale.id, ["captured"], { state: "refunded" }, { type: "test", source: "poll" });
    expect((await commands.capture(sale.id, "cashier")).state).toBe("refunded");
    expect(vipps.calls).toHaveLength(calls);
  });

  it("refuses a sale that is not approved", async () => {
    const { sale } = await newSale();
    expect(await rejection(commands.capture(sale.id, "cashier"))).toMatchObject({
      code: "invalidState",
      detail: "Only an approved sale can be captured; this one is pending",
    });
    expect(vipps.count("capture ")).toBe(0);
  });

  it("a failed capture is logged, recorded and reported, and the sale stays approved", async () => {
    const { sale, attempt } = await approvedSale();
    vipps.fail("capture", httpError(502, "Bad gateway"), 1);
    expect(await rejection(commands.capture(sale.id, "cashier"))).toMatchObject({
      code: "paymentProvider",
      detail: "Capture failed: 502 Bad gateway",
    });
    expect((await saleNow(sale.id)).state).toBe("authorized");
    expect((await events(sale.id)).at(-1)).toMatchObject({
      type: "payment.capture-failed",
      source: "cashier",
      attemptId: attempt.id,
      detail: { error: "502 Bad gateway" },
    });
    expect(logs).toContainEqual({
      level: "warn",
      message: "Capture failed; the reconciler retries",
      fields: { saleId: sale.id, error: "502 Bad gateway" },
    });
    vipps.fail("capture", networkError(), 1);
    expect((await rejection(commands.capture(sale.id, "cashier"))).code).toBe("paymentProviderUnavailable");
    // The retry uses the same key, so Vipps captures once however often it is asked.
    expect((await commands.capture(sale.id, "cashier")).state).toBe("captured");
    expect(new Set(vipps.modifications.map((m) => m.idempotencyKey))).toEqual(new Set([`capture-${sale.id}`]));
  });

  it("captureSale answers with the view of the paid sale", async () => {
    const { sale } = await approvedSale();
    expect(await commands.captureSale(sale.id, "cashier")).toMatchObject({
      id: sale.id,
      state: "captured",
      capturedAmount: { value: TOTAL, currency: "NOK" },
    });
  });
});

describe("refunding a sale", () => {
  it("refunds everything by default; the sale is then refunded", async () => {
    const { sale, attempt } = await paidSale();
    clock.advance(5000);
    const refunded = await commands.refund(sale.id, undefined, "cashier");
    expect(refunded).toMatchObject({ state: "refunded", refundedAmount: TOTAL, updatedAt: iso(START + 5000) });
    const [refund] = await store.listRefunds(sale.id);
    expect(refund).toMatchObject({
      id: expect.stringMatching(/^rf_[A-Za-z0-9]{14}$/),
      amount: TOTAL,
      state: "done",
      createdAt: iso(START + 5000),
    });
    expect(vipps.modifications.at(-1)).toEqual({
      operation: "refund",
      reference: attempt.reference,
      amount: { value: TOTAL, currency: "NOK" },
      idempotencyKey: `refund-${refund!.id}`,
    });
    expect((await events(sale.id)).at(-1)).toMatchObject({
      type: "payment.refunded",
      source: "cashier",
      attemptId: attempt.id,
      fromState: "captured",
      toState: "refunded",
      detail: { amount: TOTAL, refundedAmount: TOTAL },
    });
  });

  it("a partial refund keeps the sale captured; refunding the rest makes it refunded", async () => {
    const { sale } = await paidSale();
    expect(await commands.refund(sale.id, 1000, "cashier")).toMatchObject({ state: "captured", refundedAmount: 1000 });
    expect(await commands.refund(sale.id, TOTAL - 1000, "cashier")).toMatchObject({
      state: "refunded",
      refundedAmount: TOTAL,
    });
    expect((await store.listRefunds(sale.id)).map((r) => r.amount).sort()).toEqual([1000, TOTAL - 1000].sort());
  });

  it("refuses more than is left, and nothing at all", async () => {
    const { sale } = await paidSale();
    await commands.refund(sale.id, 1000, "cashier");
    const left = TOTAL - 1000;
    expect(await rejection(commands.refund(sale.id, left + 1, "cashier"))).toMatchObject({
      code: "refundTooLarge",
      detail: `At most ${left} minor units of NOK can be refunded; asked for ${left + 1}`,
      options: { errors: [{ field: "amount", reason: `must be between 1 and ${left}` }], extra: { refundable: left } },
    });
    expect((await rejection(commands.refund(sale.id, 0, "cashier"))).code).toBe("refundTooLarge");
    expect((await rejection(commands.refund(sale.id, -5, "cashier"))).code).toBe("refundTooLarge");
    // Exactly what is left is fine.
    expect((await commands.refund(sale.id, left, "cashier")).state).toBe("refunded");
    // And then nothing is left.
    expect((await rejection(commands.refund(sale.id, undefined, "cashier"))).code).toBe("refundTooLarge");
    expect(await store.listRefunds(sale.id)).toHaveLength(2);
  });

  it("refuses a sale that was never paid", async () => {
    const { sale } = await approvedSale();
    expect(await rejection(commands.refund(sale.id, 100, "cashier"))).toMatchObject({
      code: "invalidState",
      detail: "Only a paid sale can be refunded; this one is authorized",
    });
    expect(await store.listRefunds(sale.id)).toEqual([]);
  });

  it("a refund retried with its Idempotency-Key is done once", async () => {
    const { sale } = await paidSale();
    const first = await commands.refund(sale.id, 1000, "api", "refund-key");
    const again = await commands.refund(sale.id, 1000, "api", "refund-key");
    const withoutAmount = await commands.refund(sale.id, undefined, "api", "refund-key");
    expect(again).toEqual(first);
    expect(withoutAmount).toEqual(first);
    expect(vipps.count("refund ")).toBe(1);
    const [refund] = await store.listRefunds(sale.id);
    expect(refund?.id).toMatch(/^rf_[0-9a-f]{24}$/);
    expect(await rejection(commands.refund(sale.id, 2000, "api", "refund-key"))).toMatchObject({
      code: "idempotencyConflict",
      detail: "This Idempotency-Key was already used for a refund of another amount",
    });
    // The key is the sale's: the same key on another sale is another refund.
    const other = await paidSaleOn("pos-2");
    await commands.refund(other.id, 1000, "api", "refund-key");
    expect(vipps.count("refund ")).toBe(2);
    expect((await store.listRefunds(other.id))[0]?.id).not.toBe(refund?.id);
  });

  it("a refund Vipps refused is marked failed and reported; the sale is unchanged", async () => {
    const { sale, attempt } = await paidSale();
    vipps.fail("refund", httpError(400, "Too much"), 1);
    expect(await rejection(commands.refund(sale.id, 1000, "cashier", "k1"))).toMatchObject({
      code: "paymentProvider",
      detail: "Refund failed: 400 Too much",
    });
    expect((await store.listRefunds(sale.id))[0]).toMatchObject({ amount: 1000, state: "failed" });
    expect((await events(sale.id)).at(-1)).toMatchObject({
      type: "payment.refund-failed",
      source: "cashier",
      attemptId: attempt.id,
      detail: { amount: 1000, error: "400 Too much" },
    });
    expect(await saleNow(sale.id)).toMatchObject({ state: "captured", refundedAmount: 0 });
  });

  it("a refund without an answer stays pending, and its retry sends the same amount under the same key", async () => {
    const { sale } = await paidSale();
    vipps.fail("refund", httpError(500, "Oops"), 1);
    expect(await rejection(commands.refund(sale.id, 1000, "api", "k1"))).toMatchObject({
      code: "paymentProvider",
      detail: "Refund failed: 500 Oops",
    });
    expect((await store.listRefunds(sale.id))[0]).toMatchObject({ amount: 1000, state: "pending" });
    vipps.fail("refund", networkError(), 1);
    expect((await rejection(commands.refund(sale.id, 1000, "api", "k1"))).code).toBe("paymentProviderUnavailable");
    expect((await store.listRefunds(sale.id))[0]?.state).toBe("pending");
    const done = await commands.refund(sale.id, undefined, "api", "k1");
    expect(done).toMatchObject({ state: "captured", refundedAmount: 1000 });
    const keys = vipps.modifications
      .filter((m) => m.operation === "refund")
      .map((m) => `${m.amount.value} ${m.idempotencyKey}`);
    expect(new Set(keys).size).toBe(1);
    expect(await store.listRefunds(sale.id)).toHaveLength(1);
  });

  it("a sale without its attempt cannot be refunded", async () => {
    const { sale } = await paidSale();
    store.hideAttempts = true;
    expect(await rejection(commands.refund(sale.id, 100, "cashier"))).toMatchObject({
      code: "notFound",
      detail: `Sale ${sale.id} has no payment attempt`,
    });
    expect(await rejection(commands.refund("sale_nope", 100, "cashier"))).toMatchObject({ code: "notFound" });
  });

  it("a refund Vipps turned away with 429 answers 429 with its Retry-After, is marked failed and never carried out later", async () => {
    const { sale } = await paidSale();
    vipps.fail("refund", Object.assign(httpError(429, "Too many requests"), { retryAfterMs: 2500 }), 1);
    expect(await rejection(commands.refund(sale.id, 1000, "api", "k1"))).toMatchObject({
      code: "paymentProviderRateLimited",
      options: { retryAfterSeconds: 3 },
    });
    expect((await store.listRefunds(sale.id))[0]).toMatchObject({ amount: 1000, state: "failed" });
    expect(await saleNow(sale.id)).toMatchObject({ refundedAmount: 0 });
  });

  it("parallel refunds of one sale do not queue behind a slow one: they answer 409 with Retry-After and never move money later", async () => {
    const { sale } = await paidSale();
    // Vipps holds the first refund (a 429 storm, a slow network) until the test lets it go.
    let letGo: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    const refundPayment = gateway.refundPayment.bind(gateway);
    gateway = {
      ...gateway,
      refundPayment: async (...args) => {
        await held;
        return refundPayment(...args);
      },
    };
    wire();
    const first = commands.refund(sale.id, 1000, "api", "first");
    const started = Date.now();
    const others = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => commands.refund(sale.id, 100, "api", `other-${i}`)),
    );
    const waited = Date.now() - started;
    for (const outcome of others) {
      expect(outcome.status).toBe("rejected");
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({
        code: "saleBusy",
        options: { retryAfterSeconds: 1 },
      });
    }
    expect(waited).toBeLessThan(REFUND_QUEUE_WAIT_MS + 1500);
    letGo();
    expect(await first).toMatchObject({ refundedAmount: 1000 });
    // Work queued on the sale behind everything asked for so far: once it runs, all of that has had its turn.
    await transitions.withSaleLock(sale.id, async () => undefined);
    // Only the first refund ever reached Vipps, and only it is on record.
    expect(vipps.modifications.filter((m) => m.operation === "refund").map((m) => m.amount.value)).toEqual([1000]);
    expect(await store.listRefunds(sale.id)).toHaveLength(1);
    // The sale is free again: the next refund goes through at once.
    expect(await commands.refund(sale.id, 100, "api", "other-0")).toMatchObject({ refundedAmount: 1100 });
  });

  it("refundSale answers with the view of the refunded sale", async () => {
    const { sale } = await paidSale();
    expect(await commands.refundSale(sale.id, 500, "cashier", "k")).toMatchObject({
      id: sale.id,
      state: "captured",
      refundedAmount: { value: 500, currency: "NOK" },
    });
  });
});

async function paidSaleOn(terminalId: string): Promise<Sale> {
  autoCapture = false;
  const { sale, attempt } = await newSale({ ...INPUT, terminalId });
  vipps.approve(attempt.reference);
  await transitions.applySnapshot(attempt, await gateway.getPayment(attempt.reference), "poll");
  return commands.capture(sale.id, "cashier");
}

describe("sale transitions", () => {
  it("work on one sale runs one piece at a time, and a failure does not block the next", async () => {
    const order: string[] = [];
    const step =
      (name: string, ms: number, fail = false) =>
      async () => {
        order.push(`${name} start`);
        // Work that takes time, so that pieces would overlap were it not for the lock.
        await new Promise((resolve) => setTimeout(resolve, ms));
        order.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      transitions.withSaleLock("sale_1", step("a", 20, true)),
      transitions.withSaleLock("sale_1", step("b", 1)),
      transitions.withSaleLock("sale_2", step("c", 1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(order.indexOf("b start")).toBeGreaterThan(order.indexOf("a end"));
    // Another sale does not wait.
    expect(order.indexOf("c end")).toBeLessThan(order.indexOf("a end"));
    // And once all is done, new work starts at once.
    expect(await transitions.withSaleLock("sale_1", async () => "d")).toBe("d");
  });

  it("a transition whose guard fails changes nothing and tells no display", async () => {
    const { sale } = await newSale();
    changed.length = 0;
    expect(
      await transitions.transition(sale, ["authorized"], { state: "captured" }, { type: "test", source: "poll" }),
    ).toBeUndefined();
    expect(changed).toEqual([]);
    expect(logs.filter((l) => l.message === "Sale changed")).toEqual([]);
    const moved = await transitions.transition(
      sale,
      ["pending"],
      { state: "aborted" },
      { type: "test", source: "poll" },
    );
    expect(moved?.state).toBe("aborted");
    expect(changed).toEqual(["pos-1"]);
  });

  it("a snapshot of a sale we do not have changes nothing", async () => {
    const { attempt } = await newSale();
    expect(
      await transitions.applySnapshot(
        { ...attempt, saleId: "sale_nope" },
        await gateway.getPayment(attempt.reference),
        "poll",
      ),
    ).toBeUndefined();
  });

  it("records the attempt's new state even when the sale does not change", async () => {
    const { sale, attempt } = await newSale();
    await store.transitionSale(sale.id, ["pending"], { state: "aborted" }, { type: "test", source: "poll" });
    vipps.set(attempt.reference, { state: "ABORTED" });
    expect(
      await transitions.applySnapshot(attempt, await gateway.getPayment(attempt.reference), "poll"),
    ).toBeUndefined();
    expect((await attemptOf(sale)).state).toBe("ABORTED");
  });

  it("an approval is captured right away when the shop auto-captures, not when it does not", async () => {
    const { sale, attempt } = await newSale();
    vipps.approve(attempt.reference);
    const applied = await transitions.applySnapshot(attempt, await gateway.getPayment(attempt.reference), "webhook");
    // The approval is answered at once; the capture follows.
    expect(applied?.state).toBe("authorized");
    await settle();
    expect((await saleNow(sale.id)).state).toBe("captured");
    expect((await events(sale.id)).at(-1)).toMatchObject({ type: "payment.captured", source: "webhook" });

    const manual = await approvedSale();
    await settle();
    expect((await saleNow(manual.sale.id)).state).toBe("authorized");
    expect(vipps.count(`capture ${manual.attempt.reference}`)).toBe(0);
  });

  it("a repeated approval of an approved sale that auto-captures retries the capture", async () => {
    const { sale, attempt } = await approvedSale();
    await store.transitionSale(sale.id, ["authorized"], { autoCapture: true }, { type: "test", source: "poll" });
    expect(
      await transitions.applySnapshot(await attemptOf(sale), await gateway.getPayment(attempt.reference), "poll"),
    ).toBeUndefined();
    await settle();
    expect((await saleNow(sale.id)).state).toBe("captured");
  });

  it("a background capture that fails is left to the reconciler", async () => {
    const { sale, attempt } = await newSale();
    vipps.approve(attempt.reference);
    vipps.fail("capture", networkError());
    await transitions.applySnapshot(attempt, await gateway.getPayment(attempt.reference), "webhook");
    await settle();
    expect((await saleNow(sale.id)).state).toBe("authorized");
    expect((await events(sale.id)).at(-1)?.type).toBe("payment.capture-failed");
  });

  it("capture does nothing for a sale that is not approved, or that it cannot find", async () => {
    const { sale } = await newSale({ ...INPUT, terminalId: "pos-2" });
    expect(await transitions.capture(sale.id, "poll")).toEqual(await saleNow(sale.id));
    expect(await transitions.capture("sale_nope", "poll")).toBeUndefined();
    const approved = await approvedSale();
    store.hideAttempts = true;
    expect(await transitions.capture(approved.sale.id, "poll")).toEqual(approved.sale);
    expect(vipps.count("capture ")).toBe(0);
  });

  it("a late approval of a replaced attempt is released at Vipps, and the sale is left as it is", async () => {
    const { sale, attempt: first } = await newSale();
    // We took the first QR for expired (Vipps said so) and the cashier made a new one.
    await store.transitionSale(sale.id, ["pending"], { state: "expired" }, { type: "payment.expired", source: "poll" });
    await commands.newQr(sale.id, "cashier");
    // Now the first payment's approval turns up after all.
    vipps.approve(first.reference);
    const current = await saleNow(sale.id);
    const returned = await transitions.applySnapshot(
      await attemptOf({ currentAttemptId: first.id }),
      await gateway.getPayment(first.reference),
      "webhook",
    );
    expect(returned).toEqual(current);
    expect(vipps.cancels.at(-1)).toEqual({ reference: first.reference, idempotencyKey: `cancel-${first.id}` });
    expect(await store.getAttempt(first.id)).toMatchObject({ cancelReason: "superseded" });
    expect(vipps.payments.get(first.reference)?.cancelled).toBe(TOTAL);
    expect((await saleNow(sale.id)).state).toBe("pending");
  });

  it("an expiry cancel asks Vipps to cancel only an unapproved payment; a last-second approval wins", async () => {
    const { sale, attempt } = await newSale();
    vipps.approve(attempt.reference);
    const after = await transitions.cancelAtVipps(attempt, "expired", "system");
    expect(vipps.cancels).toEqual([
      { reference: attempt.reference, idempotencyKey: `cancel-${attempt.id}`, cancelTransactionOnly: true },
    ]);
    expect(after?.state).toBe("authorized");
    expect(vipps.payments.get(attempt.reference)?.cancelled).toBe(0);
    await settle();
    expect((await saleNow(sale.id)).state).toBe("captured");
  });

  it("an expiry cancel of an unapproved payment expires the sale", async () => {
    const { sale, attempt } = await newSale();
    const after = await transitions.cancelAtVipps(attempt, "expired", "system");
    expect(after).toMatchObject({ state: "expired" });
    expect((await attemptOf(sale)).cancelReason).toBe("expired");
  });

  it("a failed cancel that nobody waits for is left to the reconciler", async () => {
    const { sale, attempt } = await newSale();
    vipps.fail("cancel", networkError());
    expect(await transitions.cancelAtVipps(attempt, "expired", "system")).toBeUndefined();
    vipps.fail("get", networkError());
    expect(await transitions.cancelAtVipps(attempt, "expired", "system")).toBeUndefined();
    expect((await saleNow(sale.id)).state).toBe("pending");
    // The reason is recorded before the call, so a TERMINATED that comes later maps to expired.
    expect((await attemptOf(sale)).cancelReason).toBe("expired");
  });
});

describe("sale commands: receipt numbers, slow creates and races", () => {
  const until = async (condition: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await condition()); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  it("numbers receipts on from the stored counter, and a refused sale takes no number", async () => {
    for (let i = 0; i < 41; i++) await store.nextSequence("receipt");
    const first = await newSale();
    expect(first.sale.receiptNumber).toBe("000042");
    expect((await rejection(commands.create(INPUT, { source: "api" }))).code).toBe("terminalBusy");
    await commands.cancel(first.sale.id, "cashier");
    expect((await newSale()).sale.receiptNumber).toBe("000043");
  });

  it("an error status below 400 is no refusal: the outcome stays unknown", async () => {
    vipps.fail("create", httpError(302, "Found"), 1);
    expect((await rejection(commands.create(INPUT, { source: "api" }))).code).toBe("paymentProviderUnavailable");
    const sale = (await store.listSales({})).items[0]!;
    expect((await attemptOf(sale)).state).toBe("CREATE_FAILED");
  });

  it("a cancel while the create call is still out cancels here and asks Vipps nothing", async () => {
    let answer: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      answer = resolve;
    });
    gateway = {
      ...vipps.gateway,
      createPayment: async (body, options) => {
        await slow;
        return vipps.gateway.createPayment(body, options);
      },
    };
    wire();
    const creating = commands.create(INPUT, { source: "api" }).catch((error: unknown) => error);
    await until(async () => (await store.listSales({})).items.length === 1);
    const sale = (await store.listSales({})).items[0]!;
    expect((await attemptOf(sale)).state).toBe("CREATING");
    expect((await commands.cancel(sale.id, "cashier")).state).toBe("cancelled");
    expect(vipps.count("cancel ")).toBe(0);
    expect((await events(sale.id)).at(-1)).toMatchObject({ type: "sale.cancelled", source: "cashier" });
    answer();
    await creating;
  });

  it("a store failure is passed on even when a sale with the key has turned up meanwhile", async () => {
    vipps.fail("create", httpError(400), 1);
    await rejection(commands.create(INPUT, { source: "api", idempotencyKey: "key-1" }));
    const broken = new Error("disk full");
    store.insertSaleError = broken;
    store.missKeyLookups = 1;
    expect(await rejection(commands.create(INPUT, { source: "api", idempotencyKey: "key-1" }))).toBe(broken);
  });

  it("a refund is recorded even when another instance marked the sale refunded while Vipps answered", async () => {
    const { sale } = await paidSale();
    gateway = {
      ...vipps.gateway,
      refundPayment: async (reference, body, options) => {
        const result = await vipps.gateway.refundPayment(reference, body, options);
        // Another instance applied Vipps' REFUNDED webhook before our answer arrived.
        await store.transitionSale(
          sale.id,
          ["captured"],
          { state: "refunded", refundedAmount: result.aggregate.refundedAmount.value },
          { type: "payment.captured", source: "webhook" },
        );
        return result;
      },
    };
    wire();
    expect(await commands.refund(sale.id, undefined, "cashier")).toMatchObject({
      state: "refunded",
      refundedAmount: TOTAL,
    });
    expect((await events(sale.id)).at(-1)).toMatchObject({
      type: "payment.refunded",
      fromState: "refunded",
      toState: "refunded",
    });
  });

  it("only an approval starts a capture: an older answer about an approved sale does not", async () => {
    const { sale, attempt } = await approvedSale();
    await store.transitionSale(sale.id, ["authorized"], { autoCapture: true }, { type: "test", source: "poll" });
    const zero = { value: 0, currency: "NOK" };
    const before = {
      reference: attempt.reference,
      state: "CREATED" as const,
      aggregate: { authorizedAmount: zero, capturedAmount: zero, refundedAmount: zero, cancelledAmount: zero },
    };
    await transitions.applySnapshot(await attemptOf(sale), before, "poll");
    await settle();
    expect(vipps.count("capture ")).toBe(0);
  });

  it("a sale's lock is held until its queued work is done, and then forgotten", async () => {
    const order: string[] = [];
    const step = (name: string, ms: number) => async () => {
      order.push(`${name} start`);
      // Work that takes time, so that pieces would overlap were it not for the lock.
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`${name} end`);
    };
    const a = transitions.withSaleLock("sale_1", step("a", 10));
    const b = transitions.withSaleLock("sale_1", step("b", 30));
    await a;
    // b is running now; work asked for now waits for it.
    const c = transitions.withSaleLock("sale_1", step("c", 1));
    await Promise.all([b, c]);
    expect(order.indexOf("c start")).toBeGreaterThan(order.indexOf("b end"));
    await transitions
      .withSaleLock("sale_2", async () => {
        throw new Error("failed work");
      })
      .catch(() => undefined);
    // Nothing is kept per sale once its work is done.
    expect((Reflect.get(transitions, "locks") as Map<string, unknown>).size).toBe(0);
  });
});

describe("resuming a create whose process died", () => {
  /** An attempt left CREATING, as a process killed mid-create leaves it. */
  async function orphan(terminalId = "pos-1") {
    const { sale, attempt } = await newSale({ ...INPUT, terminalId });
    await store.updateAttempt(attempt.id, { state: "CREATING" });
    return { sale, attempt };
  }

  it("makes the same create again under the attempt's key, and the QR shows", async () => {
    const { sale, attempt } = await orphan();
    await commands.resumeCreate(attempt.id, "system");
    expect(vipps.calls.filter((c) => c.startsWith("create "))).toEqual([
      `create ${attempt.reference} create-${attempt.id}`,
      `create ${attempt.reference} create-${attempt.id}`,
    ]);
    expect((await attemptOf(sale)).state).toBe("CREATED");
    expect((await events(sale.id)).at(-1)).toMatchObject({
      type: "payment.created",
      source: "system",
      attemptId: attempt.id,
    });
  });

  it("leaves alone what is not an orphaned create", async () => {
    await commands.resumeCreate("att_nope", "system");
    const { sale, attempt } = await newSale();
    await commands.resumeCreate(attempt.id, "system");
    expect((await attemptOf(sale)).state).toBe("CREATED");
    // An attempt whose sale is gone.
    await store.updateAttempt(attempt.id, { state: "CREATING" });
    const getSale = store.getSale;
    store.getSale = async () => undefined;
    try {
      await commands.resumeCreate(attempt.id, "system");
    } finally {
      store.getSale = getSale;
    }
    expect((await attemptOf(sale)).state).toBe("CREATING");
    expect(vipps.count("create ")).toBe(1);
  });

  it("marks the outcome unknown, without a call, when its sale has moved on or its terminal is gone", async () => {
    const ended = await orphan("pos-1");
    await store.transitionSale(ended.sale.id, ["pending"], { state: "cancelled" }, { type: "test", source: "cashier" });
    await commands.resumeCreate(ended.attempt.id, "system");
    expect((await attemptOf(ended.sale)).state).toBe("CREATE_FAILED");

    const homeless = await orphan("pos-2");
    store.hideTerminal = true;
    await commands.resumeCreate(homeless.attempt.id, "system");
    store.hideTerminal = false;
    expect((await attemptOf(homeless.sale)).state).toBe("CREATE_FAILED");

    // A replaced attempt: the sale shows another QR now.
    const replaced = await newSale({ ...INPUT, terminalId: "pos-1" });
    await store.transitionSale(replaced.sale.id, ["pending"], { state: "expired" }, { type: "test", source: "poll" });
    await commands.newQr(replaced.sale.id, "cashier");
    await store.updateAttempt(replaced.attempt.id, { state: "CREATING" });
    await commands.resumeCreate(replaced.attempt.id, "system");
    expect((await store.getAttempt(replaced.attempt.id))?.state).toBe("CREATE_FAILED");

    const creates = vipps.calls.filter((c) => c.startsWith("create "));
    expect(
      creates.filter(
        (c) =>
          c.includes(ended.attempt.reference) ||
          c.includes(homeless.attempt.reference) ||
          c.includes(replaced.attempt.reference),
      ),
    ).toHaveLength(3);
  });

  it("knows which creates this process is waiting for", async () => {
    let answer: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      answer = resolve;
    });
    gateway = {
      ...vipps.gateway,
      createPayment: async (body, options) => {
        await slow;
        return vipps.gateway.createPayment(body, options);
      },
    };
    wire();
    const creating = commands.create(INPUT, { source: "api" });
    let attemptId = "";
    for (let i = 0; i < 200 && !attemptId; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      attemptId = (await store.listSales({})).items[0]?.currentAttemptId ?? "";
    }
    expect(commands.isCreating(attemptId)).toBe(true);
    expect(commands.isCreating("att_other")).toBe(false);
    answer();
    await creating;
    expect(commands.isCreating(attemptId)).toBe(false);
  });
});

describe("sale commands: answers Vipps does not back up", () => {
  it("a capture Vipps answers without capturing is refused, naming the state the sale is left in", async () => {
    const { sale } = await approvedSale();
    gateway = { ...vipps.gateway, capturePayment: async (reference) => vipps.gateway.getPayment(reference) };
    wire();
    expect(await rejection(commands.capture(sale.id, "cashier"))).toMatchObject({
      code: "paymentProvider",
      detail: "Vipps MobilePay did not confirm the capture; the sale is authorized.",
    });
  });

  it("a cancel Vipps answers without ending the payment is refused, asking the cashier to try again", async () => {
    const { sale } = await newSale();
    gateway = { ...vipps.gateway, cancelPayment: async (reference) => vipps.gateway.getPayment(reference) };
    wire();
    expect(await rejection(commands.cancel(sale.id, "cashier"))).toMatchObject({
      code: "paymentProvider",
      detail: "Vipps MobilePay did not confirm the cancel; the sale is still pending. Try again.",
    });
  });
});

describe("refunds and cancels after lost answers (found by the chaos soak)", () => {
  it("a refund whose answer was lost is replayed under its key even when later refunds used up the count", async () => {
    autoCapture = true;
    const { sale, attempt } = await newSale();
    vipps.approve(attempt.reference);
    await transitions.applySnapshot(attempt, await gateway.getPayment(attempt.reference), "poll");
    await settle();
    const paid = await saleNow(sale.id);
    expect(paid.state).toBe("captured");
    // Refund A reaches Vipps, but its answer is lost. Vipps answers a key it has seen with what it did then.
    const refundPayment = gateway.refundPayment.bind(gateway);
    const done = new Set<string>();
    let loseNext = true;
    gateway = {
      ...gateway,
      refundPayment: async (reference, body, options) => {
        const result = done.has(options.idempotencyKey)
          ? await gateway.getPayment(reference)
          : await refundPayment(reference, body, options);
        done.add(options.idempotencyKey);
        if (loseNext) {
          loseNext = false;
          throw new TypeError("fetch failed: answer lost");
        }
        return result;
      },
    };
    wire();
    await expect(commands.refund(sale.id, TOTAL - 1000, "api", "key-a")).rejects.toMatchObject({
      code: "paymentProviderUnavailable",
    });
    // Refund B goes through; Vipps' total now counts A as well.
    expect(await commands.refund(sale.id, 1000, "api", "key-b")).toMatchObject({
      refundedAmount: TOTAL,
      state: "refunded",
    });
    // A's retry under its key is answered, not refused as too large, and no money moves twice.
    expect(await commands.refund(sale.id, TOTAL - 1000, "api", "key-a")).toMatchObject({ refundedAmount: TOTAL });
    expect((await store.listRefunds(sale.id)).map((refund) => refund.state).sort()).toEqual(["done", "done"]);
  });

  it("a refund replayed under its key after later refunds keeps the count Vipps answered for them (a replay answers with the totals of its day)", async () => {
    const { sale, attempt } = await newSale();
    vipps.approve(attempt.reference);
    await transitions.applySnapshot(attempt, await gateway.getPayment(attempt.reference), "poll");
    await settle();
    // Vipps answers a key it has seen with the answer it gave then, as the real API does.
    const refundPayment = gateway.refundPayment.bind(gateway);
    const answers = new Map<string, Awaited<ReturnType<typeof refundPayment>>>();
    let loseNext = true;
    gateway = {
      ...gateway,
      refundPayment: async (reference, body, options) => {
        const answer = answers.get(options.idempotencyKey) ?? (await refundPayment(reference, body, options));
        answers.set(options.idempotencyKey, answer);
        if (loseNext) {
          loseNext = false;
          throw new TypeError("fetch failed: answer lost");
        }
        return answer;
      },
    };
    wire();
    await expect(commands.refund(sale.id, 1000, "api", "key-a")).rejects.toMatchObject({
      code: "paymentProviderUnavailable",
    });
    expect(await commands.refund(sale.id, 2000, "api", "key-b")).toMatchObject({ refundedAmount: 3000 });
    // A's retry is answered "refunded 1000 in all", as it was when A was made.
    expect(await commands.refund(sale.id, 1000, "api", "key-a")).toMatchObject({
      refundedAmount: 3000,
      state: "captured",
    });
    expect((await saleNow(sale.id)).refundedAmount).toBe(3000);
  });

  /** A sale whose create call Vipps has carried out but not yet answered, until release(). */
  async function createHeldAtVipps() {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const createPayment = gateway.createPayment.bind(gateway);
    gateway = {
      ...gateway,
      createPayment: async (body, options) => {
        const answer = await createPayment(body, options);
        await held;
        return answer;
      },
    };
    wire();
    const creating = commands.create(INPUT, { source: "api" });
    // The sale is stored before the create call, which Vipps has now carried out.
    await vi.waitFor(() => expect(vipps.count("create ")).toBe(1));
    const sale = (await store.listSales({ terminalId: "pos-1" })).items[0]!;
    return { creating, sale, release };
  }

  it("a sale cancelled while Vipps was creating its payment: the payment is cancelled at Vipps once it exists", async () => {
    const { creating, sale, release } = await createHeldAtVipps();
    expect((await attemptOf(sale)).state).toBe("CREATING");
    expect(await commands.cancel(sale.id, "cashier")).toMatchObject({ state: "cancelled" });
    expect(vipps.count("cancel ")).toBe(0);
    release();
    expect((await creating).sale).toMatchObject({ id: sale.id, state: "cancelled" });
    const attempt = await attemptOf(sale);
    expect(vipps.count(`cancel ${attempt.reference}`)).toBe(1);
    expect(attempt.state).not.toBe("CREATED");
    expect(vipps.payments.get(attempt.reference)?.state).toBe("TERMINATED");
  });

  it("when that cancel fails, the attempt is left for the reconciler to settle", async () => {
    const { creating, sale, release } = await createHeldAtVipps();
    await commands.cancel(sale.id, "cashier");
    vipps.fail("cancel", networkError());
    vipps.fail("get", networkError());
    release();
    await creating;
    const attempt = await attemptOf(sale);
    expect(attempt.state).toBe("CREATE_FAILED");
    expect((await store.listOpenAttempts()).map((a) => a.id)).toContain(attempt.id);
  });

  it("a cancel that finds the payment captured at Vipps answers 409, not 200", async () => {
    const { sale, attempt } = await approvedSale();
    // Vipps captured it; the app never heard (the answer was lost with a restart).
    vipps.set(attempt.reference, { state: "AUTHORIZED", captured: TOTAL });
    expect(await rejection(commands.cancel(sale.id, "cashier"))).toMatchObject({ code: "invalidState" });
  });
});
