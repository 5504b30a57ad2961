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
  type AccessTokenCache,
  type AccessTokenProvider,
  type VippsCredentials,
  type VippsRequestHook,
  type VippsSystemInfo,
} from "./access-token";
import { VippsRequestError } from "./errors";
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
import { createRequestExecutor, describeIssues, type OperationSpec } from "./request-executor";
import { DEFAULT_RETRY, type RetryOptions } from "./retry-policy";

// The retry policy is part of the client's API: callers and tests import it from here.
export {
  backoffDelayMs,
  DEFAULT_RETRY,
  lockedBackoffDelayMs,
  parseRetryAfterMs,
  type RetryOptions,
} from "./retry-policy";

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

const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,50}$/;

/**
 * What every Vipps API client here shares (ePayment and Webhooks in this file, the Report API in
 * report-client.ts): the base URL, the access token, the headers, the retries. One code path for
 * the simulator and for Vipps itself.
 */
export function createVippsTransport(options: VippsClientOptions): {
  baseUrl: string;
  tokens: AccessTokenProvider;
  execute: <T>(op: OperationSpec<T>) => Promise<T>;
} {
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
  const { execute } = createRequestExecutor({
    baseUrl,
    credentials,
    system,
    tokens,
    fetch: doFetch,
    clock,
    timeoutMs,
    retry,
    sleep,
    random,
    onRequest: options.onRequest,
  });
  return { baseUrl, tokens, execute };
}
export function createVippsClient(options: VippsClientOptions): VippsClient {
  const { baseUrl, tokens, execute } = createVippsTransport(options);

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
