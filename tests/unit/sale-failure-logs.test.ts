/**
 * The money core's background steps (an auto-capture, a capture retried by a poll, a resumed
 * create, the cancel of a payment made too late) run where no client waits for their answer: when
 * one fails, the log says what failed and for which sale and attempt, with the error's stack.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Logger } from "@/lib/log";
import type { PaymentGateway } from "@/lib/sales/payment-gateway";
import type { PaymentAttempt, Sale } from "@/lib/sales/types";
import { FrozenClock } from "../support/frozen-clock";
import { captureLog, type LogRecord } from "../support/log-capture";
import { memoryStore, TestStore } from "../support/memory-store";
import { buildSaleDomain, COUNTER_1 } from "../support/sale-domain";
import { httpError, networkError, type ScriptedVipps, scriptedVipps } from "../support/scripted-vipps";

/** The real store, whose next write of a cancel's reason to an attempt can be made to fail. */
class FlakyStore extends TestStore {
  failNextCancelMark: Error | undefined;
  override async updateAttempt(id: string, patch: Partial<PaymentAttempt>) {
    const failure = patch.cancelReason ? this.failNextCancelMark : undefined;
    if (failure) {
      this.failNextCancelMark = undefined;
      throw failure;
    }
    return super.updateAttempt(id, patch);
  }
}

const START = Date.parse("2026-05-01T10:00:00.000Z");
const INPUT = {
  terminalId: COUNTER_1.id,
  currency: "NOK" as const,
  lines: [{ name: "Coffee", quantity: 1, unitPrice: 4500, taxRate: 1500 }],
};

let store: FlakyStore;
let vipps: ScriptedVipps;
let clock: FrozenClock;
let log: Logger;
let records: () => LogRecord[];

beforeEach(async () => {
  store = await memoryStore(FlakyStore);
  await store.saveTerminal(COUNTER_1);
  vipps = scriptedVipps();
  clock = new FrozenClock(START);
  ({ log, records } = captureLog("warn"));
});

afterEach(async () => {
  await store.close();
});

const domain = (gateway: PaymentGateway = vipps.gateway) => buildSaleDomain({ store, gateway, clock, log });
const warning = (message: string) => records().find((record) => record.level === "warn" && record.message === message);

async function newSale(commands = domain().commands): Promise<{ sale: Sale; attempt: PaymentAttempt }> {
  const { sale } = await commands.create(INPUT, { source: "api" });
  return { sale, attempt: (await store.getAttempt(sale.currentAttemptId))! };
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 2_000) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("failures in the money core's background steps are logged with the sale", () => {
  it("an auto-capture after the approval that fails, and the poll's retry of it", async () => {
    const { transitions, reconciler } = domain();
    const { sale, attempt } = await newSale();
    vipps.approve(attempt.reference);
    vipps.fail("capture", httpError(502, "Bad gateway"));
    await transitions.applySnapshot(attempt, await vipps.gateway.getPayment(attempt.reference), "webhook");
    await until(() => warning("Capturing an approved sale failed; the reconciler retries") !== undefined);
    expect(warning("Capturing an approved sale failed; the reconciler retries")).toMatchObject({
      saleId: sale.id,
      attemptId: attempt.id,
      err: { message: "Capture failed: 502 Bad gateway", stack: expect.stringContaining("DomainError") },
    });

    await reconciler.reconcileAttempt(attempt.id, "poll");
    expect(warning("Retrying the capture of an approved sale failed; the next poll tries again")).toMatchObject({
      saleId: sale.id,
      attemptId: attempt.id,
      err: { message: "Capture failed: 502 Bad gateway" },
    });
    expect((await store.getSale(sale.id))?.state).toBe("authorized");
  });

  it("a resumed create that fails", async () => {
    const { commands } = domain();
    const { sale, attempt } = await newSale(commands);
    await store.updateAttempt(attempt.id, { state: "CREATING" });
    vipps.fail("create", networkError());
    await commands.resumeCreate(attempt.id, "system");
    expect((await store.getSale(sale.id))?.state).toBe("failed");
    expect(warning("Resuming an interrupted create failed")).toMatchObject({
      saleId: sale.id,
      attemptId: attempt.id,
      err: { message: expect.stringContaining("connection reset"), stack: expect.any(String) },
    });
  });

  it("a cancel of a payment created after its sale was cancelled that fails, leaving it for the reconciler", async () => {
    // The cashier cancels while Vipps is still creating the payment; the store then fails to note the cancel.
    const racing: PaymentGateway = {
      ...vipps.gateway,
      async createPayment(body, options) {
        const created = await vipps.gateway.createPayment(body, options);
        const attempt = (await store.getAttemptByReference(body.reference))!;
        await store.transitionSale(
          attempt.saleId,
          ["pending"],
          { state: "cancelled" },
          { type: "sale.cancelled", source: "cashier" },
        );
        store.failNextCancelMark = new Error("database is locked");
        return created;
      },
    };
    const { sale, attempt } = await newSale(domain(racing).commands);
    expect(
      warning("Cancelling a payment created after its sale ended failed; the reconciler cancels it"),
    ).toMatchObject({
      saleId: sale.id,
      attemptId: attempt.id,
      err: { message: "database is locked" },
    });
    expect((await store.getAttempt(attempt.id))?.state).toBe("CREATE_FAILED");
  });

  it("a check of the payment after a refused cancel that fails too", async () => {
    const { commands } = domain();
    const { sale, attempt } = await newSale(commands);
    vipps.fail("cancel", httpError(409, "Conflict"));
    vipps.fail("get", networkError("socket hang up"));
    await expect(commands.cancel(sale.id, "cashier")).rejects.toMatchObject({ code: "paymentProvider" });
    expect(warning("Checking the payment after a failed cancel failed too; the reconciler retries")).toMatchObject({
      saleId: sale.id,
      attemptId: attempt.id,
      reference: attempt.reference,
      err: { message: "socket hang up" },
    });
  });
});
