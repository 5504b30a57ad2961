import "server-only";
import type { ProblemDetails } from "@/lib/contracts/problems";
import { type DomainError, type DomainErrorCode, type FieldError, isDomainError } from "@/lib/errors";

/**
 * Errors the app reports to its own clients, as RFC 9457 problem details. This is the one place
 * where errors become HTTP: a DomainError maps by its code, an HTTP-level ProblemError (bad JSON,
 * too large) carries its problem; anything else becomes a logged 500 without internal detail.
 */
export type { FieldError };

/** The problem's shape is the API's contract (lib/contracts/problems.ts). */
export type { ProblemDetails };

const TYPE_BASE = "https://kassa.display/problems/";

export const PROBLEM_TYPES = {
  validation: { slug: "validation-error", title: "The request is not valid", status: 400 },
  malformedJson: { slug: "malformed-json", title: "The request body is not valid JSON", status: 400 },
  unsupportedMediaType: { slug: "unsupported-media-type", title: "The request body must be JSON", status: 415 },
  payloadTooLarge: { slug: "payload-too-large", title: "The request body is too large", status: 413 },
  unauthorized: { slug: "unauthorized", title: "Authentication is required", status: 401 },
  forbidden: { slug: "forbidden", title: "Not allowed", status: 403 },
  notFound: { slug: "not-found", title: "Not found", status: 404 },
  conflict: { slug: "conflict", title: "Already exists", status: 409 },
  terminalBusy: { slug: "terminal-busy", title: "The terminal already has an active sale", status: 409 },
  invalidState: { slug: "invalid-state", title: "The sale is not in a state that allows this", status: 409 },
  idempotencyConflict: {
    slug: "idempotency-conflict",
    title: "The Idempotency-Key was used with another request",
    status: 409,
  },
  refundTooLarge: {
    slug: "refund-exceeds-captured",
    title: "The refund is larger than what can be refunded",
    status: 422,
  },
  rateLimited: { slug: "rate-limited", title: "Too many attempts", status: 429 },
  saleBusy: { slug: "sale-busy", title: "Another operation on this sale is in progress", status: 409 },
  paymentProviderRateLimited: {
    slug: "payment-provider-rate-limited",
    title: "Vipps MobilePay asked us to slow down; nothing was done",
    status: 429,
  },
  paymentProvider: { slug: "payment-provider-error", title: "Vipps MobilePay did not accept the request", status: 502 },
  paymentProviderUnavailable: {
    slug: "payment-provider-unavailable",
    title: "Vipps MobilePay could not be reached",
    status: 503,
  },
  pushNotAllowed: {
    slug: "push-not-allowed",
    title: "Vipps does not allow payment requests to a phone for this sales unit; show the QR code instead",
    status: 422,
  },
  vippsUnavailable: {
    slug: "vipps-unavailable",
    title: "Vipps is not answering; take the payment another way",
    status: 503,
  },
  internal: { slug: "internal-error", title: "Something went wrong on our side", status: 500 },
} as const;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

// Every domain error code has an HTTP meaning; the compiler checks that the table covers them.
const _everyDomainCodeMapped: Record<DomainErrorCode, unknown> = PROBLEM_TYPES;

export class ProblemError extends Error {
  readonly problem: ProblemDetails;

  constructor(kind: ProblemKind, detail: string, extra: { errors?: FieldError[]; [key: string]: unknown } = {}) {
    super(detail);
    this.name = "ProblemError";
    const spec = PROBLEM_TYPES[kind];
    this.problem = { type: `${TYPE_BASE}${spec.slug}`, title: spec.title, status: spec.status, detail, ...extra };
  }
}

export function isProblemError(error: unknown): error is { problem: ProblemDetails } {
  return (
    typeof error === "object" &&
    error !== null &&
    "problem" in error &&
    typeof (error as { problem: { status?: unknown } }).problem?.status === "number"
  );
}

function domainProblem(error: DomainError): { problem: ProblemDetails; headers: Record<string, string> } {
  const { errors, extra, retryAfterSeconds } = error.options;
  const problem = new ProblemError(error.code, error.detail, { ...extra, ...(errors ? { errors } : {}) }).problem;
  return { problem, headers: retryAfterSeconds !== undefined ? { "retry-after": String(retryAfterSeconds) } : {} };
}

/** The response for a thrown error, or undefined when it is not one we may show a client. */
export function responseForError(error: unknown): Response | undefined {
  if (isDomainError(error)) {
    const { problem, headers } = domainProblem(error);
    return problemResponse(problem, headers);
  }
  if (isProblemError(error)) return problemResponse(error.problem);
  return undefined;
}

export function problemResponse(problem: ProblemDetails, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers },
  });
}

export function problem(
  kind: ProblemKind,
  detail: string,
  extra: { errors?: FieldError[]; [key: string]: unknown } = {},
): Response {
  return problemResponse(new ProblemError(kind, detail, extra).problem);
}

/** zod issues to field errors, with paths like `lines[0].unitPrice`. */
export function fieldErrorsFromZod(issues: { path: PropertyKey[]; message: string }[]): FieldError[] {
  return issues.map((issue) => ({
    field:
      issue.path
        .map((part, index) => (typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`))
        .join("") || "(body)",
    reason: issue.message,
  }));
}
