/**
 * Response helpers for the simulator: JSON, RFC 7807 problems in the Vipps MobilePay shape and the
 * plain-JSON bodies Azure API Management (APIM) answers with before a request reaches the API.
 */
import { randomBytes } from "node:crypto";

/** Stable machine identifiers (`type`) of the problems the simulator returns. Switch on these, not on titles. */
const ERRORS_BASE = "https://developer.vippsmobilepay.com/docs/knowledge-base/errors";
export const PROBLEM_TYPES = {
  validation: `${ERRORS_BASE}#validation-error`,
  malformedRequest: `${ERRORS_BASE}#malformed-request`,
  unsupportedMediaType: `${ERRORS_BASE}#unsupported-media-type`,
  unauthorized: `${ERRORS_BASE}#unauthorized`,
  forbidden: `${ERRORS_BASE}#forbidden`,
  notFound: `${ERRORS_BASE}#not-found`,
  methodNotAllowed: `${ERRORS_BASE}#method-not-allowed`,
  idempotencyConflict: `${ERRORS_BASE}#idempotency-conflict`,
  referenceExists: `${ERRORS_BASE}#reference-already-exists`,
  invalidState: `${ERRORS_BASE}#invalid-state`,
  amountLimit: `${ERRORS_BASE}#amount-limit`,
  tooManyRequests: `${ERRORS_BASE}#too-many-requests`,
  internal: `${ERRORS_BASE}#internal-error`,
} as const;

export type ProblemType = (typeof PROBLEM_TYPES)[keyof typeof PROBLEM_TYPES];

export interface ExtraDetail {
  name: string;
  reason: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  traceId: string;
  instance?: string;
  extraDetails?: ExtraDetail[];
}

/** Thrown anywhere inside a handler (also inside a db transaction, which then rolls back). */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
    readonly extraDetails?: ExtraDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = "ProblemError";
  }
}

/** A handler can throw a ready-made response, e.g. APIM's non-problem bodies that end a request early. */
export class ResponseError extends Error {
  constructor(readonly response: Response) {
    super(`HTTP ${response.status}`);
    this.name = "ResponseError";
  }
}

export const newTraceId = (): string => randomBytes(16).toString("hex");

export function problemBody(error: ProblemError, instance?: string): ProblemBody {
  const body: ProblemBody = { type: error.type, title: error.title, status: error.status, traceId: newTraceId() };
  if (error.detail !== undefined) body.detail = error.detail;
  if (instance !== undefined) body.instance = instance;
  if (error.extraDetails && error.extraDetails.length > 0) body.extraDetails = error.extraDetails;
  return body;
}

export function problemResponse(error: ProblemError, instance?: string): Response {
  return new Response(JSON.stringify(problemBody(error, instance)), {
    status: error.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...error.headers },
  });
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers: { "cache-control": "no-store", ...headers } });
}

/**
 * Azure API Management rejects some requests before they reach ePayment; its bodies are plain JSON
 * `{ statusCode, message }`, not problem+json. Clients must cope with both, so the simulator mimics it.
 */
export function apimResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(status, { statusCode: status, message }, headers);
}

// Small constructors for the common cases, so handlers read like the mapping they implement.
export const badRequest = (detail: string, extraDetails?: ExtraDetail[]) =>
  new ProblemError(400, PROBLEM_TYPES.validation, "Bad Request", detail, extraDetails);
export const notFound = (detail: string) => new ProblemError(404, PROBLEM_TYPES.notFound, "Not Found", detail);
export const invalidState = (detail: string) =>
  new ProblemError(409, PROBLEM_TYPES.invalidState, "Operation not allowed in the current state", detail);
export const amountLimit = (detail: string, name = "modificationAmount.value") =>
  new ProblemError(400, PROBLEM_TYPES.amountLimit, "Amount limit exceeded", detail, [{ name, reason: detail }]);

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

export function isJsonContentType(value: string | null): boolean {
  return value !== null && JSON_CONTENT_TYPE.test(value.trim());
}

export type ParsedBody = { present: false } | { present: true; value: unknown };

/**
 * Reads a JSON request body like the ASP.NET services behind the API do: a non-empty body must be
 * declared as JSON (otherwise 415) and must parse (otherwise 400). An empty body is "not present".
 */
export async function readJsonBody(request: Request): Promise<ParsedBody> {
  const text = await request.text();
  if (text.trim() === "") return { present: false };
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new ProblemError(
      415,
      PROBLEM_TYPES.unsupportedMediaType,
      "Unsupported Media Type",
      "The request body must be sent with Content-Type: application/json",
    );
  }
  try {
    return { present: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    throw new ProblemError(
      400,
      PROBLEM_TYPES.malformedRequest,
      "Malformed request body",
      "The request body is not valid JSON",
      [{ name: "body", reason: error instanceof Error ? error.message : "invalid JSON" }],
    );
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deterministic JSON (sorted keys) so that "the same body" means the same data, not the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((key) => value[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
