import "server-only";
import type { GoLiveItem } from "@/lib/contracts/go-live";
import type { SaleEventCount } from "@/lib/entities/sale";
import type { VippsRequestRecord } from "@/lib/entities/vipps-request";
import type { Sale, SaleEvent } from "@/lib/sales/types";
import type { PaymentEvent } from "@/lib/vipps/schemas";
import type { WebhookRegistrationStatus } from "@/lib/webhooks/webhook-registrar";

/*
 * What the go-live checklist asks (see go-live-service.ts for its sources) and how each item is
 * judged from records already gathered: pure functions, so that GoLiveService keeps only the
 * reading of the store and of Vipps.
 */

/** What the evidence reads of an event in Vipps' own log of a payment (GET /epayment/v1/payments/{reference}/events). */
export type VippsPaymentEvent = Pick<PaymentEvent, "name" | "success" | "timestamp" | "amount">;

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
export const DAY_MS = 24 * 60 * 60 * 1000;

export type Outcome = "captured" | "refunded" | "cancelled";

/** A sale of ours that ended one way at Vipps: its reference is what the checklist asks for. */
export interface TestReference {
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

export function webhooksAndPolling(
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

export function webhookRegistration(webhook: WebhookRegistrationStatus): GoLiveItem {
  return {
    id: "webhook-registration",
    title: "Webhook registered at Vipps and checked hourly",
    ok: webhook.registered && webhook.state === "registered",
    evidence: { ...webhook },
  };
}

export function statesAndEvents(counts: SaleEventCount[]): GoLiveItem {
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

export function systemHeaders(requests: VippsRequestRecord[]): GoLiveItem {
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

export function orderDetails(requests: VippsRequestRecord[]): GoLiveItem {
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

export function customerPresent(requests: VippsRequestRecord[]): GoLiveItem {
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

export function testReferenceItem(outcome: Outcome, ref: TestReference | undefined): GoLiveItem {
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

export function recentSamples(requests: VippsRequestRecord[], nowMs: number): GoLiveItem {
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

/** What the settlement import says of itself, for the go-live checklist. */
export interface SettlementImportProgress {
  reached: boolean;
  importedThrough?: string;
  error?: string;
}

/** "The settlement import has reached yesterday's ledger": every feed was read to its end after yesterday was over. */
export function settlementImportItem(progress: SettlementImportProgress): GoLiveItem {
  return {
    id: "settlement-import",
    title: "The settlement import has reached yesterday's ledger",
    ok: progress.reached,
    evidence: {
      importedThrough: progress.importedThrough ?? null,
      ...(progress.error ? { error: progress.error } : {}),
    },
  };
}
