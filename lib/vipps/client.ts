import "server-only";
/**
 * Typed client for the Vipps MobilePay ePayment API (v1) and Webhooks API (v1).
 *
 * Why not the official `@vippsmobilepay/sdk`: its base URL is fixed to Vipps' own hosts, so it
 * cannot be pointed at our embedded simulator, and it replaces the caller's Idempotency-Key with a
 * fresh random one on every call (vippsas/deno-sdk issue #77). A retry then looks like a new
 * request to Vipps, which defeats the point of idempotent retries. This client keeps the caller's
 * key unchanged across every retry of one logical operation.
 *
 * Retry policy (per logical call, `retry.attempts` tries in total):
 * - retried: network errors, per-attempt timeouts, 429 (Retry-After honoured up to maxDelayMs), 5xx;
 *   backoff is exponential with full jitter.
 * - 423 Locked (another operation holds the same payment: "retry after a short wait", Vipps' errors
 *   page and vippsas/agent-toolkit skills/epayment/references/errors.md) is retried with the same key
 *   after a short backoff that is never zero (half the exponential ceiling plus jitter), within the
 *   same attempts and maxDelayMs bounds. The locked request was not performed, like 429 and 503.
 * - not retried: other 4xx, malformed 2xx bodies.
 * - a 401 from the API drops the cached token and repeats the call once with a fresh token.
 * - operations without an Idempotency-Key (webhook registration, force approve) are only retried
 *   when the server surely did not act on the request (423, 429, 503, token failures), because a replay
 *   after an ambiguous failure could do the work twice.
 */
import type { z } from "zod";
import type { Clock } from "../clock";
import {
  createAccessTokenProvider,
  normalizeBaseUrl,
  resolveSystemInfo,
  systemClock,
  systemHeaders,
  type AccessTokenCache,
  type AccessTokenProvider,
  type VippsCredentials,
  type VippsRequestHook,
  type VippsSystemInfo,
} from "./access-token";
import {
  VippsApiError,
  VippsError,
  VippsNetworkError,
  VippsRequestError,
  VippsResponseShapeError,
  isJsonContentType,
} from "./errors";
import {
  CreatePaymentRequestSchema,
  CreatePaymentResponseSchema,
  ForceApproveRequestSchema,
  GetPaymentResponseSchema,
  ListWebhooksResponseSchema,
  ModificationRequestSchema,
  ModificationResponseSchema,
  PaymentEventLogSchema,
  ReferenceSchema,
  RegisterWebhookRequestSchema,
  RegisterWebhookResponseSchema,
  type CreatePaymentRequest,
  type CreatePaymentResponse,
  type ForceApproveRequest,
  type GetPaymentResponse,
  type ListWebhooksResponse,
  type ModificationRequest,
  type ModificationResponse,
  type PaymentEvent,
  type RegisterWebhookRequest,
  type RegisterWebhookResponse,
} from "./schemas";

export interface RetryOptions {
  /** Total tries per call, including the first. Default 4. */
  attempts: number;
  /** Backoff base: the n-th retry waits up to baseDelayMs * 2^(n-1). Default 200. */
  baseDelayMs: number;
  /** Upper bound for any wait, including one asked for by Retry-After. Default 3000. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 200, maxDelayMs: 3000 };
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface VippsClientOptions {
  /** e.g. https://apitest.vipps.no, https://api.vipps.no or the simulator's http://127.0.0.1:3000/sim */
  baseUrl: string;
  credentials: VippsCredentials;
  /** Vipps-System-* headers; defaults to kassa-display / kassa-display-pos and the package version. */
  system?: Partial<VippsSystemInfo>;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Timeout of each single HTTP attempt. Default 10 000 ms. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** Injected so tests don't wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** Called before every HTTP attempt (token requests included). The info holds secrets: never log it raw. */
  onRequest?: VippsRequestHook;
  /** Token cache; defaults to the process-wide one. */
  tokenCache?: AccessTokenCache;
}

export interface IdempotencyOptions {
  /** Chosen by the caller (≤ 50 chars, a UUID is ideal) and reused unchanged on every retry. */
  idempotencyKey: string;
}

export interface VippsClient {
  readonly baseUrl: string;
  readonly tokens: AccessTokenProvider;
  createPayment(body: CreatePaymentRequest, options: IdempotencyOptions): Promise<CreatePaymentResponse>;
  getPayment(reference: string): Promise<GetPaymentResponse>;
  getPaymentEvents(reference: string): Promise<PaymentEvent[]>;
  capturePayment(
    reference: string,
    body: ModificationRequest,
    options: IdempotencyOptions,
  ): Promise<ModificationResponse>;
  /**
   * With `cancelTransactionOnly` (newer than spec 1.4.1) Vipps cancels only a payment that is not
   * yet authorized; an authorized one is left untouched, so a last-second approval is not lost.
   */
  cancelPayment(
    reference: string,
    options: IdempotencyOptions & { cancelTransactionOnly?: boolean },
  ): Promise<ModificationResponse>;
  refundPayment(
    reference: string,
    body: ModificationRequest,
    options: IdempotencyOptions,
  ): Promise<ModificationResponse>;
  /** Test environment and simulator only: approves a CREATED payment without the app. */
  forceApprove(reference: string, body?: ForceApproveRequest): Promise<void>;
  registerWebhook(body: RegisterWebhookRequest): Promise<RegisterWebhookResponse>;
  listWebhooks(): Promise<ListWebhooksResponse>;
  deleteWebhook(id: string): Promise<void>;
}

/** Full-jitter exponential backoff for the wait after failed attempt number `attempt` (1-based). */
export function backoffDelayMs(attempt: number, retry: RetryOptions, random: () => number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jitter = Math.min(1, Math.max(0, random()));
  return Math.floor(jitter * ceiling);
}

/**
 * The wait after a 423 Locked on attempt number `attempt` (1-based): at least half the exponential
 * ceiling, so a retry never lands at once on the lock it just met, and at most the ceiling.
 */
export function lockedBackoffDelayMs(attempt: number, retry: RetryOptions, random: () => number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jitter = Math.min(1, Math.max(0, random()));
  return Math.floor(ceiling / 2 + (jitter * ceiling) / 2);
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,50}$/;

type Expect<T> = { kind: "json"; schema: z.ZodType<T> } | { kind: "none" };

interface OperationSpec<T> {
  name: string;
  method: "GET" | "POST" | "DELETE";
  path: string;
  body?: unknown;
  idempotencyKey?: string;
  /** Safe to replay after an ambiguous failure (the request may have been processed). */
  replaySafe: boolean;
  expect: Expect<T>;
}

type AttemptOutcome<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      error: VippsError;
      retryable: boolean;
      retryAfterMs?: number;
      rejectedToken?: string;
      locked?: boolean;
    };

/** Statuses that mean the request was turned away without being performed. */
const UNPROCESSED_STATUSES = new Set([423, 429, 503]);

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
}

export function createVippsClient(options: VippsClientOptions): VippsClient {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const { credentials } = options;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...options.retry };
  retry.attempts = Math.max(1, Math.floor(retry.attempts));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const system = resolveSystemInfo(options.system);
  const tokens = createAccessTokenProvider({
    baseUrl,
    credentials,
    system,
    fetch: doFetch,
    clock,
    timeoutMs,
    cache: options.tokenCache,
    onRequest: options.onRequest,
  });

  async function attemptOnce<T>(op: OperationSpec<T>, attempt: number): Promise<AttemptOutcome<T>> {
    let token: string;
    try {
      token = await tokens.getToken();
    } catch (error) {
      // Nothing reached the API yet, so any operation may be retried.
      if (error instanceof VippsError) return { ok: false, error, retryable: error.isRetryable };
      throw error;
    }

    const url = `${baseUrl}${op.path}`;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      "Ocp-Apim-Subscription-Key": credentials.subscriptionKey,
      "Merchant-Serial-Number": credentials.msn,
      Accept: "application/json",
      ...systemHeaders(system),
    };
    if (op.idempotencyKey !== undefined) headers["Idempotency-Key"] = op.idempotencyKey;
    const hasBody = op.body !== undefined;
    if (hasBody) headers["Content-Type"] = "application/json";
    options.onRequest?.({ operation: op.name, attempt, method: op.method, url, headers, body: op.body });

    let response: Response;
    let rawBody: string;
    try {
      response = await doFetch(url, {
        method: op.method,
        headers,
        body: hasBody ? JSON.stringify(op.body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
      rawBody = await response.text();
    } catch (cause) {
      const timedOut = cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError");
      return {
        ok: false,
        error: new VippsNetworkError({ operation: op.name, cause, timedOut, timeoutMs }),
        retryable: op.replaySafe,
      };
    }

    const contentType = response.headers.get("content-type");
    if (!response.ok) {
      // 423, 429 and 503 mean the request was turned away unprocessed; other 5xx may hide a completed action.
      const unprocessed = UNPROCESSED_STATUSES.has(response.status);
      const retryAfterMs = unprocessed
        ? parseRetryAfterMs(response.headers.get("retry-after"), clock.now())
        : undefined;
      const error = new VippsApiError({
        operation: op.name,
        status: response.status,
        rawBody,
        contentType,
        retryAfterMs,
      });
      if (response.status === 401) return { ok: false, error, retryable: false, rejectedToken: token };
      return {
        ok: false,
        error,
        retryable: error.isRetryable && (op.replaySafe || unprocessed),
        retryAfterMs,
        locked: response.status === 423,
      };
    }

    if (op.expect.kind === "none") return { ok: true, value: undefined as T };

    const shapeError = (reason: string, issues?: readonly z.core.$ZodIssue[]): AttemptOutcome<T> => ({
      ok: false,
      retryable: false,
      error: new VippsResponseShapeError({
        operation: op.name,
        status: response.status,
        reason,
        rawBody,
        contentType,
        issues,
      }),
    });
    // Any */json or */*+json type is JSON: the spec labels modification responses application/problem+json.
    if (contentType && !isJsonContentType(contentType)) return shapeError(`content type ${contentType} is not JSON`);
    if (!rawBody.trim()) return shapeError("empty body");
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      return shapeError("body is not valid JSON");
    }
    const parsed = op.expect.schema.safeParse(json);
    if (!parsed.success) return shapeError(describeIssues(parsed.error.issues), parsed.error.issues);
    return { ok: true, value: parsed.data };
  }

  async function execute<T>(op: OperationSpec<T>): Promise<T> {
    let attempt = 1;
    let tokenRefreshed = false;
    for (;;) {
      const outcome = await attemptOnce(op, attempt);
      if (outcome.ok) return outcome.value;
      if (outcome.rejectedToken !== undefined && !tokenRefreshed) {
        // The token was revoked or expired early: fetch a new one and repeat once, without backoff.
        tokenRefreshed = true;
        tokens.invalidate(outcome.rejectedToken);
        continue;
      }
      if (!outcome.retryable || attempt >= retry.attempts) throw outcome.error;
      const delay =
        outcome.retryAfterMs !== undefined
          ? Math.min(outcome.retryAfterMs, retry.maxDelayMs)
          : outcome.locked
            ? lockedBackoffDelayMs(attempt, retry, random)
            : backoffDelayMs(attempt, retry, random);
      await sleep(delay);
      attempt += 1;
    }
  }

  function validated<T>(operation: string, schema: z.ZodType<T>, value: unknown): void {
    const result = schema.safeParse(value);
    if (!result.success)
      throw new VippsRequestError(operation, describeIssues(result.error.issues), result.error.issues);
  }

  function referencePath(operation: string, reference: string): string {
    validated(operation, ReferenceSchema, reference);
    return encodeURIComponent(reference);
  }

  function idempotencyKey(operation: string, options: IdempotencyOptions | undefined): string {
    const key = options?.idempotencyKey;
    if (typeof key !== "string" || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new VippsRequestError(operation, "idempotencyKey must be 1-50 visible ASCII characters");
    }
    return key;
  }

  // Wraps each operation so that input errors reject the promise instead of throwing synchronously.
  const run = <T>(build: () => OperationSpec<T>): Promise<T> => {
    try {
      return execute(build());
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const modification = (
    name: "capturePayment" | "refundPayment",
    action: "capture" | "refund",
    reference: string,
    body: ModificationRequest,
    options: IdempotencyOptions,
  ) =>
    run<ModificationResponse>(() => {
      const key = idempotencyKey(name, options);
      validated(name, ModificationRequestSchema, body);
      return {
        name,
        method: "POST",
        path: `/epayment/v1/payments/${referencePath(name, reference)}/${action}`,
        body,
        idempotencyKey: key,
        replaySafe: true,
        expect: { kind: "json", schema: ModificationResponseSchema },
      };
    });

  return {
    baseUrl,
    tokens,

    createPayment(body, options) {
      return run(() => {
        const key = idempotencyKey("createPayment", options);
        validated("createPayment", CreatePaymentRequestSchema, body);
        return {
          name: "createPayment",
          method: "POST",
          path: "/epayment/v1/payments",
          body,
          idempotencyKey: key,
          replaySafe: true,
          expect: { kind: "json", schema: CreatePaymentResponseSchema },
        };
      });
    },

    getPayment(reference) {
      return run(() => ({
        name: "getPayment",
        method: "GET",
        path: `/epayment/v1/payments/${referencePath("getPayment", reference)}`,
        replaySafe: true,
        expect: { kind: "json", schema: GetPaymentResponseSchema },
      }));
    },

    getPaymentEvents(reference) {
      return run(() => ({
        name: "getPaymentEvents",
        method: "GET",
        path: `/epayment/v1/payments/${referencePath("getPaymentEvents", reference)}/events`,
        replaySafe: true,
        expect: { kind: "json", schema: PaymentEventLogSchema },
      }));
    },

    capturePayment(reference, body, options) {
      return modification("capturePayment", "capture", reference, body, options);
    },

    cancelPayment(reference, options) {
      return run(() => {
        const key = idempotencyKey("cancelPayment", options);
        return {
          name: "cancelPayment",
          method: "POST",
          // No body in ePayment 1.4.1; the optional body came later.
          path: `/epayment/v1/payments/${referencePath("cancelPayment", reference)}/cancel`,
          ...(options.cancelTransactionOnly !== undefined
            ? { body: { cancelTransactionOnly: options.cancelTransactionOnly } }
            : {}),
          idempotencyKey: key,
          replaySafe: true,
          expect: { kind: "json", schema: ModificationResponseSchema },
        };
      });
    },

    refundPayment(reference, body, options) {
      return modification("refundPayment", "refund", reference, body, options);
    },

    forceApprove(reference, body) {
      return run<void>(() => {
        if (body !== undefined) validated("forceApprove", ForceApproveRequestSchema, body);
        return {
          name: "forceApprove",
          method: "POST",
          path: `/epayment/v1/test/payments/${referencePath("forceApprove", reference)}/approve`,
          body,
          replaySafe: false,
          // 200 with an empty body; whatever is there is ignored.
          expect: { kind: "none" },
        };
      });
    },

    registerWebhook(body) {
      return run(() => {
        validated("registerWebhook", RegisterWebhookRequestSchema, body);
        return {
          name: "registerWebhook",
          method: "POST",
          path: "/webhooks/v1/webhooks",
          body: { url: body.url, events: body.events },
          replaySafe: false,
          expect: { kind: "json", schema: RegisterWebhookResponseSchema },
        };
      });
    },

    listWebhooks() {
      return run(() => ({
        name: "listWebhooks",
        method: "GET",
        path: "/webhooks/v1/webhooks",
        replaySafe: true,
        expect: { kind: "json", schema: ListWebhooksResponseSchema },
      }));
    },

    deleteWebhook(id) {
      return run<void>(() => {
        if (typeof id !== "string" || !id.trim()) throw new VippsRequestError("deleteWebhook", "id is required");
        return {
          name: "deleteWebhook",
          method: "DELETE",
          path: `/webhooks/v1/webhooks/${encodeURIComponent(id)}`,
          // Deleting twice ends in the same state (the second may answer 404, which is surfaced).
          replaySafe: true,
          expect: { kind: "none" },
        };
      });
    },
  };
}
