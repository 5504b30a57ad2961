/**
 * Test harness around the simulator: an AdjustableClock, an injected fetch that records webhook
 * deliveries (and answers with whatever status a test chooses), and helpers that drive
 * `sim.handle()` in-process. Used by tests/unit/simulator*.test.ts and the contract test; it lives
 * under tests/ so that nothing in lib/ ships test-only code.
 */
import { randomUUID } from "node:crypto";
import { AdjustableClock } from "@/lib/clock";
import { SIMULATOR_DEMO_CREDENTIALS } from "@/lib/config";
import { EPAYMENT_WEBHOOK_EVENTS } from "@/lib/vipps/schemas";
import { createSimulator, type Simulator, type SimulatorLog, type SimulatorOptions } from "@/lib/simulator";

export const TEST_ORIGIN = "http://sim.local";
export const TEST_PUBLIC_URL = "http://192.168.1.20:3000";

export interface CapturedDelivery {
  url: string;
  headers: Headers;
  body: string;
  status: number;
}

export interface SimResponse<T = any> {
  status: number;
  headers: Headers;
  contentType: string;
  text: string;
  body: T;
}

export interface HarnessOptions {
  dbFile?: string;
  clock?: AdjustableClock;
  rateLimits?: boolean;
  tokenTtlSeconds?: number;
  /** The /_sim test controls; default true here (the simulator's own default is off). */
  controls?: boolean;
  /** KASSA_BRAND_SWITCH_AT for this simulator (default: the real date, 12 January 2027). */
  brandSwitchAtMs?: number;
  /** Status the fake webhook receiver answers with; default 200. Throwing simulates a network error. */
  webhookResponder?: (delivery: { url: string; headers: Headers; body: string }) => number | Promise<number>;
  /** Where the simulator logs; nowhere by default. */
  log?: SimulatorLog;
}

export type Harness = ReturnType<typeof createHarness>;

export function createHarness(options: HarnessOptions = {}) {
  const clock = options.clock ?? new AdjustableClock();
  const credentials = { ...SIMULATOR_DEMO_CREDENTIALS };
  const received: CapturedDelivery[] = [];
  let responder = options.webhookResponder ?? (() => 200);

  const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === "string" ? init.body : "";
    const status = await responder({ url, headers, body });
    received.push({ url, headers, body, status });
    return new Response(status === 204 ? null : "ok", { status });
  }) as typeof fetch;

  const simOptions: SimulatorOptions = {
    dbFile: options.dbFile ?? ":memory:",
    clock,
    credentials,
    publicUrl: TEST_PUBLIC_URL,
    fetch: fakeFetch,
    tokenTtlSeconds: options.tokenTtlSeconds,
    rateLimits: options.rateLimits ?? false,
    controls: options.controls ?? true,
    ...(options.brandSwitchAtMs !== undefined ? { brandSwitchAtMs: options.brandSwitchAtMs } : {}),
    log: options.log ?? (() => undefined),
  };
  let sim: Simulator = createSimulator(simOptions);
  let cachedToken: { value: string; expiresOnMs: number } | undefined;

  async function send<T = any>(
    method: string,
    path: string,
    init: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<SimResponse<T>> {
    const headers = new Headers(init.headers);
    let body: string | undefined;
    if (init.rawBody !== undefined) body = init.rawBody;
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    const response = await sim.handle(
      new Request(`${TEST_ORIGIN}/sim${path}`, { method, headers, body, redirect: "manual" }),
    );
    const text = await response.text();
    const contentType = response.headers.get("content-type") ?? "";
    let parsed: unknown = text;
    if (/json/.test(contentType) && text !== "") parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, contentType, text, body: parsed as T };
  }

  function tokenHeaders(extra: Record<string, string> = {}): Record<string, string> {
    return {
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      "Ocp-Apim-Subscription-Key": credentials.subscriptionKey,
      "Merchant-Serial-Number": credentials.msn,
      ...extra,
    };
  }

  /** Cached like a real client does: reused until it expires by the simulator clock. */
  async function token(): Promise<string> {
    if (cachedToken && clock.now() < cachedToken.expiresOnMs) return cachedToken.value;
    const response = await send("POST", "/accesstoken/get", { headers: tokenHeaders() });
    if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.text}`);
    cachedToken = { value: response.body.access_token as string, expiresOnMs: Number(response.body.expires_on) * 1000 };
    return cachedToken.value;
  }

  async function authHeaders(extra: Record<string, string> = {}): Promise<Record<string, string>> {
    return {
      Authorization: `Bearer ${await token()}`,
      "Ocp-Apim-Subscription-Key": credentials.subscriptionKey,
      "Merchant-Serial-Number": credentials.msn,
      ...extra,
    };
  }

  /** An authenticated API call; POSTs to ePayment modification endpoints get a fresh Idempotency-Key unless given. */
  async function api<T = any>(
    method: string,
    path: string,
    body?: unknown,
    opts: { idempotencyKey?: string | null; headers?: Record<string, string>; rawBody?: string } = {},
  ): Promise<SimResponse<T>> {
    const headers = await authHeaders(opts.headers);
    const needsKey = method === "POST" && path.startsWith("/epayment/v1/payments");
    if (opts.idempotencyKey !== null && (opts.idempotencyKey !== undefined || needsKey)) {
      headers["Idempotency-Key"] = opts.idempotencyKey ?? randomUUID();
    }
    return send<T>(method, path, { body, headers, rawBody: opts.rawBody });
  }

  let counter = 0;
  const newReference = (prefix = "ref") => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

  function paymentRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      amount: { value: 10_000, currency: "NOK" },
      paymentMethod: { type: "WALLET" },
      reference: newReference(),
      userFlow: "QR",
      customerInteraction: "CUSTOMER_PRESENT",
      qrFormat: { format: "TEXT/TARGETURL" },
      paymentDescription: "Two coffees",
      ...overrides,
    };
  }

  async function createPayment(overrides: Record<string, unknown> = {}, idempotencyKey?: string) {
    const request = paymentRequest(overrides);
    const response = await api("POST", "/epayment/v1/payments", request, { idempotencyKey });
    if (response.status !== 201) throw new Error(`create failed: ${response.status} ${response.text}`);
    return {
      reference: request.reference as string,
      redirectUrl: response.body.redirectUrl as string | undefined,
      request,
      response,
    };
  }

  async function authorizedPayment(overrides: Record<string, unknown> = {}) {
    const created = await createPayment(overrides);
    const approve = await api("POST", `/epayment/v1/test/payments/${created.reference}/approve`, undefined, {
      idempotencyKey: null,
    });
    if (approve.status !== 200) throw new Error(`approve failed: ${approve.status} ${approve.text}`);
    return created;
  }

  const getPayment = (reference: string) => api("GET", `/epayment/v1/payments/${reference}`);
  const getEvents = (reference: string) => api("GET", `/epayment/v1/payments/${reference}/events`);
  const capture = (reference: string, value: number, idempotencyKey?: string, currency = "NOK") =>
    api(
      "POST",
      `/epayment/v1/payments/${reference}/capture`,
      { modificationAmount: { value, currency } },
      { idempotencyKey },
    );
  const refund = (reference: string, value: number, idempotencyKey?: string, currency = "NOK") =>
    api(
      "POST",
      `/epayment/v1/payments/${reference}/refund`,
      { modificationAmount: { value, currency } },
      { idempotencyKey },
    );
  const cancel = (reference: string, body?: unknown, idempotencyKey?: string) =>
    api("POST", `/epayment/v1/payments/${reference}/cancel`, body, { idempotencyKey });

  async function registerWebhook(url = "https://merchant.example/webhooks/vipps", events?: string[]) {
    const response = await api("POST", "/webhooks/v1/webhooks", {
      url,
      events: events ?? [...EPAYMENT_WEBHOOK_EVENTS],
    });
    if (response.status !== 201) throw new Error(`register failed: ${response.status} ${response.text}`);
    return { id: response.body.id as string, secret: response.body.secret as string, url };
  }

  return {
    get sim() {
      return sim;
    },
    clock,
    credentials,
    received,
    setWebhookResponder(fn: NonNullable<HarnessOptions["webhookResponder"]>) {
      responder = fn;
    },
    send,
    api,
    token,
    tokenHeaders,
    authHeaders,
    newReference,
    paymentRequest,
    createPayment,
    authorizedPayment,
    getPayment,
    getEvents,
    capture,
    refund,
    cancel,
    registerWebhook,
    /** Stops this simulator and starts a new one on the same options (same db file): a restart. */
    async restart(): Promise<void> {
      await sim.stop();
      sim = createSimulator(simOptions);
    },
    stop: () => sim.stop(),
  };
}
