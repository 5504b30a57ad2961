/**
 * A local Vipps MobilePay simulator as a plain library: the Access Token API, ePayment v1 (including
 * the test-only force approve), Webhooks v1 with signed, retried, ordered deliveries, a simulated
 * customer phone reached through the QR code, and /_sim/ controls for tests.
 *
 * It is mounted in Next.js by app/sim/[...path]/route.ts, but has no Next.js dependency: everything
 * goes through `handle(request: Request): Promise<Response>`.
 *
 * HTTP surface, relative to `basePath` (default /sim):
 *   POST   /accesstoken/get
 *   POST   /epayment/v1/payments
 *   GET    /epayment/v1/payments/{reference}
 *   GET    /epayment/v1/payments/{reference}/events
 *   POST   /epayment/v1/payments/{reference}/capture | /cancel | /refund
 *   POST   /epayment/v1/test/payments/{reference}/approve
 *   GET    /webhooks/v1/webhooks          POST /webhooks/v1/webhooks          DELETE /webhooks/v1/webhooks/{id}
 *   GET    /qr/{token}                    the simulated phone (payment page)
 *   POST   /qr/{token}/approve | /decline → 303 to GET /qr/{token}/result
 *   GET    /qr-image/{token}.svg | .png   the QR image behind IMAGE/* redirectUrls
 *   Simulator-only (not Vipps):
 *   GET    /_sim/clock                    POST /_sim/clock/advance {ms}
 *   GET|PUT /_sim/webhook-faults          { mode: "deliver" | "drop" | "delay", delayMs? }
 *   GET    /_sim/deliveries?reference=    every outbox record with its exact signed headers and body
 *   GET    /_sim/payments/{reference}     POST /_sim/payments/{reference}/approve | /reject | /expire
 *   POST   /_sim/run-due-work
 */
import { timingSafeEqual } from "node:crypto";
import type { Clock } from "../clock";
import {
  PROBLEM_TYPES,
  ProblemError,
  apimResponse,
  badRequest,
  emptyResponse,
  isPlainObject,
  jsonResponse,
  problemResponse,
  readJsonBody,
  type ParsedBody,
} from "./http";
import { PaymentEngine } from "./payments";
import { htmlResponse, renderNotFoundPage, renderPaymentPage, renderStatePage, type PhonePaymentView } from "./phone";
import { renderQrPng, renderQrSvg } from "./qr";
import { RateLimiter, type RateLimitedOperation } from "./rate-limit";
import { loadOrCreateSecret, openDatabase, type Db, type PaymentRow } from "./store";
import { TokenService } from "./tokens";
import { MSN_PATTERN, REFERENCE_PATTERN, isAllowedMerchantUrl, type Receipt } from "./validation";
import { WebhookService } from "./webhooks";

export { PROBLEM_TYPES } from "./http";
export { EPAYMENT_EVENT_TYPES, MAX_BACKOFF_MS, MAX_WEBHOOKS_PER_EVENT } from "./webhooks";
export type { DeliveryView, WebhookEventBody, WebhookFaults } from "./webhooks";
export type { PaymentEventView } from "./payments";

export type SimulatorLog = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

export interface SimulatorOptions {
  /** better-sqlite3 file; ":memory:" in unit tests. State survives a restart on the same file. */
  dbFile: string;
  /** All time comes from here. An AdjustableClock also enables POST /_sim/clock/advance. */
  clock: Clock;
  /** Exactly these credentials are accepted. */
  credentials: { clientId: string; clientSecret: string; subscriptionKey: string; msn: string };
  /** Origin a phone reaches, e.g. "http://192.168.1.20:3000". */
  publicUrl: string;
  /** Default "/sim"; incoming request paths start with it. */
  basePath?: string;
  /** Used for webhook deliveries. */
  fetch?: typeof fetch;
  /** Default 3600, like the test environment. */
  tokenTtlSeconds?: number;
  log?: SimulatorLog;
  /** Shown on the phone page. Default "Kassa demo shop". */
  merchantName?: string;
  /** The per-payment rate limits of the API guide (429). Default true. */
  rateLimits?: boolean;
}

export interface Simulator {
  /** The whole HTTP surface. */
  handle(request: Request): Promise<Response>;
  /** Background work: expiry sweep and webhook delivery about every second, and on AdjustableClock.advance. */
  start(): void;
  /** Stops timers, waits for in-flight work and closes the database. */
  stop(): Promise<void>;
  /** Expires due payments and attempts due webhook deliveries once. */
  runDueWork(): Promise<void>;
}

/** A handler can throw a ready-made response (e.g. APIM's non-problem bodies). */
class ResponseError extends Error {
  constructor(readonly response: Response) {
    super(`HTTP ${response.status}`);
  }
}

interface AdvanceableClock extends Clock {
  advance(ms: number): number;
}
interface ObservableClock extends Clock {
  onAdvance(listener: (nowMs: number) => void): () => void;
}
const isAdvanceable = (clock: Clock): clock is AdvanceableClock => typeof (clock as Partial<AdvanceableClock>).advance === "function";
const isObservable = (clock: Clock): clock is ObservableClock => typeof (clock as Partial<ObservableClock>).onAdvance === "function";

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

const SYSTEM_HEADERS = ["Vipps-System-Name", "Vipps-System-Version", "Vipps-System-Plugin-Name", "Vipps-System-Plugin-Version"];
const WORK_INTERVAL_MS = 1_000;

const defaultLog: SimulatorLog = (level, message, fields) => {
  if (level === "info") return;
  console[level](`[vipps-simulator] ${message}`, fields ?? "");
};

class SimulatorImpl implements Simulator {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly credentials: SimulatorOptions["credentials"];
  private readonly basePath: string;
  private readonly publicBase: string;
  private readonly merchantName: string;
  private readonly log: SimulatorLog;
  private readonly tokens: TokenService;
  private readonly webhooks: WebhookService;
  private readonly payments: PaymentEngine;
  private readonly limiter: RateLimiter | undefined;

  private started = false;
  private closed = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private unsubscribeClock: (() => void) | undefined;
  private running: Promise<void> | null = null;
  private pending: Promise<void> | null = null;
  private readonly sleepers = new Set<() => void>();

  constructor(options: SimulatorOptions) {
    this.clock = options.clock;
    this.credentials = options.credentials;
    this.basePath = normaliseBasePath(options.basePath ?? "/sim");
    this.publicBase = `${options.publicUrl.replace(/\/+$/, "")}${this.basePath}`;
    this.merchantName = options.merchantName ?? "Kassa demo shop";
    this.log = options.log ?? defaultLog;
    this.limiter = options.rateLimits === false ? undefined : new RateLimiter();
    this.db = openDatabase(options.dbFile);
    const secret = loadOrCreateSecret(this.db);
    this.tokens = new TokenService(secret, this.publicBase, options.tokenTtlSeconds ?? 3600);
    this.webhooks = new WebhookService(this.db, this.clock, options.fetch ?? globalThis.fetch.bind(globalThis), this.log);
    this.payments = new PaymentEngine({
      db: this.db,
      clock: this.clock,
      secret,
      publicBase: this.publicBase,
      webhooks: this.webhooks,
      onChange: () => this.kick(),
      log: this.log,
    });
  }

  // ---- Lifecycle ---------------------------------------------------------------------------------

  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.timer = setInterval(() => {
      if (!this.running) this.runDueWork().catch((error: unknown) => this.log("error", "background work failed", { error: String(error) }));
    }, WORK_INTERVAL_MS);
    this.timer.unref?.();
    if (isObservable(this.clock)) {
      this.unsubscribeClock = this.clock.onAdvance(() => {
        this.runDueWork().catch((error: unknown) => this.log("error", "background work failed", { error: String(error) }));
      });
    }
  }

  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribeClock?.();
    for (const wake of [...this.sleepers]) wake();
    await Promise.allSettled([this.running, this.pending].filter(Boolean));
    this.db.close();
  }

  /** After a state change, deliver its webhooks promptly instead of on the next tick. */
  private kick(): void {
    if (!this.started || this.closed) return;
    setImmediate(() => {
      if (this.closed) return;
      this.runDueWork().catch((error: unknown) => this.log("error", "background work failed", { error: String(error) }));
    });
  }

  runDueWork(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (!this.running) {
      this.running = this.work().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    // One run at a time; calls made meanwhile share a single follow-up run.
    this.pending ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.pending = null;
        return this.runDueWork();
      });
    return this.pending;
  }

  private async work(): Promise<void> {
    if (this.closed) return;
    this.payments.sweepExpired();
    await this.webhooks.deliverDue({ stopped: () => this.closed, sleep: (ms) => this.sleep(ms) });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  // ---- Entry point -------------------------------------------------------------------------------

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const relative = stripBasePath(url.pathname, this.basePath);
    const isWebhooksApi = relative?.startsWith("/webhooks/") ?? false;
    if (this.closed) {
      return problemResponse(new ProblemError(503, PROBLEM_TYPES.internal, "Service Unavailable", "The simulator has been stopped."));
    }
    try {
      if (relative === undefined) throw new ProblemError(404, PROBLEM_TYPES.notFound, "Not Found", `No simulator route for ${url.pathname}.`);
      let segments: string[];
      try {
        segments = relative.split("/").filter(Boolean).map(decodeURIComponent);
      } catch {
        throw new ProblemError(400, PROBLEM_TYPES.malformedRequest, "Bad Request", "The request path is not valid.");
      }
      // Expiry is applied lazily on every request too, so responses never depend on the timer's phase.
      this.payments.sweepExpired();
      const method = request.method.toUpperCase();
      const response = await this.route(method === "HEAD" ? "GET" : method, segments, request, url);
      return method === "HEAD" ? new Response(null, { status: response.status, headers: response.headers }) : response;
    } catch (error) {
      if (error instanceof ResponseError) return error.response;
      if (error instanceof ProblemError) return problemResponse(error, isWebhooksApi ? relative : undefined);
      this.log("error", "simulator request failed", { path: url.pathname, error: error instanceof Error ? error.stack : String(error) });
      return problemResponse(new ProblemError(500, PROBLEM_TYPES.internal, "Internal Server Error", "The simulator failed to process the request."));
    }
  }

  private async route(method: string, s: string[], request: Request, url: URL): Promise<Response> {
    const [a, b, c, d, e, f] = s;
    const n = s.length;
    const on = (handlers: Record<string, () => Promise<Response> | Response>): Promise<Response> | Response => {
      const handler = handlers[method];
      if (handler) return handler();
      throw new ProblemError(405, PROBLEM_TYPES.methodNotAllowed, "Method Not Allowed", `${method} is not supported here.`, undefined, {
        allow: Object.keys(handlers).join(", "),
      });
    };

    if (a === "accesstoken" && b === "get" && n === 2) return on({ POST: () => this.accessToken(request) });

    if (a === "epayment" && b === "v1") {
      if (c === "payments" && n === 3) return on({ POST: () => this.createPayment(request) });
      if (c === "payments" && n === 4) return on({ GET: () => this.getPayment(request, d!) });
      if (c === "payments" && n === 5 && e === "events") return on({ GET: () => this.getEvents(request, d!) });
      if (c === "payments" && n === 5 && (e === "capture" || e === "cancel" || e === "refund")) {
        return on({ POST: () => this.modify(request, d!, e) });
      }
      if (c === "test" && d === "payments" && n === 6 && f === "approve") return on({ POST: () => this.forceApprove(request, e!) });
    }

    if (a === "webhooks" && b === "v1" && c === "webhooks") {
      if (n === 3) return on({ GET: () => this.listWebhooks(request), POST: () => this.registerWebhook(request) });
      if (n === 4) return on({ DELETE: () => this.deleteWebhook(request, d!) });
    }

    if (a === "qr" && b) {
      if (n === 2) return on({ GET: () => this.phonePage(b) });
      if (n === 3 && (c === "approve" || c === "decline")) return on({ POST: () => this.phoneAction(b, c) });
      if (n === 3 && c === "result") return on({ GET: () => this.phoneResult(b) });
    }
    if (a === "qr-image" && b && n === 2) return on({ GET: () => this.qrImage(b) });

    if (a === "_sim") {
      if (b === "clock" && n === 2) return on({ GET: () => this.clockState() });
      if (b === "clock" && c === "advance" && n === 3) return on({ POST: () => this.advanceClock(request) });
      if (b === "webhook-faults" && n === 2) {
        return on({
          GET: () => jsonResponse(200, this.webhooks.getFaults()),
          PUT: async () => jsonResponse(200, this.webhooks.setFaults(requireBody(await readJsonBody(request)))),
        });
      }
      if (b === "deliveries" && n === 2) {
        return on({ GET: () => jsonResponse(200, { deliveries: this.webhooks.listDeliveries(url.searchParams.get("reference") ?? undefined) }) });
      }
      if (b === "payments" && c && n === 3) return on({ GET: () => this.simPayment(c) });
      if (b === "payments" && c && n === 4 && (d === "approve" || d === "reject" || d === "expire")) {
        return on({ POST: () => this.simAction(c, d) });
      }
      if (b === "run-due-work" && n === 2) {
        return on({
          POST: async () => {
            await this.runDueWork();
            return jsonResponse(200, { now: new Date(this.clock.now()).toISOString() });
          },
        });
      }
    }

    throw new ProblemError(404, PROBLEM_TYPES.notFound, "Not Found", `No simulator route for ${method} ${url.pathname}.`);
  }

  // ---- Access token ------------------------------------------------------------------------------

  private async accessToken(request: Request): Promise<Response> {
    // The real endpoint is "a POST with no body"; whatever body or content type a client sends is ignored.
    await request.arrayBuffer().catch(() => undefined);
    const headers = request.headers;
    const subscriptionKey = headers.get("ocp-apim-subscription-key");
    if (!subscriptionKey) {
      return apimResponse(401, "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.");
    }
    if (!safeEqual(subscriptionKey, this.credentials.subscriptionKey)) {
      return apimResponse(401, "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.");
    }
    const clientId = headers.get("client_id");
    const clientSecret = headers.get("client_secret");
    if (!clientId || !clientSecret) {
      return jsonResponse(400, { error: "invalid_request", error_description: "The client_id and client_secret headers are required." });
    }
    const msn = headers.get("merchant-serial-number") ?? undefined;
    if (!safeEqual(clientId, this.credentials.clientId) || !safeEqual(clientSecret, this.credentials.clientSecret)) {
      return jsonResponse(401, { error: "unauthorized_client", error_description: "Invalid client_id or client_secret." });
    }
    if (msn !== undefined && msn !== this.credentials.msn) {
      return jsonResponse(401, { error: "unauthorized_client", error_description: `Merchant-Serial-Number ${msn} is not linked to these keys.` });
    }
    const token = this.tokens.issue({ clientId, subscriptionKey, msn, nowMs: this.clock.now() });
    return jsonResponse(200, token, { "content-type": "application/json;charset=UTF-8" });
  }

  // ---- Shared request checks ---------------------------------------------------------------------

  /** APIM subscription key, then the bearer token, then the MSN. Returns the MSN to act for. */
  private authenticate(request: Request, api: "epayment" | "webhooks"): { msn: string; subscriptionKey: string } {
    const headers = request.headers;
    const subscriptionKey = headers.get("ocp-apim-subscription-key");
    if (!subscriptionKey) {
      throw new ResponseError(
        apimResponse(401, "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API."),
      );
    }
    if (!safeEqual(subscriptionKey, this.credentials.subscriptionKey)) {
      throw new ResponseError(
        apimResponse(401, "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."),
      );
    }
    const authorization = headers.get("authorization");
    // "Bearer" is case-sensitive at Vipps.
    if (!authorization?.startsWith("Bearer ") || authorization.slice(7).trim() === "") {
      throw new ProblemError(401, PROBLEM_TYPES.unauthorized, "Unauthorized", "Missing or malformed Authorization header; expected 'Bearer <access token>'.");
    }
    const verification = this.tokens.verify(authorization.slice(7).trim(), subscriptionKey, this.clock.now());
    if (!verification.ok) {
      const detail = {
        malformed: "The access token is not a valid JWT.",
        "bad-signature": "The access token is invalid.",
        expired: "The access token has expired. Fetch a new one from /accesstoken/get.",
        "wrong-subscription-key": "The access token was issued for another subscription key.",
      }[verification.reason];
      throw new ProblemError(401, PROBLEM_TYPES.unauthorized, "Unauthorized", detail);
    }
    const msnHeader = headers.get("merchant-serial-number");
    if (msnHeader === null || msnHeader === "") {
      if (api === "epayment") {
        throw badRequest("The Merchant-Serial-Number header is required.", [
          { name: "Merchant-Serial-Number", reason: "ePayment requires the Merchant-Serial-Number header on every operation." },
        ]);
      }
      return { msn: verification.claims.msn ?? this.credentials.msn, subscriptionKey };
    }
    if (!MSN_PATTERN.test(msnHeader)) {
      throw badRequest("The Merchant-Serial-Number header is invalid.", [
        { name: "Merchant-Serial-Number", reason: "Must be 4 to 6 digits." },
      ]);
    }
    if (msnHeader !== this.credentials.msn) {
      throw new ProblemError(403, PROBLEM_TYPES.forbidden, "Forbidden", `Merchant Not Allowed: MSN ${msnHeader} is not linked to these API keys.`);
    }
    if (verification.claims.msn !== undefined && verification.claims.msn !== msnHeader) {
      throw new ProblemError(403, PROBLEM_TYPES.forbidden, "Forbidden", "The access token was issued for another Merchant-Serial-Number.");
    }
    return { msn: msnHeader, subscriptionKey };
  }

  private checkSystemHeaders(request: Request): void {
    const issues = SYSTEM_HEADERS.filter((name) => (request.headers.get(name) ?? "").length > 30).map((name) => ({
      name,
      reason: "Must be at most 30 characters long.",
    }));
    if (issues.length > 0) throw badRequest("One or more headers are invalid.", issues);
  }

  private idempotencyKey(request: Request): string {
    const key = request.headers.get("idempotency-key");
    if (key === null || key.trim() === "") {
      throw badRequest("The Idempotency-Key header is required.", [
        { name: "Idempotency-Key", reason: "Required on create, capture, cancel and refund." },
      ]);
    }
    if (key.length > 50) {
      throw badRequest("The Idempotency-Key header is too long.", [{ name: "Idempotency-Key", reason: "Must be at most 50 characters long." }]);
    }
    return key;
  }

  private checkReference(reference: string): void {
    if (!REFERENCE_PATTERN.test(reference)) {
      throw badRequest("The reference is invalid.", [
        { name: "reference", reason: "Must be 8 to 50 characters of a-z, A-Z, 0-9 and '-'." },
      ]);
    }
  }

  private rateLimit(operation: RateLimitedOperation, scope: string): void {
    const retryAfter = this.limiter?.hit(operation, scope, this.clock.now());
    if (retryAfter !== undefined) {
      throw new ResponseError(
        apimResponse(429, `Rate limit is exceeded. Try again in ${retryAfter} seconds.`, { "retry-after": String(retryAfter) }),
      );
    }
  }

  // ---- ePayment ----------------------------------------------------------------------------------

  private async createPayment(request: Request): Promise<Response> {
    const { msn } = this.authenticate(request, "epayment");
    this.checkSystemHeaders(request);
    const key = this.idempotencyKey(request);
    const body = await readJsonBody(request);
    if (!body.present) {
      throw badRequest("A request body is required.", [{ name: "body", reason: "Send a CreatePaymentRequest as JSON." }]);
    }
    const reference = isPlainObject(body.value) && typeof body.value.reference === "string" ? body.value.reference : "";
    this.rateLimit("create", `${msn}:${reference}`);
    const result = this.payments.create(msn, key, body.value);
    return jsonResponse(result.status, result.body);
  }

  private getPayment(request: Request, reference: string): Response {
    const { msn, subscriptionKey } = this.authenticate(request, "epayment");
    this.checkReference(reference);
    this.rateLimit("getPayment", `${subscriptionKey}:${reference}`);
    const payment = this.payments.find(msn, reference);
    if (!payment) throw new ProblemError(404, PROBLEM_TYPES.notFound, "Not Found", `Payment with reference ${reference} not found.`);
    return jsonResponse(200, this.payments.getPaymentResponse(payment));
  }

  private getEvents(request: Request, reference: string): Response {
    const { msn, subscriptionKey } = this.authenticate(request, "epayment");
    this.checkReference(reference);
    this.rateLimit("getEvents", `${subscriptionKey}:${reference}`);
    return jsonResponse(200, this.payments.events(msn, reference));
  }

  private async modify(request: Request, reference: string, operation: "capture" | "cancel" | "refund"): Promise<Response> {
    const { msn } = this.authenticate(request, "epayment");
    this.checkSystemHeaders(request);
    const key = this.idempotencyKey(request);
    this.checkReference(reference);
    const body = await readJsonBody(request);
    this.rateLimit(operation, `${msn}:${reference}`);
    const raw = body.present ? body.value : undefined;
    const result =
      operation === "capture"
        ? this.payments.capture(msn, reference, key, raw, body.present)
        : operation === "cancel"
          ? this.payments.cancel(msn, reference, key, raw, body.present)
          : this.payments.refund(msn, reference, key, raw, body.present);
    return jsonResponse(result.status, result.body);
  }

  private async forceApprove(request: Request, reference: string): Promise<Response> {
    const { msn } = this.authenticate(request, "epayment");
    this.checkReference(reference);
    const body = await readJsonBody(request);
    this.payments.approve(msn, reference, { body: body.present ? body.value : undefined, bodyPresent: body.present });
    return emptyResponse(200);
  }

  // ---- Webhooks API ------------------------------------------------------------------------------

  private async registerWebhook(request: Request): Promise<Response> {
    const { msn } = this.authenticate(request, "webhooks");
    this.checkSystemHeaders(request);
    const body = await readJsonBody(request);
    return jsonResponse(201, this.webhooks.register(msn, body.present ? body.value : undefined, body.present));
  }

  private listWebhooks(request: Request): Response {
    const { msn } = this.authenticate(request, "webhooks");
    this.checkSystemHeaders(request);
    return jsonResponse(200, this.webhooks.list(msn));
  }

  private deleteWebhook(request: Request, id: string): Response {
    const { msn } = this.authenticate(request, "webhooks");
    this.checkSystemHeaders(request);
    this.webhooks.remove(msn, id);
    return emptyResponse(204);
  }

  // ---- The simulated phone -----------------------------------------------------------------------

  private phoneView(payment: PaymentRow): PhonePaymentView {
    const request = JSON.parse(payment.request_json) as { paymentDescription?: string; receipt?: Receipt; returnUrl?: string };
    const returnUrl =
      (payment.user_flow === "WEB_REDIRECT" || payment.user_flow === "NATIVE_REDIRECT") &&
      typeof request.returnUrl === "string" &&
      isAllowedMerchantUrl(request.returnUrl)
        ? request.returnUrl
        : undefined;
    return {
      merchantName: this.merchantName,
      msn: payment.msn,
      reference: payment.reference,
      state: payment.state,
      amount: { value: payment.amount, currency: payment.currency },
      paymentDescription: request.paymentDescription,
      receipt: request.receipt,
      expiresAtMs: payment.expires_at,
      returnUrl,
    };
  }

  /** Unknown and expired payments look the same from the phone: 404, like an expired Vipps QR. */
  private livePaymentByToken(token: string): PaymentRow | undefined {
    const payment = this.payments.findByToken(token);
    return payment && payment.state !== "EXPIRED" ? payment : undefined;
  }

  private phonePage(token: string): Response {
    const payment = this.livePaymentByToken(token);
    if (!payment) return htmlResponse(404, renderNotFoundPage("This payment request does not exist or has expired."));
    const view = this.phoneView(payment);
    if (payment.state !== "CREATED") return htmlResponse(200, renderStatePage(view, "phone-state"));
    return htmlResponse(200, renderPaymentPage(view, `${this.basePath}/qr/${encodeURIComponent(token)}`));
  }

  private phoneAction(token: string, action: "approve" | "decline"): Response {
    const payment = this.livePaymentByToken(token);
    if (!payment) return htmlResponse(404, renderNotFoundPage("This payment request does not exist or has expired."));
    if (payment.state === "CREATED") {
      if (action === "approve") this.payments.approve(payment.msn, payment.reference);
      else this.payments.reject(payment.msn, payment.reference);
    }
    // If the shop cancelled meanwhile, the result page shows that state instead.
    return emptyResponse(303, { location: `${this.basePath}/qr/${encodeURIComponent(token)}/result` });
  }

  private phoneResult(token: string): Response {
    const payment = this.livePaymentByToken(token);
    if (!payment) return htmlResponse(404, renderNotFoundPage("This payment request does not exist or has expired."));
    return htmlResponse(200, renderStatePage(this.phoneView(payment), "phone-result"));
  }

  private qrImage(file: string): Response {
    const match = /^([A-Za-z0-9_-]+)\.(svg|png)$/.exec(file);
    const payment = match ? this.payments.findByToken(match[1]!) : undefined;
    // Like qr-image.vipps.no: the image stops working once the payment is no longer waiting for the user.
    if (!match || !payment || payment.state !== "CREATED") {
      throw new ProblemError(404, PROBLEM_TYPES.notFound, "Not Found", "The QR code does not exist or has expired.");
    }
    const target = this.payments.phonePageUrl(payment.qr_token);
    if (match[2] === "svg") {
      return new Response(renderQrSvg(target), { status: 200, headers: { "content-type": "image/svg+xml", "cache-control": "no-store" } });
    }
    const png = renderQrPng(target, payment.qr_size ?? 1024);
    return new Response(new Uint8Array(png), { status: 200, headers: { "content-type": "image/png", "cache-control": "no-store" } });
  }

  // ---- Simulator controls ------------------------------------------------------------------------

  private clockState(): Response {
    const now = this.clock.now();
    return jsonResponse(200, { now: new Date(now).toISOString(), nowMs: now, adjustable: isAdvanceable(this.clock) });
  }

  private async advanceClock(request: Request): Promise<Response> {
    const body = requireBody(await readJsonBody(request));
    const ms = isPlainObject(body) ? body.ms : undefined;
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
      throw badRequest("Body must be { ms: number >= 0 }.", [{ name: "ms", reason: "A non-negative number of milliseconds is required." }]);
    }
    if (!isAdvanceable(this.clock)) {
      throw badRequest("The simulator clock cannot be advanced: it is not an AdjustableClock.", [
        { name: "clock", reason: "Start the simulator with an AdjustableClock to move time." },
      ]);
    }
    this.clock.advance(ms);
    await this.runDueWork();
    const now = this.clock.now();
    return jsonResponse(200, { now: new Date(now).toISOString(), nowMs: now });
  }

  private simPayment(reference: string): Response {
    const payment = this.payments.find(this.credentials.msn, reference);
    if (!payment) throw new ProblemError(404, PROBLEM_TYPES.notFound, "Not Found", `Payment with reference ${reference} not found.`);
    return jsonResponse(200, this.payments.debugView(payment));
  }

  private simAction(reference: string, action: "approve" | "reject" | "expire"): Response {
    const msn = this.credentials.msn;
    const payment =
      action === "approve"
        ? this.payments.approve(msn, reference)
        : action === "reject"
          ? this.payments.reject(msn, reference)
          : this.payments.expireNow(msn, reference);
    return jsonResponse(200, this.payments.debugView(payment));
  }
}

function requireBody(body: ParsedBody): unknown {
  if (!body.present) throw badRequest("A JSON request body is required.", [{ name: "body", reason: "Required." }]);
  return body.value;
}

function normaliseBasePath(basePath: string): string {
  const trimmed = basePath.trim().replace(/\/+$/, "");
  if (trimmed === "") return "";
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

function stripBasePath(pathname: string, basePath: string): string | undefined {
  if (basePath === "") return pathname;
  if (pathname === basePath) return "/";
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : undefined;
}

export function createSimulator(options: SimulatorOptions): Simulator {
  return new SimulatorImpl(options);
}
