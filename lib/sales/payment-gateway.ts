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
}

export interface PaymentGateway {
  createPayment(body: CreatePaymentRequest, options: { idempotencyKey: string }): Promise<{ reference: string; redirectUrl?: string }>;
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
  const e = error as { name?: string; status?: number; detail?: string; message?: string; problem?: { detail?: string; title?: string } };
  const detail = e.problem?.detail ?? e.detail ?? e.problem?.title ?? e.message ?? "unknown error";
  return e.status ? `${e.status} ${detail}` : `${e.name ?? "Error"}: ${detail}`;
}

/** Retry-After that came with the client's error, in whole seconds (at least 1). */
function gatewayRetryAfterSeconds(error: unknown): number {
  const ms = typeof error === "object" && error !== null && "retryAfterMs" in error ? (error as { retryAfterMs: unknown }).retryAfterMs : undefined;
  return typeof ms === "number" && Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 1000) : 1;
}

/**
 * A failed Vipps call as the client sees it: a refusal (Vipps answered with an error status) or
 * unavailability (no answer: network, timeout). Neither says more than Vipps did. A 429 means Vipps
 * did nothing and asks for patience: our client gets a 429 with Retry-After too, not a 502.
 */
export function providerFailure(error: unknown, what: string, extra?: Record<string, unknown>): DomainError {
  const status = gatewayErrorStatus(error);
  const detail = `${what}: ${gatewayErrorSummary(error)}`;
  if (status === 429) return new DomainError("paymentProviderRateLimited", detail, { retryAfterSeconds: gatewayRetryAfterSeconds(error), ...(extra ? { extra } : {}) });
  return new DomainError(status ? "paymentProvider" : "paymentProviderUnavailable", detail, extra ? { extra } : {});
}
