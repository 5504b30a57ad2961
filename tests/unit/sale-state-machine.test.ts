import { describe, expect, it } from "vitest";
import type { GatewayPaymentSnapshot, VippsPaymentState } from "@/lib/sales/payment-gateway";
import {
  CREATE_IN_FLIGHT_LIMIT_MS,
  FIRST_POLL_DELAY_MS,
  HEALTHY_WEBHOOKS_POLL_MS,
  isQrLive,
  isQrRunOut,
  nextPollDelayMs,
  QR_LIFETIME_MS,
  VIPPS_PAYMENT_LIFETIME_MS,
  WEBHOOKS_HEALTHY_FOR_MS,
} from "@/lib/sales/payment-rules";
import { decideFromSnapshot, snapshotFromWebhookEvent } from "@/lib/sales/sale-state-machine";
import { type PaymentAttempt, type Sale, SALE_STATES, type SaleState } from "@/lib/sales/types";

const NOW = "2026-05-01T10:00:00.000Z";
const NOW_MS = Date.parse(NOW);
const AMOUNT = 42924;
const VIPPS_STATES: VippsPaymentState[] = ["CREATED", "AUTHORIZED", "ABORTED", "EXPIRED", "TERMINATED"];

const sale = (state: SaleState, extra: Partial<Sale> = {}): Sale => ({
  id: "sale_1",
  terminalId: "pos-1",
  receiptNumber: "000001",
  currency: "NOK",
  amount: AMOUNT,
  description: "Ear buds",
  lines: [],
  state,
  autoCapture: true,
  capturedAmount: state === "captured" || state === "refunded" ? AMOUNT : 0,
  refundedAmount: state === "refunded" ? AMOUNT : 0,
  currentAttemptId: "att_1",
  attemptCount: 1,
  createdAt: "2026-05-01T09:59:00.000Z",
  updatedAt: "2026-05-01T09:59:00.000Z",
  ...extra,
});

const attempt = (extra: Partial<PaymentAttempt> = {}): PaymentAttempt => ({
  id: "att_1",
  saleId: "sale_1",
  reference: "kd-ref-1",
  state: "CREATED",
  qrUrl: "https://qr.example/1",
  createdAt: "2026-05-01T09:59:00.000Z",
  expiresAt: new Date(NOW_MS + 60_000).toISOString(),
  nextPollAt: NOW,
  pollCount: 0,
  ...extra,
});

const money = (value: number) => ({ value, currency: "NOK" });
const snapshot = (
  state: VippsPaymentState,
  totals: { authorized?: number; captured?: number; refunded?: number; cancelled?: number } = {},
): GatewayPaymentSnapshot => ({
  reference: "kd-ref-1",
  state,
  aggregate: {
    authorizedAmount: money(totals.authorized ?? (state === "AUTHORIZED" ? AMOUNT : 0)),
    capturedAmount: money(totals.captured ?? 0),
    refundedAmount: money(totals.refunded ?? 0),
    cancelledAmount: money(totals.cancelled ?? 0),
  },
});

const decide = (s: Sale, snap: GatewayPaymentSnapshot, a: PaymentAttempt = attempt()) =>
  decideFromSnapshot({ sale: s, attempt: a, snapshot: snap, nowIso: NOW });
const target = (s: Sale, snap: GatewayPaymentSnapshot, a?: PaymentAttempt) => {
  const { decision } = decide(s, snap, a);
  return decision.kind === "transition" ? decision.patch.state : decision.kind;
};

describe("sale state machine: what each Vipps answer does to each sale state", () => {
  // Rows: our sale state. Columns: Vipps' state for the current attempt (no money moved yet).
  // "none" means the answer changes nothing (already there, or it would move the sale backwards).
  const expected: Record<SaleState, Record<VippsPaymentState, string>> = {
    pending: {
      CREATED: "none",
      AUTHORIZED: "authorized",
      ABORTED: "aborted",
      EXPIRED: "expired",
      TERMINATED: "cancelled",
    },
    authorized: {
      CREATED: "pending",
      AUTHORIZED: "none",
      ABORTED: "aborted",
      EXPIRED: "expired",
      TERMINATED: "cancelled",
    },
    captured: { CREATED: "none", AUTHORIZED: "none", ABORTED: "none", EXPIRED: "none", TERMINATED: "none" },
    refunded: { CREATED: "none", AUTHORIZED: "none", ABORTED: "none", EXPIRED: "none", TERMINATED: "none" },
    cancelled: { CREATED: "none", AUTHORIZED: "none", ABORTED: "none", EXPIRED: "none", TERMINATED: "none" },
    expired: { CREATED: "none", AUTHORIZED: "authorized", ABORTED: "none", EXPIRED: "none", TERMINATED: "none" },
    aborted: { CREATED: "none", AUTHORIZED: "none", ABORTED: "none", EXPIRED: "none", TERMINATED: "none" },
    failed: { CREATED: "none", AUTHORIZED: "none", ABORTED: "none", EXPIRED: "none", TERMINATED: "none" },
  };
  for (const state of SALE_STATES) {
    for (const vipps of VIPPS_STATES) {
      it(`${state} + ${vipps} → ${expected[state][vipps]}`, () => {
        // A captured or refunded sale carries its money, as Vipps' aggregate would.
        const totals =
          state === "captured"
            ? { captured: AMOUNT }
            : state === "refunded"
              ? { captured: AMOUNT, refunded: AMOUNT }
              : {};
        const snap = vipps === "AUTHORIZED" ? snapshot(vipps, totals) : snapshot(vipps);
        expect(target(sale(state), snap)).toBe(expected[state][vipps]);
      });
    }
  }

  it("every transition it proposes is guarded by the sale's current state", () => {
    for (const state of SALE_STATES) {
      for (const vipps of VIPPS_STATES) {
        for (const totals of [{}, { captured: AMOUNT }, { cancelled: AMOUNT }, { captured: AMOUNT, refunded: 100 }]) {
          const { decision } = decide(sale(state), snapshot(vipps, totals));
          if (decision.kind === "transition") {
            expect(decision.from).toContain(state);
            // A transition changes the state, or (captured → captured) the money on it.
            expect(decision.patch.state !== state || decision.patch.capturedAmount !== undefined).toBe(true);
            expect(decision.patch.updatedAt).toBe(NOW);
          }
        }
      }
    }
  });

  it("never moves a paid sale back to pending or approved", () => {
    for (const state of ["captured", "refunded"] as const) {
      for (const vipps of VIPPS_STATES) {
        for (const totals of [{}, { captured: AMOUNT }, { cancelled: AMOUNT }]) {
          const next = target(sale(state), snapshot(vipps, totals));
          expect(["none", "captured", "refunded"]).toContain(next);
        }
      }
    }
  });

  it("a capture in the aggregate makes the sale captured, with the captured amount and an end time", () => {
    const { decision } = decide(sale("authorized"), snapshot("AUTHORIZED", { captured: AMOUNT }));
    expect(decision).toMatchObject({
      kind: "transition",
      eventType: "payment.captured",
      patch: { state: "captured", capturedAmount: AMOUNT, refundedAmount: 0, endedAt: NOW },
    });
  });

  it("a partial capture does not count as paid", () => {
    expect(target(sale("authorized"), snapshot("AUTHORIZED", { captured: AMOUNT - 1 }))).toBe("none");
  });

  it("a full refund in the aggregate makes a captured sale refunded, a partial one keeps it captured with the amount", () => {
    expect(target(sale("captured"), snapshot("AUTHORIZED", { captured: AMOUNT, refunded: AMOUNT }))).toBe("refunded");
    const { decision } = decide(sale("captured"), snapshot("AUTHORIZED", { captured: AMOUNT, refunded: 1000 }));
    expect(decision).toMatchObject({ kind: "transition", patch: { state: "captured", refundedAmount: 1000 } });
  });

  it("a refund learned by polling is recorded as a refund, a first capture as a capture", () => {
    const partly = decide(sale("captured"), snapshot("AUTHORIZED", { captured: AMOUNT, refunded: 1000 })).decision;
    expect(partly).toMatchObject({ kind: "transition", eventType: "payment.refunded" });
    const whole = decide(sale("captured"), snapshot("AUTHORIZED", { captured: AMOUNT, refunded: AMOUNT })).decision;
    expect(whole).toMatchObject({ kind: "transition", eventType: "payment.refunded", patch: { state: "refunded" } });
    const first = decide(sale("authorized"), snapshot("AUTHORIZED", { captured: AMOUNT })).decision;
    expect(first).toMatchObject({ kind: "transition", eventType: "payment.captured" });
  });

  it("an old snapshot with less refunded never lowers what we know was refunded", () => {
    const refunded = sale("captured", { refundedAmount: 2000 });
    expect(decide(refunded, snapshot("AUTHORIZED", { captured: AMOUNT, refunded: 1000 })).decision.kind).toBe("none");
  });

  it("a released reservation (cancelled amount, nothing captured) cancels a pending, approved or expired sale", () => {
    for (const state of ["pending", "authorized", "expired"] as const) {
      expect(decide(sale(state), snapshot("AUTHORIZED", { cancelled: AMOUNT })).decision).toMatchObject({
        kind: "transition",
        eventType: "payment.released",
        patch: { state: "cancelled" },
      });
    }
  });

  it("TERMINATED after our expiry cancel means expired; after a cashier cancel it means cancelled", () => {
    expect(target(sale("pending"), snapshot("TERMINATED"), attempt({ cancelReason: "expired" }))).toBe("expired");
    expect(target(sale("pending"), snapshot("TERMINATED"), attempt({ cancelReason: "cancelled" }))).toBe("cancelled");
    expect(target(sale("authorized"), snapshot("TERMINATED"), attempt({ cancelReason: "cancelled" }))).toBe(
      "cancelled",
    );
  });

  it("asks for a capture when the sale is approved, and only then", () => {
    expect(decide(sale("pending"), snapshot("AUTHORIZED")).captureIfAuto).toBe(true);
    expect(decide(sale("authorized"), snapshot("AUTHORIZED")).captureIfAuto).toBe(true);
    expect(decide(sale("pending"), snapshot("CREATED")).captureIfAuto).toBe(false);
    expect(decide(sale("authorized"), snapshot("AUTHORIZED", { captured: AMOUNT })).captureIfAuto).toBe(false);
    expect(decide(sale("authorized"), snapshot("AUTHORIZED", { cancelled: AMOUNT })).captureIfAuto).toBe(false);
  });

  it("reports the attempt's new Vipps state only when it changed", () => {
    expect(decide(sale("pending"), snapshot("AUTHORIZED")).attemptState).toBe("AUTHORIZED");
    expect(decide(sale("pending"), snapshot("CREATED")).attemptState).toBeUndefined();
  });

  describe("an attempt that is no longer the sale's current one", () => {
    const superseded = attempt({ id: "att_0", reference: "kd-ref-0" });

    it("a late approval of it is released, whatever the sale's state", () => {
      for (const state of SALE_STATES)
        expect(decide(sale(state), snapshot("AUTHORIZED"), superseded).decision).toEqual({
          kind: "release-superseded",
        });
    });

    it("is not released twice, nor when money was already captured on it", () => {
      expect(
        decide(sale("pending"), snapshot("AUTHORIZED"), { ...superseded, cancelReason: "superseded" }).decision.kind,
      ).toBe("none");
      expect(decide(sale("pending"), snapshot("AUTHORIZED", { captured: AMOUNT }), superseded).decision.kind).toBe(
        "none",
      );
    });

    it("never changes the sale", () => {
      for (const vipps of VIPPS_STATES)
        expect(decide(sale("pending"), snapshot(vipps), superseded).decision.kind).not.toBe("transition");
    });
  });
});

describe("webhook events as snapshots", () => {
  const event = (name: string) => ({ reference: "kd-ref-1", name, amount: money(AMOUNT) });

  it("state events become a snapshot of that state; only AUTHORIZED carries the amount", () => {
    expect(snapshotFromWebhookEvent(event("AUTHORIZED"))).toMatchObject({
      state: "AUTHORIZED",
      aggregate: { authorizedAmount: money(AMOUNT), capturedAmount: money(0) },
    });
    for (const name of ["ABORTED", "EXPIRED", "TERMINATED"]) {
      expect(snapshotFromWebhookEvent(event(name))).toMatchObject({
        state: name,
        aggregate: { authorizedAmount: money(0) },
      });
    }
  });

  it("money events ask for the running totals instead", () => {
    for (const name of ["CAPTURED", "REFUNDED", "CANCELLED", "CREATED"])
      expect(snapshotFromWebhookEvent(event(name))).toBe("refresh");
  });
});

describe("payment rules", () => {
  it("a QR is live only for the current, created attempt of a pending sale before its deadline", () => {
    expect(isQrLive(sale("pending"), attempt(), NOW_MS)).toBe(true);
    expect(isQrLive(sale("authorized"), attempt(), NOW_MS)).toBe(false);
    expect(isQrLive(sale("pending"), attempt({ state: "CREATING" }), NOW_MS)).toBe(false);
    expect(isQrLive(sale("pending"), attempt({ qrUrl: undefined }), NOW_MS)).toBe(false);
    expect(isQrLive(sale("pending"), attempt({ id: "att_0" }), NOW_MS)).toBe(false);
    expect(isQrLive(sale("pending"), attempt({ expiresAt: NOW }), NOW_MS)).toBe(false);
    expect(isQrLive(sale("pending"), undefined, NOW_MS)).toBe(false);
  });

  it("a QR has run out at its deadline, not before", () => {
    expect(isQrRunOut(sale("pending"), attempt({ expiresAt: NOW }), NOW_MS)).toBe(true);
    expect(isQrRunOut(sale("pending"), attempt(), NOW_MS)).toBe(false);
    expect(isQrRunOut(sale("expired"), attempt({ expiresAt: NOW }), NOW_MS)).toBe(false);
  });

  it("polls every two seconds while a QR is fresh, never past its deadline, slower later and after errors", () => {
    const fresh = attempt({ createdAt: NOW, expiresAt: new Date(NOW_MS + QR_LIFETIME_MS).toISOString() });
    expect(nextPollDelayMs({ attempt: fresh, saleState: "pending", nowMs: NOW_MS, failed: false })).toBe(2000);
    expect(nextPollDelayMs({ attempt: fresh, saleState: "pending", nowMs: NOW_MS + 4 * 60_000, failed: false })).toBe(
      2000,
    );
    expect(nextPollDelayMs({ attempt: fresh, saleState: "pending", nowMs: NOW_MS, failed: true })).toBe(4000);
    const nearDeadline = NOW_MS + QR_LIFETIME_MS - 300;
    expect(nextPollDelayMs({ attempt: fresh, saleState: "pending", nowMs: nearDeadline, failed: false })).toBe(300);
    expect(
      nextPollDelayMs({
        attempt: fresh,
        saleState: "expired",
        nowMs: NOW_MS + QR_LIFETIME_MS + 2 * 60_000,
        failed: false,
      }),
    ).toBe(15_000);
    const approved = { ...fresh, state: "AUTHORIZED" as const, pollCount: 10 };
    expect(nextPollDelayMs({ attempt: approved, saleState: "authorized", nowMs: NOW_MS, failed: false })).toBe(30_000);
    // 120 GETs a minute per reference is Vipps' limit: no schedule comes near it.
    expect(
      60_000 / nextPollDelayMs({ attempt: fresh, saleState: "pending", nowMs: NOW_MS, failed: false }),
    ).toBeLessThanOrEqual(120);
  });
});

describe("sale state machine: the exact change it proposes", () => {
  const ENDED = "2026-05-01T09:59:30.000Z";

  it("an approval of a pending sale: authorized, no end time, capture if the shop auto-captures", () => {
    expect(decide(sale("pending"), snapshot("AUTHORIZED"))).toStrictEqual({
      attemptState: "AUTHORIZED",
      decision: {
        kind: "transition",
        from: ["pending", "expired"],
        patch: { state: "authorized", updatedAt: NOW },
        eventType: "payment.authorized",
      },
      captureIfAuto: true,
    });
    // An approval that Vipps accepted after our QR expired still wins: the customer paid.
    expect(decide(sale("expired", { endedAt: ENDED }), snapshot("AUTHORIZED")).decision).toStrictEqual({
      kind: "transition",
      from: ["pending", "expired"],
      patch: { state: "authorized", updatedAt: NOW },
      eventType: "payment.authorized",
    });
  });

  it("an abort, an expiry and a termination end a sale now", () => {
    const ended = { updatedAt: NOW, endedAt: NOW };
    expect(decide(sale("pending"), snapshot("ABORTED"))).toStrictEqual({
      attemptState: "ABORTED",
      decision: {
        kind: "transition",
        from: ["pending", "authorized"],
        patch: { state: "aborted", ...ended },
        eventType: "payment.aborted",
      },
      captureIfAuto: false,
    });
    expect(decide(sale("pending"), snapshot("EXPIRED")).decision).toStrictEqual({
      kind: "transition",
      from: ["pending", "authorized"],
      patch: { state: "expired", ...ended },
      eventType: "payment.expired",
    });
    expect(decide(sale("authorized"), snapshot("TERMINATED")).decision).toStrictEqual({
      kind: "transition",
      from: ["pending", "authorized"],
      patch: { state: "cancelled", ...ended },
      eventType: "payment.terminated",
    });
    expect(
      decide(sale("pending"), snapshot("TERMINATED"), attempt({ cancelReason: "expired" })).decision,
    ).toStrictEqual({
      kind: "transition",
      from: ["pending", "authorized"],
      patch: { state: "expired", ...ended },
      eventType: "payment.terminated",
    });
    // A superseded cancel on the current attempt is not an expiry.
    expect(target(sale("pending"), snapshot("TERMINATED"), attempt({ cancelReason: "superseded" }))).toBe("cancelled");
  });

  it("a capture moves money onto the sale and ends it, keeping an end time it already has", () => {
    expect(decide(sale("authorized"), snapshot("AUTHORIZED", { captured: AMOUNT }))).toStrictEqual({
      attemptState: "AUTHORIZED",
      decision: {
        kind: "transition",
        // Guarded by the state it was decided on, so a second instance's identical decision does not apply.
        from: ["authorized"],
        patch: { state: "captured", capturedAmount: AMOUNT, refundedAmount: 0, updatedAt: NOW, endedAt: NOW },
        eventType: "payment.captured",
        detail: { capturedAmount: AMOUNT, refundedAmount: 0 },
      },
      captureIfAuto: false,
    });
    const ended = decide(sale("expired", { endedAt: ENDED }), snapshot("AUTHORIZED", { captured: AMOUNT })).decision;
    expect(ended).toMatchObject({ kind: "transition", patch: { state: "captured", endedAt: ENDED } });
    // A cancelled sale whose money was captured after all is paid.
    expect(target(sale("cancelled"), snapshot("AUTHORIZED", { captured: AMOUNT }))).toBe("captured");
  });

  it("a capture does not revive a sale that was aborted or failed", () => {
    expect(target(sale("aborted"), snapshot("AUTHORIZED", { captured: AMOUNT }))).toBe("none");
    expect(target(sale("failed"), snapshot("AUTHORIZED", { captured: AMOUNT }))).toBe("none");
  });

  it("more than the sale's amount captured still counts as paid", () => {
    expect(target(sale("authorized"), snapshot("AUTHORIZED", { captured: AMOUNT + 1 }))).toBe("captured");
  });

  it("refunds: a refunded sale stays put on the same totals, moves on more, and is refunded only when all is back", () => {
    const refunded = sale("refunded");
    expect(decide(refunded, snapshot("AUTHORIZED", { captured: AMOUNT, refunded: AMOUNT })).decision).toEqual({
      kind: "none",
    });
    const partly = sale("captured", { refundedAmount: 1000 });
    expect(decide(partly, snapshot("AUTHORIZED", { captured: AMOUNT, refunded: 1000 })).decision).toEqual({
      kind: "none",
    });
    expect(decide(partly, snapshot("AUTHORIZED", { captured: AMOUNT, refunded: 1500 })).decision).toStrictEqual({
      kind: "transition",
      from: ["captured"],
      patch: { state: "captured", capturedAmount: AMOUNT, refundedAmount: 1500, updatedAt: NOW, endedAt: NOW },
      eventType: "payment.refunded",
      detail: { capturedAmount: AMOUNT, refundedAmount: 1500 },
    });
    expect(target(partly, snapshot("AUTHORIZED", { captured: AMOUNT, refunded: AMOUNT - 1 }))).toBe("captured");
    expect(target(partly, snapshot("AUTHORIZED", { captured: AMOUNT, refunded: AMOUNT }))).toBe("refunded");
  });

  it("a capture that is news never lowers what we know was refunded", () => {
    // We hold more refunded than this (older) snapshot says, and the captured amount differs.
    const ours = sale("captured", { capturedAmount: AMOUNT - 100, refundedAmount: 2000 });
    expect(decide(ours, snapshot("AUTHORIZED", { captured: AMOUNT, refunded: 1000 })).decision).toMatchObject({
      kind: "transition",
      patch: { state: "captured", capturedAmount: AMOUNT, refundedAmount: 2000 },
    });
    // An approved sale (not yet paid) with the same captured number is still moved to captured.
    expect(target(sale("authorized", { capturedAmount: AMOUNT }), snapshot("AUTHORIZED", { captured: AMOUNT }))).toBe(
      "captured",
    );
  });

  it("a released reservation ends the sale, names the released amount and keeps an end time it has", () => {
    expect(decide(sale("authorized"), snapshot("AUTHORIZED", { cancelled: AMOUNT }))).toStrictEqual({
      attemptState: "AUTHORIZED",
      decision: {
        kind: "transition",
        from: ["pending", "authorized", "expired"],
        patch: { state: "cancelled", updatedAt: NOW, endedAt: NOW },
        eventType: "payment.released",
        detail: { cancelledAmount: AMOUNT },
      },
      captureIfAuto: false,
    });
    expect(
      decide(sale("expired", { endedAt: ENDED }), snapshot("AUTHORIZED", { cancelled: AMOUNT })).decision,
    ).toMatchObject({ patch: { endedAt: ENDED } });
    // Part captured, the rest released: that is a (partial) capture, not a cancellation.
    expect(target(sale("authorized"), snapshot("AUTHORIZED", { captured: 100, cancelled: AMOUNT - 100 }))).toBe("none");
    expect(
      decide(sale("authorized"), snapshot("AUTHORIZED", { captured: 100, cancelled: AMOUNT - 100 })).captureIfAuto,
    ).toBe(true);
  });

  it("a snapshot of a state the attempt already has reports no attempt change", () => {
    const verdict = decide(sale("pending"), snapshot("ABORTED"), attempt({ state: "ABORTED" }));
    expect(verdict).not.toHaveProperty("attemptState");
    expect(verdict.decision).toMatchObject({ kind: "transition", patch: { state: "aborted" } });
  });

  it("a superseded attempt's answer is reported for the attempt but never captured or applied to the sale", () => {
    const superseded = attempt({ id: "att_0", reference: "kd-ref-0" });
    expect(decide(sale("pending"), snapshot("AUTHORIZED"), superseded)).toStrictEqual({
      attemptState: "AUTHORIZED",
      decision: { kind: "release-superseded" },
      captureIfAuto: false,
    });
    expect(decide(sale("pending"), snapshot("ABORTED"), superseded)).toStrictEqual({
      attemptState: "ABORTED",
      decision: { kind: "none" },
      captureIfAuto: false,
    });
    // Cancelled for expiry or by the cashier is a reason too: no second release.
    expect(
      decide(sale("pending"), snapshot("AUTHORIZED"), { ...superseded, cancelReason: "expired" }).decision,
    ).toEqual({ kind: "none" });
  });
});

describe("webhook events as exact snapshots", () => {
  it("an AUTHORIZED event reserves its amount; nothing else has moved", () => {
    expect(
      snapshotFromWebhookEvent({ reference: "kd-ref-9", name: "AUTHORIZED", amount: { value: 500, currency: "EUR" } }),
    ).toStrictEqual({
      reference: "kd-ref-9",
      state: "AUTHORIZED",
      aggregate: {
        authorizedAmount: { value: 500, currency: "EUR" },
        cancelledAmount: { value: 0, currency: "EUR" },
        capturedAmount: { value: 0, currency: "EUR" },
        refundedAmount: { value: 0, currency: "EUR" },
      },
    });
  });

  it("an ABORTED event is a snapshot with nothing reserved, in the event's currency", () => {
    const zero = { value: 0, currency: "DKK" };
    expect(
      snapshotFromWebhookEvent({ reference: "kd-ref-9", name: "ABORTED", amount: { value: 500, currency: "DKK" } }),
    ).toStrictEqual({
      reference: "kd-ref-9",
      state: "ABORTED",
      aggregate: { authorizedAmount: zero, cancelledAmount: zero, capturedAmount: zero, refundedAmount: zero },
    });
  });
});

describe("payment rules: the exact timings", () => {
  const CREATED_MS = NOW_MS;
  const fresh = attempt({ createdAt: NOW, expiresAt: new Date(NOW_MS + QR_LIFETIME_MS).toISOString() });
  const delay = (params: { a?: PaymentAttempt; state?: SaleState; at: number; failed?: boolean }) =>
    nextPollDelayMs({
      attempt: params.a ?? fresh,
      saleState: params.state,
      nowMs: params.at,
      failed: params.failed ?? false,
    });

  it("a QR lives ten minutes at Vipps, and three seconds less on our screen; the first poll comes after five seconds", () => {
    expect(VIPPS_PAYMENT_LIFETIME_MS).toBe(600_000);
    expect(QR_LIFETIME_MS).toBe(597_000);
    expect(FIRST_POLL_DELAY_MS).toBe(5000);
    expect(CREATE_IN_FLIGHT_LIMIT_MS).toBe(60_000);
  });

  it("a QR is live up to its last millisecond", () => {
    expect(isQrLive(sale("pending"), attempt({ expiresAt: new Date(NOW_MS + 1).toISOString() }), NOW_MS)).toBe(true);
    expect(isQrLive(sale("pending"), attempt({ qrUrl: "" }), NOW_MS)).toBe(false);
  });

  it("only a created attempt of a pending sale runs out", () => {
    expect(isQrRunOut(sale("pending"), attempt({ expiresAt: new Date(NOW_MS - 1).toISOString() }), NOW_MS)).toBe(true);
    expect(isQrRunOut(sale("pending"), attempt({ expiresAt: NOW, state: "AUTHORIZED" }), NOW_MS)).toBe(false);
    expect(isQrRunOut(sale("pending"), undefined, NOW_MS)).toBe(false);
    expect(isQrRunOut(sale("pending"), attempt({ expiresAt: new Date(NOW_MS + 1).toISOString() }), NOW_MS)).toBe(false);
  });

  it("polls every two seconds until a minute after the QR's end, then every fifteen", () => {
    expect(delay({ at: CREATED_MS })).toBe(2000);
    expect(delay({ at: CREATED_MS + 3 * 60_000 })).toBe(2000);
    expect(delay({ at: CREATED_MS + QR_LIFETIME_MS + 60_000 - 1 })).toBe(2000);
    expect(delay({ at: CREATED_MS + QR_LIFETIME_MS + 60_000 })).toBe(15_000);
  });

  it("while webhooks arrive, a fresh QR's polls back off: 2, 4 and at most 8 seconds, twice that after an error; after the QR's end as without", () => {
    const polled = (pollCount: number) => ({ ...fresh, pollCount });
    const healthy = (params: { a: PaymentAttempt; state?: SaleState; at: number; failed?: boolean }) =>
      nextPollDelayMs({
        attempt: params.a,
        saleState: params.state,
        nowMs: params.at,
        failed: params.failed ?? false,
        webhooksHealthy: true,
      });
    expect([0, 1, 2, 3, 4, 10].map((n) => healthy({ a: polled(n), at: CREATED_MS + 5000 }))).toEqual([
      2000, 2000, 4000, 8000, 8000, 8000,
    ]);
    expect(HEALTHY_WEBHOOKS_POLL_MS).toBe(8000);
    expect(WEBHOOKS_HEALTHY_FOR_MS).toBe(60_000);
    expect(healthy({ a: polled(1), at: CREATED_MS + QR_LIFETIME_MS + 60_000 })).toBe(15_000);
    expect(healthy({ a: polled(3), at: CREATED_MS + 5000, failed: true })).toBe(16_000);
    // Never past a pending sale's deadline.
    expect(healthy({ a: polled(3), state: "pending", at: CREATED_MS + QR_LIFETIME_MS - 300 })).toBe(300);
    // 120 GETs a minute per reference is Vipps' limit: no schedule comes near it.
    expect(60_000 / healthy({ a: polled(0), at: CREATED_MS })).toBeLessThanOrEqual(120);
  });

  it("an approved payment is polled with back-off: 2, 4, 8, 16 and at most 30 seconds", () => {
    const approved = (pollCount: number) => ({ ...fresh, state: "AUTHORIZED" as const, pollCount });
    expect([0, 1, 2, 3, 4, 5].map((n) => delay({ a: approved(n), state: "authorized", at: CREATED_MS }))).toEqual([
      2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });

  it("after an error waits twice as long, at least four seconds and at most thirty", () => {
    expect(delay({ at: CREATED_MS + 3 * 60_000, failed: true })).toBe(4000);
    expect(delay({ at: CREATED_MS + QR_LIFETIME_MS + 60_000, failed: true })).toBe(30_000);
    expect(
      delay({ a: { ...fresh, state: "AUTHORIZED", pollCount: 2 }, state: "authorized", at: CREATED_MS, failed: true }),
    ).toBe(16_000);
  });

  it("a pending sale's QR deadline cuts the wait short, to no less than 50 ms; other sales wait the full delay", () => {
    const deadline = NOW_MS + QR_LIFETIME_MS;
    expect(delay({ state: "pending", at: deadline - 10 })).toBe(50);
    expect(delay({ state: "pending", at: deadline - 700, failed: true })).toBe(700);
    expect(delay({ state: "authorized", at: deadline - 700, failed: true })).toBe(4000);
    expect(delay({ state: undefined, at: deadline - 700 })).toBe(2000);
    // At or past the deadline there is nothing to cut short.
    expect(delay({ state: "pending", at: deadline })).toBe(2000);
  });
});

describe("an approval that Vipps' own GET contradicts", () => {
  const NOW_ISO = "2026-05-01T10:00:00.000Z";
  const approvedAt = (msBefore: number) => new Date(Date.parse(NOW_ISO) - msBefore).toISOString();
  const base = (updatedAt: string): Sale => ({
    id: "sale_1",
    terminalId: "pos-1",
    receiptNumber: "000001",
    currency: "NOK",
    amount: 42924,
    description: "Ear buds",
    lines: [],
    state: "authorized",
    autoCapture: true,
    capturedAmount: 0,
    refundedAmount: 0,
    currentAttemptId: "att_1",
    attemptCount: 1,
    createdAt: approvedAt(60_000),
    updatedAt,
  });
  const created: GatewayPaymentSnapshot = {
    reference: "kd-ref-1",
    state: "CREATED",
    aggregate: {
      authorizedAmount: { value: 0, currency: "NOK" },
      capturedAmount: { value: 0, currency: "NOK" },
      refundedAmount: { value: 0, currency: "NOK" },
      cancelledAmount: { value: 0, currency: "NOK" },
    },
  };
  const att: PaymentAttempt = {
    id: "att_1",
    saleId: "sale_1",
    reference: "kd-ref-1",
    state: "AUTHORIZED",
    createdAt: approvedAt(60_000),
    expiresAt: approvedAt(-60_000),
    nextPollAt: NOW_ISO,
    pollCount: 1,
  };

  it("goes back to waiting for the customer once the approval has stood a while", () => {
    expect(
      decideFromSnapshot({ sale: base(approvedAt(10_000)), attempt: att, snapshot: created, nowIso: NOW_ISO }).decision,
    ).toMatchObject({
      kind: "transition",
      from: ["authorized"],
      patch: { state: "pending" },
      eventType: "payment.approval-contradicted",
    });
  });

  it("is left alone right after the approval, when the GET may have been answered before it", () => {
    expect(
      decideFromSnapshot({ sale: base(approvedAt(9_999)), attempt: att, snapshot: created, nowIso: NOW_ISO }).decision
        .kind,
    ).toBe("none");
  });
});

describe("sale state machine: captures we learn of late", () => {
  it("a capture found while the sale still waits for the customer makes it paid", () => {
    expect(decide(sale("pending"), snapshot("AUTHORIZED", { captured: AMOUNT })).decision).toMatchObject({
      kind: "transition",
      from: ["pending"],
      patch: { state: "captured", capturedAmount: AMOUNT },
    });
  });

  it("Vipps' totals correct a refunded sale whose captured amount differs", () => {
    const ours = sale("refunded", { capturedAmount: AMOUNT - 100, refundedAmount: AMOUNT - 100 });
    expect(decide(ours, snapshot("AUTHORIZED", { captured: AMOUNT, refunded: AMOUNT - 100 })).decision).toMatchObject({
      kind: "transition",
      from: ["refunded"],
      patch: { state: "captured", capturedAmount: AMOUNT, refundedAmount: AMOUNT - 100 },
    });
  });
});
