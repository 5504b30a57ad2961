/**
 * The webhook receiver with the real store and sale domain, and a scripted Vipps: what must hold
 * when Vipps delivers twice, late or at the same moment as a poll.
 */
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AdjustableClock } from "@/lib/clock";
import { createLogger } from "@/lib/log";
import type { Reconciler } from "@/lib/sales/reconciler";
import type { PaymentAttempt, Sale } from "@/lib/sales/types";
import { memoryStore, type TestStore } from "../support/memory-store";
import { signWebhookRequest } from "@/lib/vipps/webhook-signature";
import {
  SETTING_WEBHOOK_ID,
  SETTING_WEBHOOK_SECRET,
  SETTING_WEBHOOK_URL,
  WebhookReceiver,
} from "@/lib/webhooks/webhook-receiver";
import { buildSaleDomain, COUNTER_1 } from "../support/sale-domain";
import { networkError, type ScriptedVipps, scriptedVipps } from "../support/scripted-vipps";

const HOOK_URL = "https://kassa.example/api/webhooks/vipps";
const SECRET = "webhook-secret-for-tests";
const MSN = "123456";
const AMOUNT = 42924;
const money = (value: number) => ({ value, currency: "NOK" });

let clock: AdjustableClock;
let store: TestStore;
let vipps: ScriptedVipps;
let domain: ReturnType<typeof buildSaleDomain>;

beforeEach(async () => {
  clock = new AdjustableClock();
  store = await memoryStore();
  await store.saveTerminal(COUNTER_1);
  await store.setSetting(SETTING_WEBHOOK_SECRET, SECRET);
  await store.setSetting(SETTING_WEBHOOK_URL, HOOK_URL);
  vipps = scriptedVipps();
  domain = buildSaleDomain({ store, gateway: vipps.gateway, clock, msn: MSN });
});

afterEach(async () => {
  await store.close();
});

const LINES = {
  terminalId: "pos-1",
  currency: "NOK" as const,
  lines: [{ name: "Ear buds", quantity: 1, unitPrice: AMOUNT, taxRate: 2500 }],
};

async function startSale(): Promise<{ sale: Sale; attempt: PaymentAttempt }> {
  const { sale } = await domain.commands.create(LINES, { source: "api" });
  const attempt = await store.getAttempt(sale.currentAttemptId);
  if (!attempt) throw new Error("no attempt");
  return { sale, attempt };
}

/** A delivery exactly as Vipps signs it. */
function delivery(reference: string, name: string, pspReference = `psp-${name}`) {
  const body = JSON.stringify({
    msn: MSN,
    reference,
    pspReference,
    name,
    amount: money(AMOUNT),
    timestamp: new Date(clock.now()).toISOString(),
    success: true,
  });
  const headers = new Headers({
    ...signWebhookRequest({ secret: SECRET, url: HOOK_URL, body, date: new Date(clock.now()) }),
  });
  return { body, headers };
}

/** Waits for the work a delivery started without awaiting it: the GET a money event asks for, the capture an approval starts. */
const settle = () => domain.settled();

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
    const body = JSON.stringify({
      msn: MSN,
      reference: attempt.reference,
      pspReference: "p",
      name: "CAPTURED",
      amount: money(AMOUNT),
      timestamp: new Date(clock.now()).toISOString(),
      success: false,
    });
    const headers = new Headers({
      ...signWebhookRequest({ secret: SECRET, url: HOOK_URL, body, date: new Date(clock.now()) }),
    });
    for (let i = 0; i < 3; i++) await domain.webhooks.receive(body, headers);
    const unsuccessful = (await store.listEvents(sale.id)).filter(
      (event) => event.type === "webhook.captured.unsuccessful",
    );
    expect(unsuccessful).toHaveLength(1);
  });

  it("rejects a forged or tampered delivery and changes nothing", async () => {
    const { sale, attempt } = await startSale();
    const genuine = delivery(attempt.reference, "AUTHORIZED");
    expect(
      await domain.webhooks.receive(genuine.body.replace(`"AUTHORIZED"`, `"ABORTED"`), genuine.headers),
    ).toMatchObject({ status: 401 });
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
    await Promise.all([
      domain.webhooks.receive(a.body, a.headers),
      domain.webhooks.receive(b.body, b.headers),
      domain.reconciler.reconcileAttempt(attempt.id, "poll"),
    ]);
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
    const [one, two] = await Promise.all([
      domain.commands.capture(sale.id, "cashier"),
      domain.commands.capture(sale.id, "cashier"),
    ]);
    expect(one.state).toBe("captured");
    expect(two.state).toBe("captured");
    expect(vipps.calls.filter((call) => call.startsWith("capture "))).toHaveLength(1);
  });
});

type LogLine = { level: string; message: string; fields?: Record<string, unknown> };

/** A receiver on this test's domain that records what it logs. */
function receiverWithLog(
  options: { reconciler?: Pick<Reconciler, "reconcileAttempt"> & Partial<Pick<Reconciler, "noteWebhook">> } = {},
) {
  const lines: LogLine[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, message, ...(fields ? { fields } : {}) });
  const receiver = new WebhookReceiver({
    sales: store,
    settings: store,
    operations: store,
    transitions: domain.transitions,
    reconciler: options.reconciler ?? domain.reconciler,
    clock,
    log: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") },
    msn: MSN,
  });
  return { receiver, lines };
}

/** A signed delivery of any body, for any URL and time. */
function signed(body: string, options: { url?: string; secret?: string; date?: Date } = {}) {
  return {
    body,
    headers: new Headers({
      ...signWebhookRequest({
        secret: options.secret ?? SECRET,
        url: options.url ?? HOOK_URL,
        body,
        date: options.date ?? new Date(clock.now()),
      }),
    }),
  };
}

function eventBody(fields: Record<string, unknown> = {}) {
  return JSON.stringify({
    msn: MSN,
    reference: "kd-unknown-0001",
    pspReference: "psp-1",
    name: "AUTHORIZED",
    amount: money(AMOUNT),
    timestamp: "2026-05-01T10:00:00.000Z",
    success: true,
    ...fields,
  });
}

describe("webhook receiver: registration and verification", () => {
  it("tells the reconciler of each verified event of ours (polls back off while they arrive), not of forged or foreign ones", async () => {
    const noted: number[] = [];
    const { receiver } = receiverWithLog({
      reconciler: { reconcileAttempt: async () => undefined, noteWebhook: () => void noted.push(clock.now()) },
    });
    const forged = signed(eventBody(), { secret: "forged" });
    expect(await receiver.receive(forged.body, forged.headers)).toMatchObject({ status: 401 });
    const foreign = signed(eventBody({ msn: "999999" }));
    expect(await receiver.receive(foreign.body, foreign.headers)).toEqual({ status: 200, result: "other-merchant" });
    expect(noted).toEqual([]);
    const genuine = signed(eventBody());
    expect(await receiver.receive(genuine.body, genuine.headers)).toEqual({ status: 200, result: "unknown-reference" });
    // A duplicate is a verified event of ours too: webhooks are arriving.
    expect(await receiver.receive(genuine.body, genuine.headers)).toEqual({ status: 200, result: "duplicate" });
    expect(noted).toHaveLength(2);
  });

  it("keeps the registration under the keys the registrar stores it under", () => {
    expect([SETTING_WEBHOOK_SECRET, SETTING_WEBHOOK_URL, SETTING_WEBHOOK_ID]).toEqual([
      "vipps.webhook.secret",
      "vipps.webhook.url",
      "vipps.webhook.id",
    ]);
  });

  it("answers 503 until both the secret and the URL are stored", async () => {
    for (const settings of [{}, { "vipps.webhook.secret": SECRET }, { "vipps.webhook.url": HOOK_URL }]) {
      const empty = await memoryStore();
      for (const [key, value] of Object.entries(settings)) await empty.setSetting(key, value);
      const receiver = new WebhookReceiver({
        sales: empty,
        settings: empty,
        operations: empty,
        transitions: domain.transitions,
        reconciler: domain.reconciler,
        clock,
        log: createLogger("error"),
        msn: MSN,
      });
      const { body, headers } = signed(eventBody());
      expect(await receiver.receive(body, headers)).toEqual({ status: 503, reason: "No webhook is registered yet" });
      await empty.close();
    }
  });

  it("reads the registration once, and again after it is forgotten", async () => {
    const { receiver } = receiverWithLog();
    const first = signed(eventBody());
    expect(await receiver.receive(first.body, first.headers)).toEqual({ status: 200, result: "unknown-reference" });
    await store.setSetting(SETTING_WEBHOOK_SECRET, "a-new-secret");
    const old = signed(eventBody({ pspReference: "psp-2" }));
    expect(await receiver.receive(old.body, old.headers)).toEqual({ status: 200, result: "unknown-reference" });
    receiver.forgetSecret();
    const stale = signed(eventBody({ pspReference: "psp-3" }));
    expect(await receiver.receive(stale.body, stale.headers)).toEqual({ status: 401, reason: "bad-signature" });
    const fresh = signed(eventBody({ pspReference: "psp-4" }), { secret: "a-new-secret" });
    expect(await receiver.receive(fresh.body, fresh.headers)).toEqual({ status: 200, result: "unknown-reference" });
  });

  it("a delivery signed with a secret registered anew elsewhere is accepted: a bad signature re-reads the registration once", async () => {
    const { receiver, lines } = receiverWithLog();
    const first = signed(eventBody());
    expect(await receiver.receive(first.body, first.headers)).toEqual({ status: 200, result: "unknown-reference" });
    // Another instance registered again; our cached secret is stale.
    await store.setSetting(SETTING_WEBHOOK_SECRET, "registered-elsewhere");
    const fresh = signed(eventBody({ pspReference: "psp-2" }), { secret: "registered-elsewhere" });
    expect(await receiver.receive(fresh.body, fresh.headers)).toEqual({ status: 200, result: "unknown-reference" });
    // A forgery still fails after the second look, and says so.
    const forged = signed(eventBody({ pspReference: "psp-3" }), { secret: "forged" });
    expect(await receiver.receive(forged.body, forged.headers)).toEqual({ status: 401, reason: "bad-signature" });
    expect(lines).toContainEqual({
      level: "warn",
      message: "Rejected a webhook with a bad signature",
      fields: { reason: "bad-signature" },
    });
  });

  it("a registration removed since it was cached fails the signature", async () => {
    const { receiver } = receiverWithLog();
    const first = signed(eventBody());
    expect(await receiver.receive(first.body, first.headers)).toMatchObject({ status: 200 });
    const { body, headers } = signed(eventBody({ pspReference: "psp-2" }), { secret: "forged" });
    vi.spyOn(store, "getSetting").mockResolvedValue(undefined);
    expect(await receiver.receive(body, headers)).toEqual({ status: 401, reason: "bad-signature" });
  });

  it("verifies against the registered URL's host, port, path and query", async () => {
    const url = "https://kassa.example:8443/api/webhooks/vipps?terminal=all";
    await store.setSetting(SETTING_WEBHOOK_URL, url);
    const { receiver } = receiverWithLog();
    const right = signed(eventBody(), { url });
    // Whatever Host a proxy forwards, the registered one is what was signed.
    right.headers.set("host", "10.0.0.5:3000");
    expect(await receiver.receive(right.body, right.headers)).toEqual({ status: 200, result: "unknown-reference" });
    for (const other of [
      "https://kassa.example:8443/api/webhooks/vipps",
      "https://kassa.example/api/webhooks/vipps?terminal=all",
      "https://kassa.example:8443/api/webhooks?terminal=all",
    ]) {
      const wrong = signed(eventBody({ pspReference: other }), { url: other });
      expect(await receiver.receive(wrong.body, wrong.headers)).toEqual({ status: 401, reason: "bad-signature" });
    }
  });

  it("rejects a delivery signed too long ago, by our clock, and logs why", async () => {
    const { receiver, lines } = receiverWithLog();
    clock.advance(60 * 60 * 1000);
    const late = signed(eventBody(), { date: new Date(clock.now() - 6 * 60 * 1000) });
    expect(await receiver.receive(late.body, late.headers)).toEqual({ status: 401, reason: "clock-skew" });
    expect(lines).toContainEqual({
      level: "warn",
      message: "Rejected a webhook with a bad signature",
      fields: { reason: "clock-skew" },
    });
    const recent = signed(eventBody(), { date: new Date(clock.now() - 60 * 1000) });
    expect(await receiver.receive(recent.body, recent.headers)).toEqual({ status: 200, result: "unknown-reference" });
  });

  it("answers 400 to a signed body that is not an ePayment event", async () => {
    const notJson = signed("{not json");
    expect(await domain.webhooks.receive(notJson.body, notJson.headers)).toEqual({
      status: 400,
      reason: "Body is not JSON",
    });
    const notEvent = signed(JSON.stringify({ hello: "world" }));
    expect(await domain.webhooks.receive(notEvent.body, notEvent.headers)).toEqual({
      status: 400,
      reason: "Body is not an ePayment webhook event",
    });
  });

  it("acknowledges another merchant's event without applying it", async () => {
    const { sale, attempt } = await startSale();
    const other = signed(eventBody({ msn: "654321", reference: attempt.reference }));
    expect(await domain.webhooks.receive(other.body, other.headers)).toEqual({ status: 200, result: "other-merchant" });
    expect((await store.getSale(sale.id))?.state).toBe("pending");
    // Not even remembered: the same delivery for us later is applied.
    const ours = signed(eventBody({ reference: attempt.reference }));
    expect(await domain.webhooks.receive(ours.body, ours.headers)).toEqual({ status: 200, result: "applied" });
  });
});

describe("webhook receiver: duplicates", () => {
  it("tells deliveries apart by every field Vipps varies", async () => {
    const base = {
      pspReference: "psp-1",
      name: "AUTHORIZED",
      timestamp: "2026-05-01T10:00:00.000Z",
      amount: money(AMOUNT),
    };
    const variants = [
      base,
      { ...base, reference: "kd-unknown-0002" },
      { ...base, name: "ABORTED" },
      { ...base, pspReference: "psp-2" },
      { ...base, timestamp: "2026-05-01T10:00:01.000Z" },
      { ...base, amount: money(AMOUNT + 1) },
      { ...base, idempotencyKey: "key-a" },
      { ...base, idempotencyKey: "key-b" },
      // The fields are kept apart: 42924|1 is not 4292|41.
      { ...base, amount: money(42_924), idempotencyKey: "1" },
      { ...base, amount: money(4292), idempotencyKey: "41" },
    ];
    for (const fields of variants) {
      const { body, headers } = signed(eventBody(fields));
      expect(await domain.webhooks.receive(body, headers)).toEqual({ status: 200, result: "unknown-reference" });
    }
    for (const fields of variants) {
      const { body, headers } = signed(eventBody(fields));
      expect(await domain.webhooks.receive(body, headers)).toEqual({ status: 200, result: "duplicate" });
    }
  });

  it("remembers a delivery from when it was received, for the pruning", async () => {
    const { body, headers } = signed(eventBody());
    const before = clock.now();
    await domain.webhooks.receive(body, headers);
    const after = clock.now();
    expect(await store.pruneProcessedWebhooks(new Date(before).toISOString())).toBe(0);
    expect(await store.pruneProcessedWebhooks(new Date(after + 1).toISOString())).toBe(1);
  });

  it("a delivery it failed to apply is answered 503 and applied when Vipps retries", async () => {
    const { sale, attempt } = await startSale();
    const { receiver, lines } = receiverWithLog();
    const failure = new Error("database is locked");
    vi.spyOn(store, "getAttemptByReference").mockRejectedValueOnce(failure);
    const { body, headers } = delivery(attempt.reference, "ABORTED");
    expect(await receiver.receive(body, headers)).toEqual({
      status: 503,
      reason: "Temporarily unable to apply the event",
    });
    expect(lines).toContainEqual({
      level: "error",
      message: "Applying a webhook failed; Vipps will retry and the poller will catch up",
      fields: { reference: attempt.reference, error: failure },
    });
    expect((await store.getSale(sale.id))?.state).toBe("pending");
    expect(await receiver.receive(body, headers)).toEqual({ status: 200, result: "applied" });
    expect((await store.getSale(sale.id))?.state).toBe("aborted");
  });
});

describe("webhook receiver: applying events", () => {
  it("a state event moves the sale, recorded as from the webhook", async () => {
    const { sale, attempt } = await startSale();
    const { body, headers } = delivery(attempt.reference, "ABORTED");
    expect(await domain.webhooks.receive(body, headers)).toEqual({ status: 200, result: "applied" });
    expect(await store.getSale(sale.id)).toMatchObject({ state: "aborted" });
    expect((await store.listEvents(sale.id)).at(-1)).toMatchObject({
      type: "payment.aborted",
      source: "webhook",
      attemptId: attempt.id,
    });
    // No GET is needed for a state event.
    expect(vipps.count("get ")).toBe(0);
  });

  it("a money event makes the reconciler fetch the totals, on behalf of the webhook", async () => {
    await store.setSetting("sales.autoCapture", "false");
    const { sale, attempt } = await startSale();
    vipps.approve(attempt.reference);
    const { body, headers } = delivery(attempt.reference, "CAPTURED");
    expect(await domain.webhooks.receive(body, headers)).toEqual({ status: 200, result: "applied" });
    await settle();
    expect(vipps.calls).toContain(`get ${attempt.reference}`);
    expect((await store.listEvents(sale.id)).at(-1)).toMatchObject({ type: "payment.authorized", source: "webhook" });
  });

  it("CREATED for an attempt whose create answered, and CAPTURED for a sale captured in full, cost no GET", async () => {
    const { sale, attempt } = await startSale();
    const created = delivery(attempt.reference, "CREATED");
    expect(await domain.webhooks.receive(created.body, created.headers)).toEqual({ status: 200, result: "applied" });
    vipps.approve(attempt.reference);
    const authorized = delivery(attempt.reference, "AUTHORIZED");
    expect(await domain.webhooks.receive(authorized.body, authorized.headers)).toEqual({
      status: 200,
      result: "applied",
    });
    await vi.waitFor(async () => expect((await store.getSale(sale.id))?.state).toBe("captured"));
    const captured = delivery(attempt.reference, "CAPTURED");
    expect(await domain.webhooks.receive(captured.body, captured.headers)).toEqual({ status: 200, result: "applied" });
    await settle();
    expect(vipps.count("get ")).toBe(0);
    expect(await store.getSale(sale.id)).toMatchObject({ state: "captured", capturedAmount: AMOUNT });
  });

  it("CREATED for an attempt whose create answer was lost is fetched", async () => {
    vipps.fail("create", networkError(), 1);
    await domain.commands.create(LINES, { source: "api" }).catch(() => undefined);
    const sale = (await store.listSales({ terminalId: "pos-1" })).items[0]!;
    const attempt = (await store.getAttempt(sale.currentAttemptId))!;
    expect(attempt.state).toBe("CREATE_FAILED");
    const created = delivery(attempt.reference, "CREATED");
    expect(await domain.webhooks.receive(created.body, created.headers)).toEqual({ status: 200, result: "applied" });
    await vi.waitFor(() => expect(vipps.calls).toContain(`get ${attempt.reference}`));
  });

  it("a money event is acknowledged even when fetching the totals fails", async () => {
    const { attempt } = await startSale();
    const asked: string[] = [];
    const { receiver } = receiverWithLog({
      reconciler: {
        reconcileAttempt: async (id, source) => {
          asked.push(`${id} ${source}`);
          throw new Error("Vipps is down");
        },
      },
    });
    const { body, headers } = delivery(attempt.reference, "REFUNDED");
    expect(await receiver.receive(body, headers)).toEqual({ status: 200, result: "applied" });
    await receiver.settled();
    expect(asked).toEqual([`${attempt.id} webhook`]);
  });

  it("a REFUNDED whose GET fails leaves the sale marked, and the reconciler brings its amounts in line later", async () => {
    const { sale, attempt } = await startSale();
    vipps.approve(attempt.reference);
    const authorized = delivery(attempt.reference, "AUTHORIZED");
    await domain.webhooks.receive(authorized.body, authorized.headers);
    await vi.waitFor(async () => expect((await store.getSale(sale.id))?.state).toBe("captured"));
    expect((await store.listOpenAttempts()).map((a) => a.id)).not.toContain(attempt.id);
    // Refunded in Vipps' portal; the GET the webhook triggers fails.
    vipps.set(attempt.reference, { refunded: 1000 });
    vipps.fail("get", networkError(), 1);
    const refunded = delivery(attempt.reference, "REFUNDED");
    expect(await domain.webhooks.receive(refunded.body, refunded.headers)).toEqual({ status: 200, result: "applied" });
    await vi.waitFor(() => expect(vipps.count(`get ${attempt.reference}`)).toBe(1));
    await settle();
    expect((await store.getSale(sale.id))?.refundedAmount).toBe(0);
    expect((await store.listOpenAttempts()).map((a) => a.id)).toContain(attempt.id);
    clock.advance(60_000);
    await domain.reconciler.tick();
    expect((await store.getSale(sale.id))?.refundedAmount).toBe(1000);
    expect((await store.listOpenAttempts()).map((a) => a.id)).not.toContain(attempt.id);
  });

  it("an unsuccessful event is recorded on the sale and changes nothing", async () => {
    const { sale, attempt } = await startSale();
    const body = eventBody({ reference: attempt.reference, name: "CAPTURED", success: false });
    const { headers } = signed(body);
    expect(await domain.webhooks.receive(body, headers)).toEqual({ status: 200, result: "ignored" });
    expect((await store.listEvents(sale.id)).at(-1)).toMatchObject({
      type: "webhook.captured.unsuccessful",
      source: "webhook",
      attemptId: attempt.id,
      detail: JSON.parse(body),
    });
    expect((await store.getSale(sale.id))?.state).toBe("pending");
    expect(vipps.count("get ")).toBe(0);
  });

  it("an event for a payment we do not know is acknowledged and ignored", async () => {
    const { body, headers } = signed(eventBody({ reference: "kd-someone-elses" }));
    expect(await domain.webhooks.receive(body, headers)).toEqual({ status: 200, result: "unknown-reference" });
  });
});

describe("webhook receiver: the dedupe record", () => {
  it("is the SHA-256 hex digest of the fields that identify a delivery", async () => {
    const spy = vi.spyOn(store, "markWebhookProcessed");
    const withoutKey = signed(eventBody());
    await domain.webhooks.receive(withoutKey.body, withoutKey.headers);
    const withKey = signed(eventBody({ idempotencyKey: "key-a" }));
    await domain.webhooks.receive(withKey.body, withKey.headers);
    const digest = (fields: unknown[]) => createHash("sha256").update(fields.join("|")).digest("hex");
    const fields = [MSN, "kd-unknown-0001", "AUTHORIZED", "psp-1", "2026-05-01T10:00:00.000Z", AMOUNT];
    expect(spy.mock.calls.map((call) => call[0])).toEqual([digest([...fields, ""]), digest([...fields, "key-a"])]);
  });
});

describe("two instances applying the same capture", () => {
  it("record it once in the sale's history", async () => {
    const { sale, attempt } = await startSale();
    vipps.approve(attempt.reference);
    await domain.reconciler.reconcileAttempt(attempt.id, "poll");
    await settle();
    expect((await store.getSale(sale.id))?.state).toBe("captured");
    // Both instances read the sale as approved and hold the same capture answer from Vipps.
    const approved = {
      ...(await store.getSale(sale.id))!,
      state: "authorized" as const,
      capturedAmount: 0,
      endedAt: undefined,
    };
    const { decideFromSnapshot } = await import("@/lib/sales/sale-state-machine");
    const snapshot = await vipps.gateway.getPayment(attempt.reference);
    const decision = decideFromSnapshot({
      sale: approved,
      attempt: (await store.getAttempt(attempt.id))!,
      snapshot,
      nowIso: new Date(clock.now()).toISOString(),
    }).decision;
    expect(decision.kind).toBe("transition");
    if (decision.kind !== "transition") return;
    // The second one's compare-and-set finds the sale already captured and does not apply.
    expect(
      await store.transitionSale(sale.id, decision.from, decision.patch, { type: decision.eventType, source: "poll" }),
    ).toBeUndefined();
    expect((await store.listEvents(sale.id)).filter((event) => event.type === "payment.captured")).toHaveLength(1);
  });
});
