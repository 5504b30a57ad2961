/**
 * A scripted Vipps for domain tests: it keeps one payment per reference, moves money the way
 * ePayment does (capture, cancel, refund against the reserved amount), records every call made to
 * it, and can be told to fail a kind of call, so tests state exactly what Vipps answered.
 */
import type {
  GatewayAmount,
  GatewayPaymentSnapshot,
  PaymentGateway,
  VippsPaymentState,
} from "@/lib/sales/payment-gateway";
import type { CreatePaymentRequest } from "@/lib/vipps/schemas";

export type GatewayOperation = "create" | "get" | "capture" | "cancel" | "refund";

export interface ScriptedPayment {
  state: VippsPaymentState;
  amount: number;
  currency: string;
  captured: number;
  cancelled: number;
  refunded: number;
}

/** A refusal as the Vipps client throws it: Vipps answered with an error status. */
export function httpError(status: number, detail = `Vipps said ${status}`): Error & { status: number; detail: string } {
  return Object.assign(new Error(detail), { name: "VippsApiError", status, detail });
}

/** No answer at all, as fetch reports a dropped connection. */
export function networkError(message = "fetch failed: connection reset"): TypeError {
  return new TypeError(message);
}

export function scriptedVipps(options: { captureDelayMs?: number; defaultAmount?: number } = {}) {
  const payments = new Map<string, ScriptedPayment>();
  /** One line per call: "<operation> <reference> [<idempotency key>]". */
  const calls: string[] = [];
  const created: CreatePaymentRequest[] = [];
  const cancels: { reference: string; idempotencyKey: string; cancelTransactionOnly?: boolean }[] = [];
  const appliedCaptureKeys = new Set<string>();
  const modifications: {
    operation: "capture" | "refund";
    reference: string;
    amount: GatewayAmount;
    idempotencyKey: string;
  }[] = [];
  const failures = new Map<GatewayOperation, { error: unknown; times: number }>();
  let answerWithoutQr = false;

  const money = (value: number, currency: string) => ({ value, currency });
  const snap = (reference: string): GatewayPaymentSnapshot => {
    const p = payments.get(reference) ?? {
      state: "CREATED" as const,
      amount: options.defaultAmount ?? 0,
      currency: "NOK",
      captured: 0,
      cancelled: 0,
      refunded: 0,
    };
    return {
      reference,
      state: p.state,
      aggregate: {
        authorizedAmount: money(p.state === "AUTHORIZED" ? p.amount : 0, p.currency),
        capturedAmount: money(p.captured, p.currency),
        refundedAmount: money(p.refunded, p.currency),
        cancelledAmount: money(p.cancelled, p.currency),
      },
    };
  };
  const failIfTold = (operation: GatewayOperation) => {
    const failure = failures.get(operation);
    if (!failure) return;
    failure.times -= 1;
    if (failure.times <= 0) failures.delete(operation);
    throw failure.error;
  };

  const gateway: PaymentGateway = {
    async createPayment(body, opts) {
      calls.push(`create ${body.reference} ${opts.idempotencyKey}`);
      created.push(body);
      failIfTold("create");
      payments.set(body.reference, {
        state: "CREATED",
        amount: body.amount.value,
        currency: body.amount.currency,
        captured: 0,
        cancelled: 0,
        refunded: 0,
      });
      return answerWithoutQr
        ? { reference: body.reference }
        : { reference: body.reference, redirectUrl: `https://qr.example/${body.reference}` };
    },
    async getPayment(reference) {
      calls.push(`get ${reference}`);
      failIfTold("get");
      return snap(reference);
    },
    async capturePayment(reference, body, opts) {
      calls.push(`capture ${reference} ${opts.idempotencyKey}`);
      modifications.push({
        operation: "capture",
        reference,
        amount: body.modificationAmount,
        idempotencyKey: opts.idempotencyKey,
      });
      // Let a concurrent caller run into the same moment, as a slow network would.
      await new Promise((resolve) => setTimeout(resolve, options.captureDelayMs ?? 5));
      failIfTold("capture");
      const p = payments.get(reference);
      // As Vipps does: a capture repeated under the same idempotency key is answered, not applied again.
      const key = `${reference} ${opts.idempotencyKey}`;
      if (p && !appliedCaptureKeys.has(key)) {
        appliedCaptureKeys.add(key);
        p.captured += body.modificationAmount.value;
      }
      return snap(reference);
    },
    async cancelPayment(reference, opts) {
      calls.push(`cancel ${reference} ${opts.idempotencyKey}`);
      cancels.push({
        reference,
        idempotencyKey: opts.idempotencyKey,
        ...(opts.cancelTransactionOnly !== undefined ? { cancelTransactionOnly: opts.cancelTransactionOnly } : {}),
      });
      failIfTold("cancel");
      const p = payments.get(reference);
      if (p && p.captured === 0) {
        if (p.state === "AUTHORIZED") {
          if (opts.cancelTransactionOnly) throw httpError(400, "Payment is already reserved");
          p.cancelled = p.amount;
        } else if (p.state === "CREATED") {
          p.state = "TERMINATED";
          p.cancelled = p.amount;
        }
      }
      return snap(reference);
    },
    async refundPayment(reference, body, opts) {
      calls.push(`refund ${reference} ${opts.idempotencyKey}`);
      modifications.push({
        operation: "refund",
        reference,
        amount: body.modificationAmount,
        idempotencyKey: opts.idempotencyKey,
      });
      failIfTold("refund");
      const p = payments.get(reference);
      if (p) p.refunded += body.modificationAmount.value;
      return snap(reference);
    },
  };

  return {
    gateway,
    calls,
    created,
    cancels,
    modifications,
    payments,
    /** The customer approves the payment in the app. */
    approve(reference: string) {
      const p = payments.get(reference);
      if (p) p.state = "AUTHORIZED";
    },
    /** Puts a payment in a given state, as if it had got there at Vipps. */
    set(reference: string, payment: Partial<ScriptedPayment>) {
      const p = payments.get(reference) ?? {
        state: "CREATED" as const,
        amount: options.defaultAmount ?? 0,
        currency: "NOK",
        captured: 0,
        cancelled: 0,
        refunded: 0,
      };
      payments.set(reference, { ...p, ...payment });
    },
    /** The next `times` calls of this kind fail with `error` (recorded as calls all the same). */
    fail(operation: GatewayOperation, error: unknown, times = Number.POSITIVE_INFINITY) {
      failures.set(operation, { error, times });
    },
    recover(operation?: GatewayOperation) {
      if (operation) failures.delete(operation);
      else failures.clear();
    },
    /** Vipps answers a create without the QR link a QR payment must have. */
    answerCreatesWithoutQr(on = true) {
      answerWithoutQr = on;
    },
    count(prefix: string) {
      return calls.filter((call) => call.startsWith(prefix)).length;
    },
  };
}

export type ScriptedVipps = ReturnType<typeof scriptedVipps>;
