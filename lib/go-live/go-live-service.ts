import "server-only";
import type { Clock } from "@/lib/clock";
import type { GoLiveEvidence, GoLiveItem, GoLiveReport } from "@/lib/contracts/go-live";
import type { Logger } from "@/lib/log";
import { CAPTURE_DEADLINES, captureDeadlineFromEvents } from "@/lib/sales/sale-views";
import type { Sale, SaleEvent } from "@/lib/sales/types";
import type { SaleEventCount } from "@/lib/entities/sale";
import type { VippsRequestRecord } from "@/lib/entities/vipps-request";
import type { OperationsRepository, SalesRepository } from "@/lib/store/repositories";
import type { WebhookRegistrationStatus } from "@/lib/webhooks/webhook-registrar";
import type { PaymentEvent } from "@/lib/vipps/schemas";

/**
 * The go-live checklist Vipps MobilePay reviews an ePayment integration against, each item checked
 * against the app's own records: the event log (sale_events), the outgoing Vipps requests the client
 * recorded (vipps_requests, see request-recorder.ts) and the webhook registration's last check.
 *
 * Sources: Vipps' "ePayment API checklist" (developer.vippsmobilepay.com/docs/APIs/epayment-api/
 * checklist) and its own summary in vippsas/agent-toolkit skills/test-and-go-live: the six endpoints
 * (create, get, get event log, cancel, capture, refund); webhooks and polling; the states CREATED,
 * AUTHORIZED, ABORTED, EXPIRED, TERMINATED and the events CANCELLED, CAPTURED, REFUNDED; the
 * Vipps-System-* headers; order details on the payment; CUSTOMER_PRESENT in a shop; an order that
 * ended CAPTURED, REFUNDED and CANCELLED, checked through the API; request examples no more than a
 * month old; capture before the deadline, cancel reservations that will not be captured.
 */

/** What the evidence reads of an event in Vipps' own log of a payment (GET /epayment/v1/payments/{reference}/events). */
export type VippsPaymentEvent = Pick<PaymentEvent, "name" | "success" | "timestamp" | "amount">;

export interface GoLiveDeps {
  sales: SalesRepository;
  operations: OperationsRepository;
  clock: Clock;
  log: Logger;
  environment: GoLiveReport["environment"];
  msn: string;
  /** The Vipps-System-* values the client is configured with. */
  system: { name: string; version: string; pluginName: string; pluginVersion: string };
  webhookStatus: () => Promise<WebhookRegistrationStatus>;
  /**
   * Vipps' event log of a payment. The evidence checks each test reference against it, as Vipps
   * asks ("checked through the API"); this is where the app uses the event-log endpoint.
   */
  paymentEvents?: (reference: string) => Promise<readonly VippsPaymentEvent[]>;
  /** Resolves once the records of the Vipps requests made so far are stored. */
  requestsSettled?: () => Promise<void>;
  /** How long to wait for Vipps' event log of one payment. Default 5 s. */
  vippsTimeoutMs?: number;
}

/** The six endpoints of the ePayment checklist and the client operation that calls each. */
export const CHECKLIST_ENDPOINTS = [
  {
    id: "endpoint-create",
    operation: "createPayment",
    title: "Create payment",
    endpoint: "POST /epayment/v1/payments",
  },
  {
    id: "endpoint-get",
    operation: "getPayment",
    title: "Get payment",
    endpoint: "GET /epayment/v1/payments/{reference}",
  },
  {
    id: "endpoint-events",
    operation: "getPaymentEvents",
    title: "Get payment event log",
    endpoint: "GET /epayment/v1/payments/{reference}/events",
  },
  {
    id: "endpoint-cancel",
    operation: "cancelPayment",
    title: "Cancel payment",
    endpoint: "POST /epayment/v1/payments/{reference}/cancel",
  },
  {
    id: "endpoint-capture",
    operation: "capturePayment",
    title: "Capture payment",
    endpoint: "POST /epayment/v1/payments/{reference}/capture",
  },
  {
    id: "endpoint-refund",
    operation: "refundPayment",
    title: "Refund payment",
    endpoint: "POST /epayment/v1/payments/{reference}/refund",
  },
] as const;

/** The states and events the checklist names, and the event of our log that records each. */
export const CHECKLIST_STATES: Record<string, string> = {
  CREATED: "payment.created",
  AUTHORIZED: "payment.authorized",
  ABORTED: "payment.aborted",
  EXPIRED: "payment.expired",
  TERMINATED: "payment.terminated",
  CANCELLED: "payment.released",
  CAPTURED: "payment.captured",
  REFUNDED: "payment.refunded",
};

export const SYSTEM_HEADERS = [
  "Vipps-System-Name",
  "Vipps-System-Version",
  "Vipps-System-Plugin-Name",
  "Vipps-System-Plugin-Version",
] as const;

/** "Request examples in the checklist must be no more than 1 month old." */
export const SAMPLE_MAX_AGE_DAYS = 30;
/** Reservations this close to their capture deadline are called out. */
export const DEADLINE_WARNING_DAYS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;
const VIPPS_LOG_CACHE_MS = 60_000;

type Outcome = "captured" | "refunded" | "cancelled";

/** A sale of ours that ended one way at Vipps: its reference is what the checklist asks for. */
interface TestReference {
  outcome: Outcome;
  sale: Sale;
  reference: string;
  events: SaleEvent[];
  vipps: { events: VippsPaymentEvent[] } | { error: string } | undefined;
}

/** Which Vipps events prove each outcome. */
const VIPPS_PROOF: Record<Outcome, readonly PaymentEvent["name"][]> = {
  captured: ["CAPTURED"],
  refunded: ["REFUNDED"],
  // Cancelled after approval is Vipps' CANCELLED event; cancelled before it, TERMINATED.
  cancelled: ["CANCELLED", "TERMINATED"],
};

export class GoLiveService {
  private readonly vippsLogs = new Map<
    string,
    { atMs: number; result: { events: VippsPaymentEvent[] } | { error: string } }
  >();

  constructor(private readonly deps: GoLiveDeps) {}

  /** The checklist with each item met or not, and what shows it. */
  async report(): Promise<GoLiveReport> {
    return (await this.gather()).report;
  }

  /** Everything behind the report, as one document to hand to Vipps: items, requests, test references. */
  async evidence(): Promise<{ filename: string; document: GoLiveEvidence }> {
    const { report, requests, references, webhook } = await this.gather();
    const day = report.generatedAt.slice(0, 10);
    return {
      filename: `kassa-go-live-evidence-${day}.json`,
      document: {
        generatedAt: report.generatedAt,
        environment: report.environment,
        merchantSerialNumber: this.deps.msn,
        system: this.deps.system,
        summary: { met: report.items.filter((item) => item.ok).length, total: report.items.length },
        items: report.items,
        webhookRegistration: webhook,
        testReferences: references.map((ref) => ({
          outcome: ref.outcome,
          reference: ref.reference,
          saleId: ref.sale.id,
          receiptNumber: ref.sale.receiptNumber,
          amount: { value: ref.sale.amount, currency: ref.sale.currency },
          state: ref.sale.state,
          createdAt: ref.sale.createdAt,
          endedAt: ref.sale.endedAt ?? null,
          eventLog: ref.events.map((event) => ({
            type: event.type,
            source: event.source,
            fromState: event.fromState ?? null,
            toState: event.toState ?? null,
            at: event.at,
          })),
          vippsEventLog: ref.vipps ?? null,
        })),
        // The newest kept of each operation, newest first: the request samples.
        requests,
      },
    };
  }

  private async gather() {
    const { sales, operations } = this.deps;
    // First the test references, whose check at Vipps is itself a request to record.
    const references = (
      await Promise.all((["captured", "refunded", "cancelled"] as const).map((outcome) => this.testReference(outcome)))
    ).filter((ref): ref is TestReference => ref !== undefined);
    // The evidence is still worth showing without them; at worst it lacks the last few requests.
    await this.deps.requestsSettled?.().catch((error: unknown) =>
      this.deps.log.warn("Could not wait for the Vipps requests to be recorded; the evidence may miss the newest", {
        err: error,
      }),
    );
    const nowMs = this.deps.clock.now();
    const [requests, counts, webhook, authorized] = await Promise.all([
      operations.listVippsRequests({ limit: 500 }),
      sales.countSaleEvents(),
      this.deps.webhookStatus(),
      sales.listSales({ state: "authorized", limit: 200 }),
    ]);
    const items: GoLiveItem[] = [
      ...CHECKLIST_ENDPOINTS.map((endpoint) => this.endpointItem(endpoint, requests)),
      webhooksAndPolling(counts, requests, webhook),
      webhookRegistration(webhook),
      statesAndEvents(counts),
      systemHeaders(requests),
      orderDetails(requests),
      customerPresent(requests),
      ...(["captured", "refunded", "cancelled"] as const).map((outcome) =>
        testReferenceItem(
          outcome,
          references.find((ref) => ref.outcome === outcome),
        ),
      ),
      recentSamples(requests, nowMs),
      await this.reservations(authorized.items, nowMs),
    ];
    // The endpoints' outcomes come from the event log: what became of the sale each request was for.
    await Promise.all(items.filter((item) => item.id.startsWith("endpoint-")).map((item) => this.addOutcome(item)));
    return {
      report: { generatedAt: new Date(nowMs).toISOString(), environment: this.deps.environment, items },
      requests,
      references,
      webhook,
    };
  }

  private endpointItem(endpoint: (typeof CHECKLIST_ENDPOINTS)[number], requests: VippsRequestRecord[]): GoLiveItem {
    const mine = requests.filter((request) => request.operation === endpoint.operation);
    const last = mine[0];
    return {
      id: endpoint.id,
      title: `${endpoint.title} (${endpoint.endpoint})`,
      ok: last !== undefined,
      evidence: {
        endpoint: endpoint.endpoint,
        requestsKept: mine.length,
        ...(last
          ? { lastRequestAt: last.at, lastPath: `${last.method} ${last.path}`, lastReference: last.reference ?? null }
          : {}),
        ...(endpoint.operation === "getPaymentEvents"
          ? { usedFor: "Support: the go-live evidence checks each test reference against Vipps' own event log" }
          : {}),
      },
    };
  }

  private async addOutcome(item: GoLiveItem): Promise<void> {
    const reference = item.evidence.lastReference;
    if (typeof reference !== "string") return;
    const attempt = await this.deps.sales.getAttemptByReference(reference);
    const sale = attempt ? await this.deps.sales.getSale(attempt.saleId) : undefined;
    if (sale) item.evidence.saleNow = { id: sale.id, receiptNumber: sale.receiptNumber, state: sale.state };
  }

  /** The newest sale of ours that ended `outcome` at Vipps, with both event logs. */
  private async testReference(outcome: Outcome): Promise<TestReference | undefined> {
    const { sales } = this.deps;
    const candidates = (await sales.listSales({ state: outcome, limit: 20 })).items;
    if (outcome === "refunded") {
      // A partly refunded sale stays "captured".
      candidates.push(
        ...(await sales.listSales({ state: "captured", limit: 20 })).items.filter((sale) => sale.refundedAmount > 0),
      );
    }
    let chosen: { sale: Sale; events: SaleEvent[] } | undefined;
    for (const sale of candidates) {
      const events = await sales.listEvents(sale.id);
      const types = new Set(events.map((event) => event.type));
      const proof =
        outcome === "captured"
          ? types.has("payment.captured")
          : outcome === "refunded"
            ? types.has("payment.refunded")
            : types.has("payment.released") || types.has("payment.terminated");
      if (!proof) continue;
      // For cancelled, prefer a cancel after approval (Vipps' CANCELLED event) over one before it.
      if (outcome === "cancelled" && !types.has("payment.released")) {
        chosen ??= { sale, events };
        continue;
      }
      chosen = { sale, events };
      break;
    }
    if (!chosen) return undefined;
    const attempt = await sales.getAttempt(chosen.sale.currentAttemptId);
    if (!attempt) return undefined;
    return {
      outcome,
      sale: chosen.sale,
      reference: attempt.reference,
      events: chosen.events,
      vipps: await this.vippsLog(attempt.reference),
    };
  }

  private async vippsLog(reference: string): Promise<TestReference["vipps"]> {
    const fetchEvents = this.deps.paymentEvents;
    if (!fetchEvents) return undefined;
    const nowMs = this.deps.clock.now();
    const cached = this.vippsLogs.get(reference);
    if (cached && nowMs - cached.atMs < VIPPS_LOG_CACHE_MS) return cached.result;
    const timeoutMs = this.deps.vippsTimeoutMs ?? 5_000;
    let timer: NodeJS.Timeout | undefined;
    let result: { events: VippsPaymentEvent[] } | { error: string };
    try {
      const events = await Promise.race([
        fetchEvents(reference),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`Vipps did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      result = {
        events: events.map((event) => ({
          name: event.name,
          success: event.success,
          timestamp: event.timestamp,
          amount: event.amount,
        })),
      };
    } catch (error) {
      this.deps.log.warn("Could not read Vipps' event log for the go-live evidence", { reference, err: error });
      result = { error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
    this.vippsLogs.set(reference, { atMs: nowMs, result });
    if (this.vippsLogs.size > 50) this.vippsLogs.delete(this.vippsLogs.keys().next().value!);
    return result;
  }

  private async reservations(authorized: Sale[], nowMs: number): Promise<GoLiveItem> {
    const withDeadlines = await Promise.all(
      authorized.map(async (sale) => {
        const deadline = captureDeadlineFromEvents(sale, await this.deps.sales.listEvents(sale.id));
        return {
          saleId: sale.id,
          receiptNumber: sale.receiptNumber,
          market: CAPTURE_DEADLINES[sale.currency].market,
          ...deadline,
        };
      }),
    );
    const past = withDeadlines.filter((sale) => Date.parse(sale.captureDeadline) <= nowMs);
    const soon = withDeadlines.filter(
      (sale) =>
        Date.parse(sale.captureDeadline) > nowMs &&
        Date.parse(sale.captureDeadline) - nowMs <= DEADLINE_WARNING_DAYS * DAY_MS,
    );
    return {
      id: "reservations",
      title: "Reservations captured or cancelled before their deadline",
      ok: past.length === 0,
      evidence: {
        deadlines: Object.fromEntries(
          Object.values(CAPTURE_DEADLINES).map(({ market, days }) => [market, `${days} days`]),
        ),
        awaitingCapture: withDeadlines.length,
        pastDeadline: past,
        dueWithinDays: { days: DEADLINE_WARNING_DAYS, sales: soon },
      },
    };
  }
}

function webhooksAndPolling(
  counts: SaleEventCount[],
  requests: VippsRequestRecord[],
  webhook: WebhookRegistrationStatus,
): GoLiveItem {
  const fromSource = (source: string) =>
    counts.filter((count) => count.source === source && count.type !== "sale.created");
  const sum = (rows: SaleEventCount[]) => rows.reduce((total, row) => total + row.count, 0);
  const newest = (rows: SaleEventCount[]) =>
    rows
      .map((row) => row.lastAt)
      .sort()
      .at(-1) ?? null;
  const webhookEvents = fromSource("webhook");
  const pollEvents = fromSource("poll");
  const polls = requests.filter((request) => request.operation === "getPayment");
  return {
    id: "webhooks-and-polling",
    title: "Webhooks and polling both in use",
    ok: webhook.registered && sum(webhookEvents) > 0 && polls.length > 0,
    evidence: {
      webhookRegistered: webhook.registered,
      eventsFromWebhooks: sum(webhookEvents),
      lastWebhookEventAt: newest(webhookEvents),
      // Polling runs all along; it changes a sale only when it learns something first.
      paymentPolls: polls.length,
      lastPollAt: polls[0]?.at ?? null,
      eventsFromPolling: sum(pollEvents),
      lastPollEventAt: newest(pollEvents),
    },
  };
}

function webhookRegistration(webhook: WebhookRegistrationStatus): GoLiveItem {
  return {
    id: "webhook-registration",
    title: "Webhook registered at Vipps and checked hourly",
    ok: webhook.registered && webhook.state === "registered",
    evidence: { ...webhook },
  };
}

function statesAndEvents(counts: SaleEventCount[]): GoLiveItem {
  const seen: Record<string, number> = {};
  for (const [name, type] of Object.entries(CHECKLIST_STATES)) {
    seen[name] = counts.filter((count) => count.type === type).reduce((total, row) => total + row.count, 0);
  }
  const missing = Object.keys(seen).filter((name) => seen[name] === 0);
  return {
    id: "states-and-events",
    title:
      "Every payment state and event met: CREATED, AUTHORIZED, ABORTED, EXPIRED, TERMINATED; CANCELLED, CAPTURED, REFUNDED",
    ok: missing.length === 0,
    evidence: {
      seen,
      missing,
      ...(missing.includes("EXPIRED")
        ? {
            note: "The app cancels an unpaid QR just before Vipps would let it expire (TERMINATED), so EXPIRED comes only when that cancel did not get through",
          }
        : {}),
    },
  };
}

function systemHeaders(requests: VippsRequestRecord[]): GoLiveItem {
  const lacking = requests.filter((request) => SYSTEM_HEADERS.some((name) => !request.systemHeaders[name]));
  return {
    id: "system-headers",
    title: "Vipps-System-* headers on every request",
    ok: requests.length > 0 && lacking.length === 0,
    evidence: {
      required: [...SYSTEM_HEADERS],
      requestsChecked: requests.length,
      requestsWithout: lacking.map((request) => ({
        operation: request.operation,
        at: request.at,
        sent: Object.keys(request.systemHeaders),
      })),
      ...(requests[0] ? { sent: requests[0].systemHeaders } : {}),
    },
  };
}

const creates = (requests: VippsRequestRecord[]) => requests.filter((request) => request.operation === "createPayment");

function orderDetails(requests: VippsRequestRecord[]): GoLiveItem {
  const all = creates(requests);
  const receiptOf = (request: VippsRequestRecord) =>
    request.summary.receipt as { orderLines?: number; bottomLine?: unknown } | null | undefined;
  const withReceipt = all.filter(
    (request) => (receiptOf(request)?.orderLines ?? 0) > 0 && receiptOf(request)?.bottomLine,
  );
  return {
    id: "order-details",
    title: "Order details (receipt with order lines) on every payment",
    ok: all.length > 0 && withReceipt.length === all.length,
    evidence: {
      createRequests: all.length,
      withReceipt: withReceipt.length,
      ...(all[0]
        ? {
            newest: {
              reference: all[0].reference ?? null,
              at: all[0].at,
              receipt: receiptOf(all[0]) ?? null,
              paymentDescription: all[0].summary.paymentDescription === true,
            },
          }
        : {}),
    },
  };
}

function customerPresent(requests: VippsRequestRecord[]): GoLiveItem {
  const all = creates(requests);
  const present = all.filter((request) => request.summary.customerInteraction === "CUSTOMER_PRESENT");
  return {
    id: "customer-present",
    title: "customerInteraction CUSTOMER_PRESENT on every payment (a shop counter)",
    ok: all.length > 0 && present.length === all.length,
    evidence: {
      createRequests: all.length,
      customerPresent: present.length,
      userFlows: [...new Set(all.map((request) => String(request.summary.userFlow)))],
    },
  };
}

function testReferenceItem(outcome: Outcome, ref: TestReference | undefined): GoLiveItem {
  const word = outcome.toUpperCase();
  const base = { id: `test-${outcome}`, title: `A test payment that ended ${word}, checked through the API` };
  if (!ref)
    return { ...base, ok: false, evidence: { reference: null, hint: `Run a sale to ${outcome} in this environment` } };
  const vippsEvents =
    ref.vipps && "events" in ref.vipps
      ? ref.vipps.events.filter((event) => event.success).map((event) => event.name)
      : undefined;
  const confirmed = vippsEvents ? VIPPS_PROOF[outcome].some((name) => vippsEvents.includes(name)) : undefined;
  return {
    ...base,
    // Our log says so; Vipps' log, when it could be read, must agree.
    ok: confirmed !== false,
    evidence: {
      reference: ref.reference,
      saleId: ref.sale.id,
      receiptNumber: ref.sale.receiptNumber,
      amount: { value: ref.sale.amount, currency: ref.sale.currency },
      endedAt: ref.sale.endedAt ?? null,
      ourEvents: ref.events.map((event) => event.type),
      ...(vippsEvents ? { vippsEvents, confirmedByVipps: confirmed } : {}),
      ...(ref.vipps && "error" in ref.vipps ? { vippsEventLogError: ref.vipps.error } : {}),
    },
  };
}

function recentSamples(requests: VippsRequestRecord[], nowMs: number): GoLiveItem {
  const samples = CHECKLIST_ENDPOINTS.map((endpoint) => {
    const last = requests.find((request) => request.operation === endpoint.operation);
    return {
      endpoint: endpoint.endpoint,
      lastRequestAt: last?.at ?? null,
      ageDays: last ? Math.max(0, Math.floor((nowMs - Date.parse(last.at)) / DAY_MS)) : null,
    };
  });
  const stale = samples.filter((sample) => sample.ageDays === null || sample.ageDays >= SAMPLE_MAX_AGE_DAYS);
  return {
    id: "recent-samples",
    title: "Request samples less than a month old for every endpoint",
    ok: stale.length === 0,
    evidence: { maxAgeDays: SAMPLE_MAX_AGE_DAYS, samples, missingOrStale: stale.map((sample) => sample.endpoint) },
  };
}
