// Go-live evidence: what the request recorder keeps of an outgoing Vipps call (and what it never
// keeps), and the checklist the GoLiveService builds from the event log and those records, driven
// through the real client against the in-process simulator.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AdjustableClock } from "@/lib/clock";
import { SIMULATOR_DEMO_CREDENTIALS } from "@/lib/config";
import type { GoLiveItem } from "@/lib/contracts/go-live";
import { GoLiveService, type VippsPaymentEvent } from "@/lib/go-live/go-live-service";
import { VippsRequestRecorder, describeVippsRequest } from "@/lib/go-live/request-recorder";
import { createLogger } from "@/lib/log";
import { captureLog } from "../support/log-capture";
import { createSimulator, type Simulator } from "@/lib/simulator";
import type { NewVippsRequestRecord } from "@/lib/entities/vipps-request";
import { AccessTokenCache } from "@/lib/vipps/access-token";
import { createVippsClient, type VippsClient } from "@/lib/vipps/client";
import type { WebhookEvent } from "@/lib/vipps/schemas";
import type { WebhookRegistrationStatus } from "@/lib/webhooks/webhook-registrar";
import { FrozenClock } from "../support/frozen-clock";
import { memoryStore, type TestStore } from "../support/memory-store";
import { buildSaleDomain, COUNTER_1 } from "../support/sale-domain";

const ORIGIN = "http://kassa.test";
const BASE = `${ORIGIN}/sim`;
const SYSTEM = { name: "kassa-display", version: "0.1.0", pluginName: "kassa-display-pos", pluginVersion: "0.1.0" };
const SYSTEM_HEADERS = {
  "Vipps-System-Name": "kassa-display",
  "Vipps-System-Version": "0.1.0",
  "Vipps-System-Plugin-Name": "kassa-display-pos",
  "Vipps-System-Plugin-Version": "0.1.0",
};
const log = createLogger("error");
const NOW = "2026-06-01T12:00:00.000Z";

describe("describeVippsRequest", () => {
  it("keeps the token call's system headers and path, never its credentials", () => {
    const record = describeVippsRequest(
      {
        operation: "fetchAccessToken",
        attempt: 1,
        method: "POST",
        url: `${BASE}/accesstoken/get`,
        headers: {
          client_id: "id-123",
          client_secret: "very-secret",
          "Ocp-Apim-Subscription-Key": "sub-key",
          "Merchant-Serial-Number": "123456",
          ...SYSTEM_HEADERS,
        },
        body: undefined,
      },
      BASE,
      NOW,
    );
    expect(record).toEqual({
      operation: "fetchAccessToken",
      method: "POST",
      path: "/accesstoken/get",
      attempt: 1,
      systemHeaders: SYSTEM_HEADERS,
      summary: {},
      at: NOW,
    });
    expect(JSON.stringify(record)).not.toMatch(/very-secret|sub-key|id-123/);
  });

  it("keeps what a reviewer asks of a create call, not the order lines' text or the token", () => {
    const record = describeVippsRequest(
      {
        operation: "createPayment",
        attempt: 2,
        method: "POST",
        url: `${BASE}/epayment/v1/payments`,
        headers: { Authorization: "Bearer tok-abc", "Idempotency-Key": "create-1", ...SYSTEM_HEADERS },
        body: {
          amount: { value: 42924, currency: "NOK" },
          paymentMethod: { type: "WALLET" },
          reference: "kd-abc-123456",
          userFlow: "QR",
          customerInteraction: "CUSTOMER_PRESENT",
          qrFormat: { format: "TEXT/TARGETURL" },
          paymentDescription: "Ear buds (#12)",
          receipt: {
            orderLines: [{ name: "Ear buds" }, { name: "Espresso" }],
            bottomLine: { currency: "NOK", posId: "pos-1", receiptNumber: "12" },
          },
          metadata: { saleId: "sale_1" },
        },
      },
      BASE,
      NOW,
    );
    expect(record).toEqual({
      operation: "createPayment",
      method: "POST",
      path: "/epayment/v1/payments",
      reference: "kd-abc-123456",
      attempt: 2,
      systemHeaders: SYSTEM_HEADERS,
      summary: {
        idempotencyKey: true,
        amount: { value: 42924, currency: "NOK" },
        paymentMethod: "WALLET",
        userFlow: "QR",
        customerInteraction: "CUSTOMER_PRESENT",
        qrFormat: "TEXT/TARGETURL",
        paymentDescription: true,
        returnUrl: false,
        receipt: { orderLines: 2, bottomLine: { currency: "NOK", posId: "pos-1", receiptNumber: "12" } },
      },
      at: NOW,
    });
    expect(JSON.stringify(record)).not.toMatch(/tok-abc|Ear buds|Espresso|sale_1/);
  });

  it("reads the reference from the path of the other calls, and the amounts of capture and refund", () => {
    const call = (operation: string, method: string, path: string, body?: unknown) =>
      describeVippsRequest({ operation, attempt: 1, method, url: `${BASE}${path}`, headers: {}, body }, BASE, NOW);
    expect(
      call("capturePayment", "POST", "/epayment/v1/payments/kd-x-1/capture", {
        modificationAmount: { value: 100, currency: "DKK" },
      }),
    ).toMatchObject({
      reference: "kd-x-1",
      summary: { modificationAmount: { value: 100, currency: "DKK" } },
    });
    expect(
      call("cancelPayment", "POST", "/epayment/v1/payments/kd-x-2/cancel", { cancelTransactionOnly: true }),
    ).toMatchObject({ reference: "kd-x-2", summary: { cancelTransactionOnly: true } });
    expect(call("getPaymentEvents", "GET", "/epayment/v1/payments/kd-x-3/events")).toMatchObject({
      reference: "kd-x-3",
      summary: {},
    });
    expect(call("forceApprove", "POST", "/epayment/v1/test/payments/kd-x-4/approve")).toMatchObject({
      reference: "kd-x-4",
    });
    expect(call("listWebhooks", "GET", "/webhooks/v1/webhooks").reference).toBeUndefined();
    // A client pointed elsewhere: the path is still kept without the origin.
    expect(
      describeVippsRequest(
        {
          operation: "getPayment",
          attempt: 1,
          method: "GET",
          url: "https://api.vipps.no/epayment/v1/payments/kd-y-1",
          headers: {},
          body: undefined,
        },
        BASE,
        NOW,
      ).path,
    ).toBe("/epayment/v1/payments/kd-y-1");
  });
});

describe("VippsRequestRecorder", () => {
  it("records in the background, one poll per reference and minute, and never throws into the client", async () => {
    const written: NewVippsRequestRecord[] = [];
    const clock = new FrozenClock(Date.parse(NOW));
    let failNext = false;
    const recorder = new VippsRequestRecorder({
      operations: {
        async recordVippsRequest(record) {
          if (failNext) {
            failNext = false;
            throw new Error("disk full");
          }
          written.push(record);
        },
      },
      clock,
      log,
      baseUrl: BASE,
    });
    const get = (reference: string, attempt = 1) =>
      recorder.hook({
        operation: "getPayment",
        attempt,
        method: "GET",
        url: `${BASE}/epayment/v1/payments/${reference}`,
        headers: {},
        body: undefined,
      });
    get("ref-a");
    get("ref-a");
    get("ref-b");
    get("ref-a", 2); // a retry is worth noting
    clock.advance(60_000);
    get("ref-a");
    failNext = true;
    recorder.hook({
      operation: "capturePayment",
      attempt: 1,
      method: "POST",
      url: `${BASE}/epayment/v1/payments/ref-a/capture`,
      headers: {},
      body: {},
    });
    recorder.hook({
      operation: "capturePayment",
      attempt: 1,
      method: "POST",
      url: `${BASE}/epayment/v1/payments/ref-a/capture`,
      headers: {},
      body: {},
    });
    await recorder.settled();
    expect(written.map((r) => `${r.operation} ${r.reference} ${r.attempt}`)).toEqual([
      "getPayment ref-a 1",
      "getPayment ref-b 1",
      "getPayment ref-a 2",
      "getPayment ref-a 1",
      "capturePayment ref-a 1",
    ]);
  });
});

describe("GoLiveService against the simulator", () => {
  let clock: AdjustableClock;
  let sim: Simulator;
  let store: TestStore;
  let client: VippsClient;
  let recorder: VippsRequestRecorder;
  let domain: ReturnType<typeof buildSaleDomain>;
  let webhook: WebhookRegistrationStatus;
  let vippsEvents: ((reference: string) => Promise<readonly VippsPaymentEvent[]>) | undefined;

  const registered: WebhookRegistrationStatus = {
    state: "registered",
    registered: true,
    url: `${ORIGIN}/api/webhooks/vipps`,
    lastCheckedAt: NOW,
    lastRegisteredAt: NOW,
    lastError: null,
  };

  beforeEach(async () => {
    clock = new AdjustableClock();
    sim = createSimulator({
      dbFile: ":memory:",
      clock,
      credentials: SIMULATOR_DEMO_CREDENTIALS,
      publicUrl: ORIGIN,
      basePath: "/sim",
      rateLimits: false,
      controls: true,
      fetch: (async () => new Response("ok")) as typeof fetch,
      log: () => undefined,
    });
    store = await memoryStore();
    await store.saveTerminal(COUNTER_1);
    recorder = new VippsRequestRecorder({ operations: store, clock, log, baseUrl: BASE });
    client = createVippsClient({
      baseUrl: BASE,
      credentials: SIMULATOR_DEMO_CREDENTIALS,
      system: SYSTEM,
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) =>
        sim.handle(new Request(input, init))) as typeof fetch,
      clock,
      sleep: async () => undefined,
      retry: { attempts: 1 },
      tokenCache: new AccessTokenCache(),
      onRequest: recorder.hook,
    });
    domain = buildSaleDomain({ store, gateway: client, clock, publicUrl: ORIGIN });
    webhook = registered;
    vippsEvents = (reference) => client.getPaymentEvents(reference);
  });

  afterEach(async () => {
    await sim.stop();
    await store.close();
  });

  const service = () =>
    new GoLiveService({
      sales: store,
      operations: store,
      clock,
      log,
      environment: "simulator",
      msn: SIMULATOR_DEMO_CREDENTIALS.msn,
      system: SYSTEM,
      webhookStatus: async () => webhook,
      paymentEvents: vippsEvents,
      requestsSettled: () => recorder.settled(),
    });

  const item = (items: GoLiveItem[], id: string) => {
    const found = items.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`no item ${id}`);
    return found;
  };

  const LINES = {
    terminalId: "pos-1",
    currency: "NOK" as const,
    lines: [{ name: "Ear buds", quantity: 1, unitPrice: 42924, taxRate: 2500 }],
  };

  async function referenceOf(saleId: string): Promise<string> {
    return (await store.getAttempt((await store.getSale(saleId))!.currentAttemptId))!.reference;
  }

  /** The customer approves at "Vipps"; the AUTHORIZED webhook arrives and is applied. */
  async function approve(saleId: string): Promise<void> {
    const reference = await referenceOf(saleId);
    await sim.handle(new Request(`${BASE}/_sim/payments/${reference}/approve`, { method: "POST" }));
    await domain.webhooks.applyEvent({
      msn: "123456",
      reference,
      pspReference: "psp-1",
      name: "AUTHORIZED",
      amount: { value: 42924, currency: "NOK" },
      timestamp: new Date(clock.now()).toISOString(),
      success: true,
    } as WebhookEvent);
  }

  /** A sale to each of captured, refunded and cancelled, as a cashier would at the till. */
  async function sellThreeWays(): Promise<{ captured: string; refunded: string; cancelled: string }> {
    await domain.settings.update({ autoCapture: false });
    const one = (await domain.commands.create(LINES, { source: "cashier" })).sale;
    await approve(one.id);
    await domain.commands.capture(one.id, "cashier");
    await domain.commands.refund(one.id, undefined, "cashier");
    const two = (await domain.commands.create(LINES, { source: "cashier" })).sale;
    await approve(two.id);
    await domain.reconciler.reconcileAttempt(two.currentAttemptId, "poll");
    await domain.commands.cancel(two.id, "cashier");
    const three = (await domain.commands.create(LINES, { source: "cashier" })).sale;
    await approve(three.id);
    await domain.commands.capture(three.id, "cashier");
    return { captured: three.id, refunded: one.id, cancelled: two.id };
  }

  it("says what is missing on a fresh install", async () => {
    webhook = { ...registered, state: "pending", registered: false, lastCheckedAt: null, lastRegisteredAt: null };
    const report = await service().report();
    expect(report.environment).toBe("simulator");
    expect(report.items.length).toBeGreaterThanOrEqual(8);
    expect(report.items.map((i) => i.id)).toEqual([
      "endpoint-create",
      "endpoint-get",
      "endpoint-events",
      "endpoint-cancel",
      "endpoint-capture",
      "endpoint-refund",
      "webhooks-and-polling",
      "webhook-registration",
      "states-and-events",
      "system-headers",
      "order-details",
      "customer-present",
      "test-captured",
      "test-refunded",
      "test-cancelled",
      "recent-samples",
      "reservations",
    ]);
    // Nothing has happened yet, so nothing is shown but the empty reservations list.
    expect(report.items.filter((i) => i.ok).map((i) => i.id)).toEqual(["reservations"]);
    expect(item(report.items, "test-captured").evidence).toMatchObject({ reference: null });
  });

  it("shows every endpoint, the headers, the receipt and the three test references once sales have run", async () => {
    const ids = await sellThreeWays();
    const report = await service().report();
    const met = Object.fromEntries(report.items.map((i) => [i.id, i.ok]));
    expect(met).toMatchObject({
      "endpoint-create": true,
      "endpoint-get": true,
      // Used by the report itself to check the test references at Vipps.
      "endpoint-events": true,
      "endpoint-cancel": true,
      "endpoint-capture": true,
      "endpoint-refund": true,
      "webhooks-and-polling": true,
      "webhook-registration": true,
      "system-headers": true,
      "order-details": true,
      "customer-present": true,
      "test-captured": true,
      "test-refunded": true,
      "test-cancelled": true,
      reservations: true,
      // No sale was declined, ran out or was cancelled before approval here.
      "states-and-events": false,
      "recent-samples": true,
    });
    expect(item(report.items, "states-and-events").evidence.missing).toEqual(["ABORTED", "EXPIRED", "TERMINATED"]);
    expect(item(report.items, "test-captured").evidence).toMatchObject({
      saleId: ids.captured,
      reference: await referenceOf(ids.captured),
      confirmedByVipps: true,
    });
    expect(item(report.items, "test-refunded").evidence).toMatchObject({
      saleId: ids.refunded,
      vippsEvents: expect.arrayContaining(["CAPTURED", "REFUNDED"]),
      confirmedByVipps: true,
    });
    // Cancelled after approval: Vipps' CANCELLED event, not TERMINATED.
    expect(item(report.items, "test-cancelled").evidence).toMatchObject({
      saleId: ids.cancelled,
      vippsEvents: expect.arrayContaining(["CANCELLED"]),
      ourEvents: expect.arrayContaining(["payment.released"]),
    });
    expect(item(report.items, "endpoint-refund").evidence).toMatchObject({
      lastReference: await referenceOf(ids.refunded),
      saleNow: { id: ids.refunded, state: "refunded" },
    });
    expect(item(report.items, "system-headers").evidence).toMatchObject({ requestsWithout: [], sent: SYSTEM_HEADERS });
    expect(item(report.items, "order-details").evidence).toMatchObject({ createRequests: 3, withReceipt: 3 });
    expect(item(report.items, "customer-present").evidence).toMatchObject({
      createRequests: 3,
      customerPresent: 3,
      userFlows: ["QR"],
    });
    expect(item(report.items, "webhooks-and-polling").evidence).toMatchObject({
      webhookRegistered: true,
      eventsFromWebhooks: 3,
    });
    const samples = item(report.items, "recent-samples").evidence.samples as {
      endpoint: string;
      ageDays: number | null;
    }[];
    expect(samples.map((sample) => [sample.endpoint, sample.ageDays])).toEqual([
      ["POST /epayment/v1/payments", 0],
      ["GET /epayment/v1/payments/{reference}", 0],
      ["GET /epayment/v1/payments/{reference}/events", 0],
      ["POST /epayment/v1/payments/{reference}/cancel", 0],
      ["POST /epayment/v1/payments/{reference}/capture", 0],
      ["POST /epayment/v1/payments/{reference}/refund", 0],
    ]);
  });

  it("hands the whole evidence over as one document without secrets", async () => {
    await sellThreeWays();
    const { filename, document } = await service().evidence();
    expect(filename).toMatch(/^kassa-go-live-evidence-\d{4}-\d{2}-\d{2}\.json$/);
    expect(document).toMatchObject({ environment: "simulator", merchantSerialNumber: "123456", system: SYSTEM });
    expect((document.testReferences as { outcome: string }[]).map((ref) => ref.outcome)).toEqual([
      "captured",
      "refunded",
      "cancelled",
    ]);
    const operations = new Set((document.requests as { operation: string }[]).map((request) => request.operation));
    for (const operation of [
      "fetchAccessToken",
      "createPayment",
      "getPayment",
      "getPaymentEvents",
      "capturePayment",
      "cancelPayment",
      "refundPayment",
    ])
      expect(operations).toContain(operation);
    const text = JSON.stringify(document);
    expect(text).not.toContain(SIMULATOR_DEMO_CREDENTIALS.clientSecret);
    expect(text).not.toContain(SIMULATOR_DEMO_CREDENTIALS.subscriptionKey);
    expect(text).not.toMatch(/Bearer |Ear buds/);
  });

  it("trusts its own log when Vipps' log cannot be read, and not when Vipps' log disagrees", async () => {
    await sellThreeWays();
    vippsEvents = async () => {
      throw new Error("connection reset");
    };
    let report = await service().report();
    expect(item(report.items, "test-captured")).toMatchObject({
      ok: true,
      evidence: { vippsEventLogError: "connection reset" },
    });
    vippsEvents = async () => [
      { name: "AUTHORIZED", success: true, timestamp: NOW, amount: { value: 42924, currency: "NOK" } },
    ];
    report = await service().report();
    expect(item(report.items, "test-captured")).toMatchObject({
      ok: false,
      evidence: { vippsEvents: ["AUTHORIZED"], confirmedByVipps: false },
    });
  });

  it("calls out reservations past or near their capture deadline", async () => {
    await domain.settings.update({ autoCapture: false });
    const sale = (await domain.commands.create(LINES, { source: "cashier" })).sale;
    await approve(sale.id);
    let report = await service().report();
    expect(item(report.items, "reservations")).toMatchObject({
      ok: true,
      evidence: { awaitingCapture: 1, pastDeadline: [], dueWithinDays: { days: 3, sales: [] } },
    });
    clock.advance(178 * 24 * 60 * 60 * 1000);
    report = await service().report();
    expect(item(report.items, "reservations")).toMatchObject({
      ok: true,
      evidence: { dueWithinDays: { sales: [{ saleId: sale.id, market: "NO" }] } },
    });
    clock.advance(3 * 24 * 60 * 60 * 1000);
    report = await service().report();
    expect(item(report.items, "reservations")).toMatchObject({
      ok: false,
      evidence: { pastDeadline: [{ saleId: sale.id }] },
    });
    // The samples have aged too.
    expect(item(report.items, "recent-samples")).toMatchObject({ ok: false });
  });

  it("reports when the recorded requests cannot be waited for, and says so in the log", async () => {
    const { log: capturing, records } = captureLog("warn");
    const failing = new GoLiveService({
      sales: store,
      operations: store,
      clock,
      log: capturing,
      environment: "simulator",
      msn: SIMULATOR_DEMO_CREDENTIALS.msn,
      system: SYSTEM,
      webhookStatus: async () => webhook,
      requestsSettled: () => Promise.reject(new Error("recorder stopped")),
    });
    expect((await failing.report()).items.length).toBeGreaterThan(0);
    expect(records()).toMatchObject([
      {
        message: "Could not wait for the Vipps requests to be recorded; the evidence may miss the newest",
        err: { message: "recorder stopped" },
      },
    ]);
  });
});
