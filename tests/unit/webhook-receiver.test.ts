/**
 * The webhook receiver with the real store and sale domain, and a scripted Vipps: what must hold
 * when Vipps delivers twice, late or at the same moment as a poll.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AdjustableClock } from "@/lib/clock";
import type { GatewayPaymentSnapshot, PaymentGateway } from "@/lib/sales/payment-gateway";
import type { PaymentAttempt, Sale } from "@/lib/sales/types";
import { SqliteStore } from "@/lib/store/sqlite-store";
import { signWebhookRequest } from "@/lib/vipps/webhook-signature";
import { SETTING_WEBHOOK_SECRET, SETTING_WEBHOOK_URL } from "@/lib/webhooks/webhook-receiver";
import { buildSaleDomain } from "../support/sale-domain";

const HOOK_URL = "https://kassa.example/api/webhooks/vipps";
const SECRET = "webhook-secret-for-tests";
const MSN = "123456";
const AMOUNT = 42924;
const money = (value: number) => ({ value, currency: "NOK" });

/** A Vipps that keeps one payment per reference and records every call made to it. */
function scriptedVipps() {
  const payments = new Map<string, { state: GatewayPaymentSnapshot["state"]; captured: number; cancelled: number }>();
  const calls: string[] = [];
  const snap = (reference: string): GatewayPaymentSnapshot => {
    const p = payments.get(reference) ?? { state: "CREATED" as const, captured: 0, cancelled: 0 };
    return { reference, state: p.state, aggregate: { authorizedAmount: money(p.state === "AUTHORIZED" ? AMOUNT : 0), capturedAmount: money(p.captured), refundedAmount: money(0), cancelledAmount: money(p.cancelled) } };
  };
  const gateway: PaymentGateway = {
    async createPayment(body, options) {
      calls.push(`create ${body.reference} ${options.idempotencyKey}`);
      payments.set(body.reference, { state: "CREATED", captured: 0, cancelled: 0 });
      return { reference: body.reference, redirectUrl: `https://qr.example/${body.reference}` };
    },
    async getPayment(reference) {
      calls.push(`get ${reference}`);
      return snap(reference);
    },
    async capturePayment(reference, body, options) {
      calls.push(`capture ${reference} ${options.idempotencyKey}`);
      // Let a concurrent caller run into the same moment, as a slow network would.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const p = payments.get(reference);
      if (p) p.captured += body.modificationAmount.value;
      return snap(reference);
    },
    async cancelPayment(reference, options) {
      calls.push(`cancel ${reference} ${options.idempotencyKey}`);
      const p = payments.get(reference);
      if (p && p.captured === 0) {
        if (p.state === "AUTHORIZED") p.cancelled = AMOUNT;
        else p.state = "TERMINATED";
      }
      return snap(reference);
    },
    async refundPayment(reference) {
      calls.push(`refund ${reference}`);
      return snap(reference);
    },
  };
  const approve = (reference: string) => {
    const p = payments.get(reference);
    if (p) p.state = "AUTHORIZED";
  };
  return { gateway, calls, approve };
}

let clock: AdjustableClock;
let store: SqliteStore;
let vipps: ReturnType<typeof scriptedVipps>;
let domain: ReturnType<typeof buildSaleDomain>;

beforeEach(async () => {
  clock = new AdjustableClock();
  store = new SqliteStore(":memory:");
  await store.saveTerminal({ id: "pos-1", name: "Counter 1", posId: "pos-1", language: "en", currency: "NOK", displayToken: "t", createdAt: new Date().toISOString() });
  await store.setSetting(SETTING_WEBHOOK_SECRET, SECRET);
  await store.setSetting(SETTING_WEBHOOK_URL, HOOK_URL);
  vipps = scriptedVipps();
  domain = buildSaleDomain({ store, gateway: vipps.gateway, clock, msn: MSN });
});

afterEach(async () => {
  await store.close();
});

const LINES = { terminalId: "pos-1", currency: "NOK" as const, lines: [{ name: "Ear buds", quantity: 1, unitPrice: AMOUNT, taxRate: 2500 }] };

async function startSale(): Promise<{ sale: Sale; attempt: PaymentAttempt }> {
  const { sale } = await domain.commands.create(LINES, { source: "api" });
  const attempt = await store.getAttempt(sale.currentAttemptId);
  if (!attempt) throw new Error("no attempt");
  return { sale, attempt };
}

/** A delivery exactly as Vipps signs it. */
function delivery(reference: string, name: string, pspReference = `psp-${name}`) {
  const body = JSON.stringify({ msn: MSN, reference, pspReference, name, amount: money(AMOUNT), timestamp: new Date(clock.now()).toISOString(), success: true });
  const headers = new Headers({ ...signWebhookRequest({ secret: SECRET, url: HOOK_URL, body, date: new Date(clock.now()) }) });
  return { body, headers };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 40));

describe("webhook receiver", () => {
  it("applies a delivery once: the same delivery again is answered 200 as a duplicate and changes nothing", async () => {
    const { sale, attempt } = await startSale();
    vipps.approve(attempt.reference);
    const first = delivery(attempt.reference, "CAPTURED");
    expect(await domain.webhooks.receive(first.body, first.headers)).toEqual({ status: 200, result: "applied" });
    await settle();
    const getsAfterFirst = vipps.calls.filter((call) => call.startsWith("get ")).length;
    expect(getsAfterFirst).toBe(1);
    expect(await domain.webhooks.receive(first.body, first.headers)).toEqual({ status: 200, result: "duplicate" });
    await settle();
    // A duplicate must not even cost a call to Vipps.
    expect(vipps.calls.filter((call) => call.startsWith("get "))).toHaveLength(getsAfterFirst);
    expect((await store.getSale(sale.id))?.state).toBe("captured");
  });

  it("records an unsuccessful event once, however often it is delivered", async () => {
    const { sale, attempt } = await startSale();
    const body = JSON.stringify({ msn: MSN, reference: attempt.reference, pspReference: "p", name: "CAPTURED", amount: money(AMOUNT), timestamp: new Date(clock.now()).toISOString(), success: false });
    const headers = new Headers({ ...signWebhookRequest({ secret: SECRET, url: HOOK_URL, body, date: new Date(clock.now()) }) });
    for (let i = 0; i < 3; i++) await domain.webhooks.receive(body, headers);
    const unsuccessful = (await store.listEvents(sale.id)).filter((event) => event.type === "webhook.captured.unsuccessful");
    expect(unsuccessful).toHaveLength(1);
  });

  it("rejects a forged or tampered delivery and changes nothing", async () => {
    const { sale, attempt } = await startSale();
    const genuine = delivery(attempt.reference, "AUTHORIZED");
    expect(await domain.webhooks.receive(genuine.body.replace(`"AUTHORIZED"`, `"ABORTED"`), genuine.headers)).toMatchObject({ status: 401 });
    expect((await store.getSale(sale.id))?.state).toBe("pending");
  });

  it("releases a late approval of an attempt that a new QR replaced, once", async () => {
    const { sale, attempt: first } = await startSale();
    // Vipps reports the first QR expired (we never cancelled it) and the cashier makes a new one.
    const expired = delivery(first.reference, "EXPIRED");
    await domain.webhooks.receive(expired.body, expired.headers);
    expect((await store.getSale(sale.id))?.state).toBe("expired");
    const again = await domain.commands.newQr(sale.id, "cashier");
    expect(again.currentAttemptId).not.toBe(first.id);
    // Now the first QR's approval arrives after all.
    vipps.approve(first.reference);
    const releases = () => vipps.calls.filter((call) => call === `cancel ${first.reference} cancel-${first.id}`).length;
    const releasesBefore = releases();
    const late = delivery(first.reference, "AUTHORIZED");
    expect(await domain.webhooks.receive(late.body, late.headers)).toMatchObject({ status: 200 });
    await settle();
    expect(releases()).toBe(releasesBefore + 1);
    // The sale itself follows its new QR, untouched.
    expect((await store.getSale(sale.id))?.state).toBe("pending");
    expect(vipps.calls.some((call) => call.startsWith(`capture ${first.reference}`))).toBe(false);
    // Told again (a poll), it is not released twice.
    const before = vipps.calls.length;
    const repeat = delivery(first.reference, "AUTHORIZED", "psp-again");
    await domain.webhooks.receive(repeat.body, repeat.headers);
    await settle();
    expect(vipps.calls.slice(before).filter((call) => call.startsWith("cancel "))).toHaveLength(0);
  });

  it("captures exactly once when webhooks and a poll report the approval at the same moment", async () => {
    const { sale, attempt } = await startSale();
    vipps.approve(attempt.reference);
    const a = delivery(attempt.reference, "AUTHORIZED", "psp-1");
    const b = delivery(attempt.reference, "AUTHORIZED", "psp-2");
    await Promise.all([domain.webhooks.receive(a.body, a.headers), domain.webhooks.receive(b.body, b.headers), domain.reconciler.reconcileAttempt(attempt.id, "poll")]);
    await settle();
    await domain.reconciler.reconcileAttempt(attempt.id, "poll");
    const captures = vipps.calls.filter((call) => call.startsWith("capture "));
    expect(captures).toEqual([`capture ${attempt.reference} capture-${sale.id}`]);
    expect((await store.getSale(sale.id))?.state).toBe("captured");
  });

  it("a capture the cashier asks for twice is sent once", async () => {
    await store.setSetting("sales.autoCapture", "false");
    const { sale, attempt } = await startSale();
    vipps.approve(attempt.reference);
    await domain.reconciler.reconcileAttempt(attempt.id, "poll");
    expect((await store.getSale(sale.id))?.state).toBe("authorized");
    const [one, two] = await Promise.all([domain.commands.capture(sale.id, "cashier"), domain.commands.capture(sale.id, "cashier")]);
    expect(one.state).toBe("captured");
    expect(two.state).toBe("captured");
    expect(vipps.calls.filter((call) => call.startsWith("capture "))).toHaveLength(1);
  });
});
