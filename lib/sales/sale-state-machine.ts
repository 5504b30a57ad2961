import type { GatewayPaymentSnapshot, VippsPaymentState } from "./payment-gateway";
import type { PaymentAttempt, Sale, SaleState } from "./types";

/**
 * The sale state machine, without I/O: given what we hold (the sale and one of its attempts) and
 * what Vipps says about that attempt (a payment snapshot), it decides what must change. The
 * caller applies the decision as a compare-and-set, so a decision made on a stale read simply
 * does not apply. Replaying an old snapshot never moves a sale backwards.
 */
/** How long an approval stands before a GET saying "not approved" may overrule it. */
export const CONTRADICTION_GRACE_MS = 10_000;

export type SaleDecision =
  | { kind: "none" }
  | {
      kind: "transition";
      /** States the sale may be in for the change to apply (the compare-and-set guard). */
      from: readonly SaleState[];
      patch: Partial<Omit<Sale, "id">>;
      eventType: string;
      detail?: Record<string, unknown>;
    }
  /** An older attempt of this sale was approved after we moved on: release the reserved money. */
  | { kind: "release-superseded" };

export interface SnapshotVerdict {
  /** The attempt's new Vipps state, when it differs from what we hold. */
  attemptState?: VippsPaymentState;
  decision: SaleDecision;
  /** The sale is (now) approved: capture it if the shop auto-captures. */
  captureIfAuto: boolean;
}

export function decideFromSnapshot(params: {
  sale: Sale;
  attempt: PaymentAttempt;
  snapshot: GatewayPaymentSnapshot;
  nowIso: string;
}): SnapshotVerdict {
  const { sale, attempt, snapshot, nowIso } = params;
  const attemptState = attempt.state !== snapshot.state ? snapshot.state : undefined;
  const verdict = (decision: SaleDecision, captureIfAuto = false): SnapshotVerdict => ({
    ...(attemptState ? { attemptState } : {}),
    decision,
    captureIfAuto,
  });
  const captured = snapshot.aggregate.capturedAmount.value;
  const refunded = snapshot.aggregate.refundedAmount.value;
  const cancelled = snapshot.aggregate.cancelledAmount.value;

  if (sale.currentAttemptId !== attempt.id) {
    const lateApproval = snapshot.state === "AUTHORIZED" && captured === 0 && !attempt.cancelReason;
    return verdict(lateApproval ? { kind: "release-superseded" } : { kind: "none" });
  }

  const moveTo = (
    from: readonly SaleState[],
    state: SaleState,
    eventType: string,
    extra: Partial<Sale> = {},
    detail?: Record<string, unknown>,
  ): SaleDecision =>
    sale.state === state || !from.includes(sale.state)
      ? { kind: "none" }
      : {
          kind: "transition",
          from,
          patch: { state, updatedAt: nowIso, ...extra },
          eventType,
          ...(detail ? { detail } : {}),
        };

  switch (snapshot.state) {
    case "AUTHORIZED": {
      if (captured > 0 && captured >= sale.amount) {
        const unchanged =
          sale.capturedAmount === captured &&
          sale.refundedAmount >= refunded &&
          (sale.state === "captured" || sale.state === "refunded");
        const from: SaleState[] = ["pending", "authorized", "captured", "refunded", "expired", "cancelled"];
        if (unchanged || !from.includes(sale.state)) return verdict({ kind: "none" });
        return verdict({
          kind: "transition",
          // Guarded by the very state it was decided on: two instances applying the same capture
          // at once must not both record it (the amounts are not part of the compare-and-set).
          from: [sale.state],
          patch: {
            state: refunded >= captured && refunded > 0 ? "refunded" : "captured",
            capturedAmount: captured,
            refundedAmount: Math.max(sale.refundedAmount, refunded),
            updatedAt: nowIso,
            endedAt: sale.endedAt ?? nowIso,
          },
          // A sale already captured for this amount whose aggregate shows more refunded has had a
          // refund (made elsewhere, say in the portal), learned by polling: recorded as what it is.
          eventType:
            sale.capturedAmount === captured && refunded > sale.refundedAmount
              ? "payment.refunded"
              : "payment.captured",
          detail: { capturedAmount: captured, refundedAmount: refunded },
        });
      }
      if (cancelled > 0 && captured === 0) {
        return verdict(
          moveTo(
            ["pending", "authorized", "expired"],
            "cancelled",
            "payment.released",
            { endedAt: sale.endedAt ?? nowIso },
            { cancelledAmount: cancelled },
          ),
        );
      }
      // Vipps' own capture guarantee, when it gives one, becomes the sale's capture deadline (sale-views.ts).
      const guarantee = validIso(snapshot.captureGuaranteedUntil);
      return verdict(
        moveTo(
          ["pending", "expired"],
          "authorized",
          "payment.authorized",
          {},
          guarantee ? { captureGuaranteedUntil: guarantee } : undefined,
        ),
        true,
      );
    }
    // From "authorized" too: Vipps' own word outranks an approval we were told of but it denies.
    case "ABORTED":
      return verdict(moveTo(["pending", "authorized"], "aborted", "payment.aborted", { endedAt: nowIso }));
    case "EXPIRED":
      return verdict(moveTo(["pending", "authorized"], "expired", "payment.expired", { endedAt: nowIso }));
    case "TERMINATED": {
      const state: SaleState = attempt.cancelReason === "expired" ? "expired" : "cancelled";
      return verdict(moveTo(["pending", "authorized"], state, "payment.terminated", { endedAt: nowIso }));
    }
    case "CREATED": {
      // Vipps says nobody approved, yet we hold the sale approved: an event Vipps' GET contradicts.
      // Trust the GET, once it cannot be an answer that was on its way before the approval.
      const settled = Date.parse(nowIso) - Date.parse(sale.updatedAt) >= CONTRADICTION_GRACE_MS;
      if (sale.state === "authorized" && captured === 0 && settled) {
        return verdict({
          kind: "transition",
          from: ["authorized"],
          patch: { state: "pending", updatedAt: nowIso },
          eventType: "payment.approval-contradicted",
        });
      }
      return verdict({ kind: "none" });
    }
  }
}

/** The webhook events that name a state outright; the money events need the running totals. */
const STATE_BY_WEBHOOK_EVENT: Partial<Record<string, VippsPaymentState>> = {
  AUTHORIZED: "AUTHORIZED",
  ABORTED: "ABORTED",
  EXPIRED: "EXPIRED",
  TERMINATED: "TERMINATED",
};

/**
 * A webhook names one event. For state events it is a snapshot; CAPTURED, REFUNDED and CANCELLED
 * carry only one movement, so the caller must ask Vipps for the aggregate ("refresh").
 */
export function snapshotFromWebhookEvent(event: {
  reference: string;
  name: string;
  amount: { value: number; currency: string };
  captureGuaranteedUntil?: string | null;
}): GatewayPaymentSnapshot | "refresh" {
  const state = STATE_BY_WEBHOOK_EVENT[event.name];
  if (!state) return "refresh";
  const zero = { value: 0, currency: event.amount.currency };
  return {
    reference: event.reference,
    state,
    aggregate: {
      authorizedAmount: state === "AUTHORIZED" ? event.amount : zero,
      cancelledAmount: zero,
      capturedAmount: zero,
      refundedAmount: zero,
    },
    ...(state === "AUTHORIZED" && event.captureGuaranteedUntil
      ? { captureGuaranteedUntil: event.captureGuaranteedUntil }
      : {}),
  };
}

/** A date-time Vipps sent, normalised to ISO; anything unreadable is ignored (our own deadline stands). */
function validIso(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
