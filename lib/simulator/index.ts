/**
 * A local Vipps MobilePay simulator as a plain library: the Access Token API, ePayment v1 (including
 * the test-only force approve), Webhooks v1 with signed, retried, ordered deliveries, the Report API
 * (settlement ledgers, funds and fees) booked from the simulator's own captures and refunds, a
 * simulated customer phone reached through the QR code, and /_sim/ controls for tests.
 *
 * It is mounted in Next.js by app/sim/[...path]/route.ts, but has no Next.js dependency: everything
 * goes through `handle(request: Request): Promise<Response>`. The routes are tables in routes-*.ts,
 * matched by router.ts; this module owns the life cycle and the request frame around them. server.ts
 * serves it on its own over node:http (`npm run simulator`, basePath "").
 *
 * HTTP surface, relative to `basePath` (default /sim):
 *   POST   /accesstoken/get
 *   POST   /epayment/v1/payments
 *   GET    /epayment/v1/payments/{reference}
 *   GET    /epayment/v1/payments/{reference}/events
 *   POST   /epayment/v1/payments/{reference}/capture | /cancel | /refund
 *   POST   /epayment/v1/test/payments/{reference}/approve
 *   GET    /webhooks/v1/webhooks          POST /webhooks/v1/webhooks          DELETE /webhooks/v1/webhooks/{id}
 *   GET    /qr/v1/merchant-callback       GET|PUT|DELETE /qr/v1/merchant-callback/{merchantQrId} (routes-qr-api.ts)
 *   GET    /sticker/{msn}/{merchantQrId}  a sticker read by a phone: POST …/scan {phoneNumber} checks in
 *   GET    /qr/{token}                    the simulated phone (payment page)
 *   POST   /qr/{token}/approve | /decline → 303 to GET /qr/{token}/result
 *   GET    /qr-image/{token}.svg | .png   the QR image behind IMAGE/* redirectUrls
 *   GET    /settlement/v1/ledgers         the Report API (routes-report.ts, report-ledger.ts): the keys' ledgers
 *   GET    /report/v2/ledgers/{ledgerId}/{funds|fees}/feed?cursor=
 *   GET    /report/v2/ledgers/{ledgerId}/{funds|fees}/dates/{ledgerDate}?cursor=
 *   Simulator-only (not Vipps), and only with `controls: true`; otherwise every /_sim path is a plain 404:
 *   GET    /_sim/clock                    POST /_sim/clock/advance {ms}
 *   GET|PUT /_sim/webhook-faults          { mode: "deliver" | "drop" | "delay", delayMs? }
 *   GET|PUT|DELETE /_sim/faults           per operation: delay, error, timeout, drop, duplicate (faults.ts)
 *   GET    /_sim/deliveries?reference=    every outbox record with its exact signed headers and body
 *   GET    /_sim/payments/{reference}     POST /_sim/payments/{reference}/approve | /reject | /expire
 *   POST   /_sim/run-due-work
 *   POST   /_sim/stickers/{merchantQrId}/scan {phoneNumber}   the check-in webhook with a new customer token
 *   GET    /_sim/requests                 requests answered per route since start (benchmarks count polls)
 *   GET|PUT /_sim/report/config            { feeBps, feeFixed, pageSize, lagMs, cutoff, withholdReferences }
 *   POST   /_sim/report/entries           adds any Report API entry (report-config.ts)
 */
import type { Clock } from "../clock";
import { DEFAULT_BRAND_SWITCH_AT, walletBrandAt } from "../vipps/brand";
import { ApiGuard } from "./api-guard";
import type { SimulatorContext, SimulatorCredentials, SimulatorLog } from "./context";
import { FaultStore } from "./faults";
import { MerchantCallbacks } from "./merchant-callbacks";
import { SimulatorKeyring } from "./keyring";
import { PROBLEM_TYPES, ProblemError, ResponseError, problemResponse } from "./http";
import { PaymentEngine } from "./payments";
import { RateLimiter } from "./rate-limit";
import { ReportConfigStore } from "./report-config";
import { ReportLedger } from "./report-ledger";
import { RequestCounts } from "./request-counts";
import { Router } from "./router";
import { controlRoutes } from "./routes-controls";
import { epaymentRoutes } from "./routes-epayment";
import { phoneRoutes } from "./routes-phone";
import { qrApiRoutes, stickerControlRoutes, stickerPhoneRoutes } from "./routes-qr-api";
import { reportControlRoutes, reportRoutes } from "./routes-report";
import { webhookApiRoutes } from "./routes-webhooks";
import { loadOrCreateSecret, openDatabase, type Db } from "./store";
import { TokenService } from "./tokens";
import { WebhookService } from "./webhooks";
import { createKeepAliveFetch } from "../transport/keep-alive-fetch";

export { PROBLEM_TYPES } from "./http";
export { EPAYMENT_EVENT_TYPES, MAX_BACKOFF_MS, MAX_WEBHOOKS_PER_EVENT } from "./webhooks";
export type { DeliveryView } from "./webhooks";
export type { ApiFault, FaultSet, WebhookFault, WebhookFaults } from "./faults";
export type { SimulatorCredentials, SimulatorLog } from "./context";

export interface SimulatorOptions {
  /** better-sqlite3 file; ":memory:" in unit tests. State survives a restart on the same file. */
  dbFile: string;
  /** All time comes from here. An AdjustableClock also enables POST /_sim/clock/advance. */
  clock: Clock;
  /** Exactly these credentials are accepted. */
  credentials: SimulatorCredentials;
  /** Origin a phone reaches, e.g. "http://192.168.1.20:3000". */
  publicUrl: string;
  /** Default "/sim"; incoming request paths start with it. */
  basePath?: string;
  /** Used for webhook deliveries; by default node:http over kept-alive connections, like Vipps'. */
  fetch?: typeof fetch;
  /** Default 3600, like the test environment. */
  tokenTtlSeconds?: number;
  log?: SimulatorLog;
  /** Shown on the phone page. Default "Kassa demo shop". */
  merchantName?: string;
  /** KASSA_BRAND_SWITCH_AT: from then the phone says Vipps and DKK/EUR landing links use pay.vipps.dk/.fi. */
  brandSwitchAtMs?: number;
  /** The per-payment rate limits of the API guide (429). Default true. */
  rateLimits?: boolean;
  /**
   * The /_sim test controls (clock, forced outcomes, faults, delivery log). Default false: anyone who
   * can reach the simulator could otherwise approve payments or move time.
   */
  controls?: boolean;
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
  /**
   * Accepts these keys for this MSN from now on, besides those it was made with: an app that
   * embeds the simulator tells it each store's keys (its own, or the partner keys with its MSN).
   */
  acceptCredentials(credentials: SimulatorCredentials): void;
}

interface ObservableClock extends Clock {
  onAdvance(listener: (nowMs: number) => void): () => void;
}
const isObservable = (clock: Clock): clock is ObservableClock =>
  typeof (clock as Partial<ObservableClock>).onAdvance === "function";

const WORK_INTERVAL_MS = 1_000;

const defaultLog: SimulatorLog = (level, message, fields) => {
  if (level === "debug" || level === "info") return;
  console[level](`[vipps-simulator] ${message}`, fields ?? "");
};

class SimulatorImpl implements Simulator {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly basePath: string;
  private readonly log: SimulatorLog;
  private readonly webhooks: WebhookService;
  private readonly payments: PaymentEngine;
  private readonly report: ReportLedger;
  private readonly router: Router;
  private readonly requests = new RequestCounts();
  private readonly keyring: SimulatorKeyring;
  /** Aborted by stop(), so that requests waiting on purpose give up with the simulator. */
  private readonly stopping = new AbortController();

  private started = false;
  private closed = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private unsubscribeClock: (() => void) | undefined;
  private running: Promise<void> | null = null;
  private pending: Promise<void> | null = null;
  private readonly sleepers = new Set<() => void>();

  constructor(options: SimulatorOptions) {
    this.clock = options.clock;
    this.basePath = normaliseBasePath(options.basePath ?? "/sim");
    const publicBase = `${options.publicUrl.replace(/\/+$/, "")}${this.basePath}`;
    this.log = options.log ?? defaultLog;
    this.db = openDatabase(options.dbFile);
    const secret = loadOrCreateSecret(this.db);
    const tokens = new TokenService(secret, publicBase, options.tokenTtlSeconds ?? 3600);
    const faults = new FaultStore(this.db, this.log);
    this.keyring = new SimulatorKeyring(options.credentials);
    this.webhooks = new WebhookService(
      this.db,
      this.clock,
      options.fetch ?? createKeepAliveFetch({ everyRequestRepeatable: true }),
      faults,
      this.log,
      (msn) => this.keyring.scopesOf(msn),
    );
    const brandSwitchAtMs = options.brandSwitchAtMs ?? Date.parse(DEFAULT_BRAND_SWITCH_AT);
    const walletBrand = () => walletBrandAt(this.clock.now(), brandSwitchAtMs);
    const merchantName = options.merchantName ?? "Kassa demo shop";
    const reportConfig = new ReportConfigStore(this.db);
    this.report = new ReportLedger({
      db: this.db,
      clock: this.clock,
      config: reportConfig,
      log: this.log,
      salesUnitName: (msn) => (msn === options.credentials.msn ? merchantName : `Sales unit ${msn}`),
    });
    const merchantCallbacks = new MerchantCallbacks(this.db, this.clock, this.webhooks, publicBase, () => this.kick());
    this.payments = new PaymentEngine({
      customers: merchantCallbacks,
      db: this.db,
      clock: this.clock,
      walletBrand,
      secret,
      publicBase,
      webhooks: this.webhooks,
      settlement: this.report,
      onChange: () => this.kick(),
      log: this.log,
    });
    const limiter = options.rateLimits === false ? undefined : new RateLimiter();
    const context: SimulatorContext = {
      clock: this.clock,
      keyring: this.keyring,
      basePath: this.basePath,
      merchantName,
      walletBrand,
      tokens,
      guard: new ApiGuard(this.keyring, tokens, this.clock, limiter),
      payments: this.payments,
      webhooks: this.webhooks,
      merchantCallbacks,
      faults,
      report: this.report,
      reportConfig,
      requests: this.requests,
      log: this.log,
      runDueWork: () => this.runDueWork(),
    };
    // Without controls their routes are simply absent, so /_sim answers exactly like any unknown path.
    this.router = new Router([
      ...epaymentRoutes(context),
      ...webhookApiRoutes(context),
      ...phoneRoutes(context),
      ...qrApiRoutes(context),
      ...stickerPhoneRoutes(context),
      ...reportRoutes(context),
      ...(options.controls === true
        ? [...controlRoutes(context), ...reportControlRoutes(context), ...stickerControlRoutes(context)]
        : []),
    ]);
  }

  acceptCredentials(credentials: SimulatorCredentials): void {
    this.keyring.accept(credentials);
  }

  // ---- Lifecycle ---------------------------------------------------------------------------------

  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.timer = setInterval(() => {
      if (!this.running)
        this.runDueWork().catch((error: unknown) => this.log("error", "background work failed", { err: error }));
    }, WORK_INTERVAL_MS);
    this.timer.unref?.();
    if (isObservable(this.clock)) {
      this.unsubscribeClock = this.clock.onAdvance(() => {
        this.runDueWork().catch((error: unknown) => this.log("error", "background work failed", { err: error }));
      });
    }
  }

  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopping.abort();
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
      this.runDueWork().catch((error: unknown) => this.log("error", "background work failed", { err: error }));
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
    // One run at a time; calls made meanwhile share a single follow-up run, which starts after
    // the current one however that ends: its failure is reported by those who await it.
    const followUp = () => {
      this.pending = null;
      return this.runDueWork();
    };
    this.pending ??= this.running.then(followUp, followUp);
    return this.pending;
  }

  private async work(): Promise<void> {
    if (this.closed) return;
    this.payments.sweepExpired();
    // Ledger dates close by the clock, so a payout appears at the cut-off even if nobody asks.
    this.report.closeDueDates();
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
    // The Webhooks and QR APIs' problems carry an `instance` (the QR API's QrErrorResponse requires it).
    const problemHasInstance = (relative?.startsWith("/webhooks/") || relative?.startsWith("/qr/v1/")) ?? false;
    if (this.closed) {
      return problemResponse(
        new ProblemError(503, PROBLEM_TYPES.internal, "Service Unavailable", "The simulator has been stopped."),
      );
    }
    try {
      if (relative === undefined)
        throw new ProblemError(404, PROBLEM_TYPES.notFound, "Not Found", `No simulator route for ${url.pathname}.`);
      let segments: string[];
      try {
        segments = relative.split("/").filter(Boolean).map(decodeURIComponent);
      } catch {
        throw new ProblemError(400, PROBLEM_TYPES.malformedRequest, "Bad Request", "The request path is not valid.");
      }
      // Expiry is applied lazily on every request too, so responses never depend on the timer's phase.
      this.payments.sweepExpired();
      const method = request.method.toUpperCase();
      const routed = method === "HEAD" ? "GET" : method;
      const match = this.router.match(routed, segments);
      if (match.kind === "none") {
        throw new ProblemError(
          404,
          PROBLEM_TYPES.notFound,
          "Not Found",
          `No simulator route for ${routed} ${url.pathname}.`,
        );
      }
      if (match.kind === "wrong-method") {
        throw new ProblemError(
          405,
          PROBLEM_TYPES.methodNotAllowed,
          "Method Not Allowed",
          `${routed} is not supported here.`,
          undefined,
          {
            allow: match.allow.join(", "),
          },
        );
      }
      this.requests.record(routed, match.path);
      const signal = AbortSignal.any([request.signal, this.stopping.signal]);
      const response = await match.handler({ request, url, params: match.params, signal });
      return method === "HEAD" ? new Response(null, { status: response.status, headers: response.headers }) : response;
    } catch (error) {
      if (error instanceof ResponseError) return error.response;
      if (error instanceof ProblemError) return problemResponse(error, problemHasInstance ? relative : undefined);
      this.log("error", "simulator request failed", { path: url.pathname, err: error });
      return problemResponse(
        new ProblemError(
          500,
          PROBLEM_TYPES.internal,
          "Internal Server Error",
          "The simulator failed to process the request.",
        ),
      );
    }
  }
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
