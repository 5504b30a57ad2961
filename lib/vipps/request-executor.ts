import "server-only";
import type { z } from "zod";
import type { Clock } from "../clock";
import {
  systemHeaders,
  type AccessTokenProvider,
  type VippsCredentials,
  type VippsRequestHook,
  type VippsSystemInfo,
} from "./access-token";
import { VippsApiError, VippsError, VippsNetworkError, VippsResponseShapeError, isJsonContentType } from "./errors";
import { backoffDelayMs, lockedBackoffDelayMs, parseRetryAfterMs, type RetryOptions } from "./retry-policy";

export type Expect<T> = { kind: "json"; schema: z.ZodType<T> } | { kind: "none" };

export interface OperationSpec<T> {
  name: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
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

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
}

/** What the executor needs of the client it serves, all of it settled by createVippsClient. */
export interface RequestExecutorSettings {
  baseUrl: string;
  credentials: VippsCredentials;
  system: VippsSystemInfo;
  tokens: AccessTokenProvider;
  fetch: typeof fetch;
  clock: Clock;
  timeoutMs: number;
  retry: RetryOptions;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  onRequest?: VippsRequestHook;
}

/**
 * Sends one operation to Vipps and gets it a parsed answer: the headers every call carries, one
 * attempt's reading of the response, and the retries (with backoff, Retry-After, and one repeat
 * with a fresh token after a 401) that the client's policy allows.
 */
export function createRequestExecutor(settings: RequestExecutorSettings): {
  execute<T>(op: OperationSpec<T>): Promise<T>;
} {
  const { baseUrl, credentials, system, tokens, clock, timeoutMs, retry, sleep, random } = settings;
  const doFetch = settings.fetch;

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
      Accept: "application/json",
      ...systemHeaders(system),
    };
    // Partner keys without an MSN act for all of the partner's sales units (a webhook registration that covers them all).
    if (credentials.msn) headers["Merchant-Serial-Number"] = credentials.msn;
    if (op.idempotencyKey !== undefined) headers["Idempotency-Key"] = op.idempotencyKey;
    const hasBody = op.body !== undefined;
    if (hasBody) headers["Content-Type"] = "application/json";
    settings.onRequest?.({ operation: op.name, attempt, method: op.method, url, headers, body: op.body });

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

  return { execute };
}
