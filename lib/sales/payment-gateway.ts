/**
 * The part of the Vipps client the sales domain needs, stated structurally so the domain can be
 * tested without HTTP and so that it does not depend on the client's construction details.
 */
import { DomainError } from "@/lib/errors";
import type { PaymentState } from "@/lib/vipps/facts";
import type { CreatePaymentRequest } from "@/lib/vipps/schemas";

export type VippsPaymentState = PaymentState;

export interface GatewayAmount {
  value: number;
  currency: string;
}

export interface GatewayAggregate {
  authorizedAmount: GatewayAmount;
  cancelledAmount: GatewayAmount;
  capturedAmount: GatewayAmount;
  refundedAmount: GatewayAmount;
}

export interface GatewayPaymentSnapshot {
  reference: string;
  state: VippsPaymentState;
  aggregate: GatewayAggregate;
  /** Until when Vipps guarantees the capture of an authorized payment, when it says (GET, AUTHORIZED webhook). */
  captureGuaranteedUntil?: string | null;
}

export interface PaymentGateway {
  createPayment(
    body: CreatePaymentRequest,
    options: { idempotencyKey: string },
  ): Promise<{ reference: string; redirectUrl?: string }>;
  getPayment(reference: string): Promise<GatewayPaymentSnapshot>;
  capturePayment(
    reference: string,
    body: { modificationAmount: GatewayAmount },
    options: { idempotencyKey: string },
  ): Promise<GatewayPaymentSnapshot>;
  cancelPayment(
    reference: string,
    options: { idempotencyKey: string; cancelTransactionOnly?: boolean },
  ): Promise<GatewayPaymentSnapshot>;
  refundPayment(
    reference: string,
    body: { modificationAmount: GatewayAmount },
    options: { idempotencyKey: string },
  ): Promise<GatewayPaymentSnapshot>;
}

/** Structural view of the client's error, because the class may come from another bundle. */
export function gatewayErrorStatus(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "status" in error) {
    const status = (error as { status: unknown }).status;
    if (typeof status === "number") return status;
  }
  return undefined;
}

export function gatewayErrorSummary(error: unknown): string {
  if (typeof error !== "object" || error === null) return String(error);
  const e = error as {
    name?: string;
    status?: number;
    detail?: string;
    message?: string;
    problem?: { detail?: string; title?: string };
  };
  const detail = e.problem?.detail ?? e.detail ?? e.problem?.title ?? e.message ?? "unknown error";
  return e.status ? `${e.status} ${detail}` : `${e.name ?? "Error"}: ${detail}`;
}

/** Vipps' error code (ePayment domain errors carry it as extraDetails [{ name: "ErrorCode", reason }]), if any. */
export function gatewayErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const details = (error as { problem?: { extraDetails?: unknown } }).problem?.extraDetails;
  if (!Array.isArray(details)) return undefined;
  const entry = details.find(
    (detail): detail is { name: string; reason: string } =>
      detail?.name === "ErrorCode" && typeof detail.reason === "string",
  );
  return entry?.reason;
}

/**
 * What a cashier reads for the Vipps error codes a counter meets (ePayment 2026; knowledge base
 * "errors"): what happened and what to do, with the code to quote to Vipps.
 */
const CASHIER_TEXT_BY_ERROR_CODE: Record<string, string> = {
  "4010":
    "Vipps refused a repeated request that differed from the first (error 4010). Nothing was done twice; start the action again.",
  "5080":
    "Vipps does not allow sending payments to a phone for this sales unit (error 5080). Show the QR code instead.",
  "6140": "This sales unit must capture the full amount at once (error 6140).",
  "6250":
    "Vipps is still processing this payment and cannot cancel it yet (error 6250). It is tried again in a moment.",
  "6260":
    "The customer's funds are not available, so Vipps could not take the money (error 6260). It is tried again; if it keeps failing, ask for another way to pay.",
  "6280": "Vipps could not capture the payment just now (error 6280). It is tried again automatically.",
};

export function cashierTextForErrorCode(code: string | undefined): string | undefined {
  return code === undefined ? undefined : CASHIER_TEXT_BY_ERROR_CODE[code];
}

/** Retry-After that came with the client's error, in whole seconds (at least 1). */
function gatewayRetryAfterSeconds(error: unknown): number {
  const ms =
    typeof error === "object" && error !== null && "retryAfterMs" in error
      ? (error as { retryAfterMs: unknown }).retryAfterMs
      : undefined;
  return typeof ms === "number" && Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 1000) : 1;
}

/**
 * A failed Vipps call as the client sees it: a refusal (Vipps answered with an error status) or
 * unavailability (no answer: network, timeout). Neither says more than Vipps did. A 429 means Vipps
 * did nothing and asks for patience: our client gets a 429 with Retry-After too, not a 502.
 */
export function providerFailure(error: unknown, what: string, extraFields?: Record<string, unknown>): DomainError {
  let extra = extraFields;
  const status = gatewayErrorStatus(error);
  const code = gatewayErrorCode(error);
  const detail = `${what}: ${cashierTextForErrorCode(code) ?? gatewayErrorSummary(error)}`;
  if (code) extra = { ...extra, vippsErrorCode: code };
  if (status === 429)
    return new DomainError("paymentProviderRateLimited", detail, {
      retryAfterSeconds: gatewayRetryAfterSeconds(error),
      ...(extra ? { extra } : {}),
    });
  return new DomainError(status ? "paymentProvider" : "paymentProviderUnavailable", detail, extra ? { extra } : {});
}
