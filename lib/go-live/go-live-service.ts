import "server-only";
import type { Clock } from "@/lib/clock";
import type { GoLiveEvidence, GoLiveItem, GoLiveReport, GoLiveStore } from "@/lib/contracts/go-live";
import { canAccessStore, type Principal } from "@/lib/entities/principal";
import type { Logger } from "@/lib/log";
import { CAPTURE_DEADLINES, captureDeadlineFromEvents } from "@/lib/sales/sale-views";
import type { Sale, SaleEvent } from "@/lib/sales/types";
import type { VippsRequestRecord } from "@/lib/entities/vipps-request";
import type { OperationsRepository, SalesRepository } from "@/lib/store/repositories";
import type { WebhookRegistrationStatus } from "@/lib/webhooks/webhook-registrar";
import {
  CHECKLIST_ENDPOINTS,
  customerPresent,
  DAY_MS,
  DEADLINE_WARNING_DAYS,
  type Outcome,
  orderDetails,
  recentSamples,
  statesAndEvents,
  systemHeaders,
  type TestReference,
  testReferenceItem,
  settlementImportItem,
  type SettlementImportProgress,
  type VippsPaymentEvent,
  webhookRegistration,
  webhooksAndPolling,
} from "./checklist-items";

// The checklist's facts are part of the service's API: callers import them from here.
export {
  CHECKLIST_ENDPOINTS,
  CHECKLIST_STATES,
  DEADLINE_WARNING_DAYS,
  SAMPLE_MAX_AGE_DAYS,
  SYSTEM_HEADERS,
  type VippsPaymentEvent,
} from "./checklist-items";

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
  /** How far the settlement import has read the Report API's ledger; without it the item is left out. */
  settlementImport?: () => Promise<SettlementImportProgress>;
  /** Each store's own checks (its MSN, keys and webhook registration); without it, none are listed. */
  stores?: () => Promise<GoLiveStore[]>;
  /** How long to wait for Vipps' event log of one payment. Default 5 s. */
  vippsTimeoutMs?: number;
}

const VIPPS_LOG_CACHE_MS = 60_000;

export class GoLiveService {
  private readonly vippsLogs = new Map<
    string,
    { atMs: number; result: { events: VippsPaymentEvent[] } | { error: string } }
  >();

  constructor(private readonly deps: GoLiveDeps) {}

  /** The checklist with each item met or not, and what shows it; of the stores, those the caller may see. */
  async report(by?: Principal): Promise<GoLiveReport> {
    return (await this.gather(by)).report;
  }

  /** Everything behind the report, as one document to hand to Vipps: items, requests, test references. */
  async evidence(by?: Principal): Promise<{ filename: string; document: GoLiveEvidence }> {
    const { report, requests, references, webhook } = await this.gather(by);
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
        stores: report.stores,
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

  private async gather(by: Principal | undefined) {
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
    const [requests, counts, webhook, authorized, stores] = await Promise.all([
      operations.listVippsRequests({ limit: 500 }),
      sales.countSaleEvents(),
      this.deps.webhookStatus(),
      sales.listSales({ state: "authorized", limit: 200 }),
      this.deps.stores?.() ?? [],
    ]);
    const myStores = by ? stores.filter((store) => canAccessStore(by, store.storeId)) : stores;
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
      ...(this.deps.settlementImport ? [settlementImportItem(await this.deps.settlementImport())] : []),
    ];
    // The endpoints' outcomes come from the event log: what became of the sale each request was for.
    await Promise.all(items.filter((item) => item.id.startsWith("endpoint-")).map((item) => this.addOutcome(item)));
    return {
      report: {
        generatedAt: new Date(nowMs).toISOString(),
        environment: this.deps.environment,
        items,
        stores: myStores,
      },
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
