/**
 * Typed failures of the Vipps client. Every error names the operation that failed and says whether
 * trying again (with the same Idempotency-Key) can help.
 *
 * Messages never contain credentials or tokens: they are built from the operation, the HTTP status
 * and the server's problem text only, and anything taken from a token-endpoint response is scrubbed
 * of the credentials that were sent.
 */
import type { z } from "zod";
import { ProblemSchema, WebhooksProblemDetailsSchema, type ExtraDetail } from "./schemas";

export class VippsError extends Error {
  /** Client operation, e.g. "createPayment", "fetchAccessToken". */
  readonly operation: string;

  constructor(operation: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "VippsError";
    this.operation = operation;
  }

  /** Whether the same request may succeed if sent again later. */
  get isRetryable(): boolean {
    return false;
  }
}

/** A problem body normalised from ePayment `Problem`, Webhooks `ProblemDetails` or an APIM error. */
export interface VippsProblem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  traceId?: string;
  instance?: string;
  extraDetails?: ExtraDetail[];
}

export function isJsonContentType(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]+\/([a-z0-9!#$&^_.+-]*\+)?json$/.test(mediaType);
}

const asString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/**
 * Reads a problem out of an error body. ePayment and Webhooks problems are parsed by their schemas;
 * anything else JSON-shaped (Azure APIM sends `{ statusCode, message }`) is read field by field.
 * Returns undefined for non-JSON bodies.
 */
export function parseProblem(rawBody: string, contentType: string | null | undefined): VippsProblem | undefined {
  if (!rawBody.trim()) return undefined;
  if (contentType && !isJsonContentType(contentType)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== "object" || Array.isArray(json)) return undefined;

  const strict = ProblemSchema.safeParse(json);
  if (strict.success) {
    const { extraDetails, ...rest } = strict.data;
    return { ...rest, ...(extraDetails ? { extraDetails } : {}) };
  }
  const webhooks = WebhooksProblemDetailsSchema.safeParse(json);
  const record = json as Record<string, unknown>;
  const problem: VippsProblem = {};
  if (webhooks.success) {
    for (const [key, value] of Object.entries(webhooks.data)) {
      if (value !== null && value !== undefined) (problem as Record<string, unknown>)[key] = value;
    }
  } else {
    problem.type = asString(record.type);
    problem.title = asString(record.title);
    problem.detail = asString(record.detail);
    problem.traceId = asString(record.traceId);
    problem.instance = asString(record.instance);
    if (typeof record.status === "number") problem.status = record.status;
  }
  // Azure APIM's own errors (401 bad key, 429 quota) use { statusCode, message }.
  problem.detail ??= asString(record.message);
  if (problem.status === undefined && typeof record.statusCode === "number") problem.status = record.statusCode;
  const meaningful = Object.values(problem).some((value) => value !== undefined);
  return meaningful ? Object.fromEntries(Object.entries(problem).filter(([, v]) => v !== undefined)) : undefined;
}

/** The server answered with a non-2xx status. */
export class VippsApiError extends VippsError {
  readonly status: number;
  readonly problem: VippsProblem | undefined;
  /** Body text as received (may be empty or HTML from a proxy). */
  readonly rawBody: string;
  readonly contentType: string | undefined;
  /** From a Retry-After header, if the server sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(params: {
    operation: string;
    status: number;
    rawBody: string;
    contentType?: string | null;
    retryAfterMs?: number;
  }) {
    const problem = parseProblem(params.rawBody, params.contentType);
    const summary = [problem?.title, problem?.detail].filter(Boolean).join(": ");
    super(
      params.operation,
      `Vipps ${params.operation} failed with HTTP ${params.status}${summary ? ` (${summary})` : ""}`,
    );
    this.name = "VippsApiError";
    this.status = params.status;
    this.problem = problem;
    this.rawBody = params.rawBody;
    this.contentType = params.contentType ?? undefined;
    this.retryAfterMs = params.retryAfterMs;
  }

  /** The problem `type` URI: the stable identifier to switch on. */
  get type(): string | undefined {
    return this.problem?.type;
  }

  get title(): string | undefined {
    return this.problem?.title;
  }

  get detail(): string | undefined {
    return this.problem?.detail;
  }

  /** ePayment uses `traceId`, the Webhooks API `instance`; quote it to Vipps support. */
  get traceId(): string | undefined {
    return this.problem?.traceId ?? this.problem?.instance;
  }

  /**
   * 423 Locked: another operation holds the payment. Vipps' errors page
   * (developer.vippsmobilepay.com/docs/knowledge-base/errors) names 423, with 429, as an error to
   * retry with the same Idempotency-Key after a short wait.
   */
  override get isRetryable(): boolean {
    return this.status === 408 || this.status === 423 || this.status === 429 || this.status >= 500;
  }
}

/** No usable response: connection failure, reset, DNS error or a per-attempt timeout. */
export class VippsNetworkError extends VippsError {
  readonly timedOut: boolean;

  constructor(params: { operation: string; cause: unknown; timedOut?: boolean; timeoutMs?: number }) {
    const timedOut = params.timedOut ?? false;
    const what = timedOut
      ? `timed out${params.timeoutMs !== undefined ? ` after ${params.timeoutMs} ms` : ""}`
      : `network error (${describeCause(params.cause)})`;
    super(params.operation, `Vipps ${params.operation} ${what}`, { cause: params.cause });
    this.name = "VippsNetworkError";
    this.timedOut = timedOut;
  }

  override get isRetryable(): boolean {
    return true;
  }
}

/** A 2xx response whose body is not what the API promises (bad JSON, wrong content type, schema mismatch). */
export class VippsResponseShapeError extends VippsError {
  readonly status: number;
  readonly issues: readonly z.core.$ZodIssue[];
  readonly rawBody: string;
  readonly contentType: string | undefined;

  constructor(params: {
    operation: string;
    status: number;
    reason: string;
    rawBody: string;
    contentType?: string | null;
    issues?: readonly z.core.$ZodIssue[];
  }) {
    super(
      params.operation,
      `Vipps ${params.operation} returned an unexpected response (HTTP ${params.status}): ${params.reason}`,
    );
    this.name = "VippsResponseShapeError";
    this.status = params.status;
    this.issues = params.issues ?? [];
    this.rawBody = params.rawBody;
    this.contentType = params.contentType ?? undefined;
  }
}

/** Fetching an access token failed. `status` is undefined when no response arrived. */
export class VippsAuthError extends VippsError {
  readonly status: number | undefined;
  readonly problem: VippsProblem | undefined;
  /** Token endpoint body, with any credential that was sent replaced by "[redacted]". */
  readonly rawBody: string | undefined;

  constructor(params: {
    status?: number;
    rawBody?: string;
    contentType?: string | null;
    cause?: unknown;
    secrets?: string[];
  }) {
    const secrets = params.secrets ?? [];
    const rawBody = params.rawBody === undefined ? undefined : redactSecrets(params.rawBody, secrets);
    const problem = rawBody === undefined ? undefined : parseProblem(rawBody, params.contentType);
    const reason =
      params.status === undefined
        ? `no response (${redactSecrets(describeCause(params.cause), secrets)})`
        : `HTTP ${params.status}${problem?.detail || problem?.title ? ` (${problem.detail ?? problem.title})` : ""}`;
    super("fetchAccessToken", `Vipps access token request failed: ${reason}`, { cause: params.cause });
    this.name = "VippsAuthError";
    this.status = params.status;
    this.problem = problem;
    this.rawBody = rawBody;
  }

  /** Wrong credentials (400/401/403) will not fix themselves; outages and rate limits may. */
  override get isRetryable(): boolean {
    return this.status === undefined || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** The caller's input was rejected before anything was sent (bad reference, amount, idempotency key...). */
export class VippsRequestError extends VippsError {
  readonly issues: readonly z.core.$ZodIssue[];

  constructor(operation: string, reason: string, issues: readonly z.core.$ZodIssue[] = []) {
    super(operation, `Invalid Vipps ${operation} request: ${reason}`);
    this.name = "VippsRequestError";
    this.issues = issues;
  }
}

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  return out;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : "";
    return `${cause.name}: ${cause.message}${inner}`;
  }
  return String(cause);
}

export function isVippsError(value: unknown): value is VippsError {
  return value instanceof VippsError;
}
