/**
 * The app's one error model. Domain services and the store throw these; the HTTP layer maps them
 * to problem+json in one place (lib/http/problem.ts). They are recognised by a brand stored under
 * a global symbol, not by `instanceof` (Next may load this module once per bundle) and never by
 * reading message text.
 */
const BRAND = Symbol.for("kassa-display.error");

export interface FieldError {
  field: string;
  reason: string;
}

/** What went wrong, in domain words; the HTTP status is the HTTP layer's business. */
export type DomainErrorCode =
  | "validation"
  | "notFound"
  | "conflict"
  | "terminalBusy"
  | "invalidState"
  | "idempotencyConflict"
  | "refundTooLarge"
  | "unauthorized"
  | "forbidden"
  | "rateLimited"
  /** Another operation on the same sale holds it; retry shortly. */
  | "saleBusy"
  /** Vipps asked us to slow down (429); nothing was done. */
  | "paymentProviderRateLimited"
  | "paymentProvider"
  | "paymentProviderUnavailable"
  /** Vipps refused a push payment for this sales unit (error 5080): a QR works instead. */
  | "pushNotAllowed"
  /** Vipps keeps failing: new sales are refused at once until a probe gets through (vipps-availability.ts). */
  | "vippsUnavailable";

export interface DomainErrorOptions {
  /** Per-field reasons, shown to the client. */
  errors?: FieldError[];
  /** Extra, client-safe members of the problem (e.g. `activeSaleId`, `refundable`). */
  extra?: Record<string, unknown>;
  /** Seconds until a retry may succeed (rate limits). */
  retryAfterSeconds?: number;
}

export class DomainError extends Error {
  readonly [BRAND] = "domain" as const;

  constructor(
    readonly code: DomainErrorCode,
    readonly detail: string,
    readonly options: DomainErrorOptions = {},
  ) {
    super(detail);
    this.name = "DomainError";
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return typeof error === "object" && error !== null && (error as { [BRAND]?: unknown })[BRAND] === "domain";
}

/** Failures the store reports in its own terms; services decide what they mean to a client. */
export type StoreErrorCode =
  /** The terminal already has an active sale (the one-active-sale-per-terminal guard). */
  | "activeSaleConflict"
  /** A unique key (e.g. a sale's idempotency key) is taken: a concurrent request won. */
  | "duplicateKey"
  /** A paging cursor the store did not hand out. */
  | "invalidCursor"
  /** The row a write names does not exist. */
  | "notFound";

export class StoreError extends Error {
  readonly [BRAND] = "store" as const;

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly details: Record<string, string> = {},
  ) {
    super(message);
    this.name = "StoreError";
  }
}

export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  if (typeof error !== "object" || error === null || (error as { [BRAND]?: unknown })[BRAND] !== "store") return false;
  return code === undefined || (error as StoreError).code === code;
}
