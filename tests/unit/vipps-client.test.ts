import { delay, http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AccessTokenCache } from "@/lib/vipps/access-token";
import {
  backoffDelayMs,
  createVippsClient,
  lockedBackoffDelayMs,
  parseRetryAfterMs,
  type VippsClientOptions,
} from "@/lib/vipps/client";
import {
  VippsApiError,
  VippsAuthError,
  VippsNetworkError,
  VippsRequestError,
  VippsResponseShapeError,
} from "@/lib/vipps/errors";
import type { CreatePaymentRequest, GetPaymentResponse, ModificationResponse } from "@/lib/vipps/schemas";

const BASE = "https://vipps.test";
const CREDENTIALS = {
  clientId: "0b6c8a0e-2f9d-4c1b-9a57-3d2e1f4a5b6c",
  clientSecret: "client-secret-DO-NOT-LEAK",
  subscriptionKey: "subscription-key-DO-NOT-LEAK",
  msn: "123456",
};
const REFERENCE = "kassa-0001-abcdef";
const PAYMENTS = `${BASE}/epayment/v1/payments`;

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const nok = (value: number) => ({ value, currency: "NOK" as const });

const CREATE_BODY: CreatePaymentRequest = {
  amount: nok(12_900),
  paymentMethod: { type: "WALLET" },
  reference: REFERENCE,
  userFlow: "QR",
  customerInteraction: "CUSTOMER_PRESENT",
  qrFormat: { format: "TEXT/TARGETURL" },
  paymentDescription: "Kaffe og bolle",
};

const PAYMENT: GetPaymentResponse = {
  reference: REFERENCE,
  pspReference: "psp-1",
  state: "AUTHORIZED",
  amount: nok(12_900),
  aggregate: {
    authorizedAmount: nok(12_900),
    cancelledAmount: nok(0),
    capturedAmount: nok(0),
    refundedAmount: nok(0),
  },
  paymentMethod: { type: "WALLET" },
  profile: {},
};

const MODIFICATION: ModificationResponse = {
  reference: REFERENCE,
  pspReference: "psp-2",
  state: "AUTHORIZED",
  amount: nok(12_900),
  aggregate: { ...PAYMENT.aggregate, capturedAmount: nok(12_900) },
};

interface Recorded {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

/** Token endpoint that hands out token-1, token-2, ... and records every call. */
function tokenEndpoint(calls: Recorded[] = []) {
  return {
    calls,
    handler: http.post(`${BASE}/accesstoken/get`, async ({ request }) => {
      calls.push({ method: request.method, url: request.url, headers: request.headers, body: await request.text() });
      return HttpResponse.json({
        token_type: "Bearer",
        expires_in: "3600",
        ext_expires_in: "0",
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        not_before: String(Math.floor(Date.now() / 1000)),
        resource: "00000002-0000-0000-c000-000000000000",
        access_token: `token-${calls.length}`,
      });
    }),
  };
}

async function record(request: Request, into: Recorded[]) {
  into.push({ method: request.method, url: request.url, headers: request.headers, body: await request.clone().text() });
}

function makeClient(overrides: Partial<VippsClientOptions> = {}) {
  const delays: number[] = [];
  const client = createVippsClient({
    baseUrl: BASE,
    credentials: CREDENTIALS,
    tokenCache: new AccessTokenCache(),
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 1,
    timeoutMs: 2_000,
    ...overrides,
  });
  return { client, delays };
}

describe("createVippsClient: retries", () => {
  it("retries a 500 with the same Idempotency-Key and body, then returns the result", async () => {
    const tokens = tokenEndpoint();
    const calls: Recorded[] = [];
    server.use(
      tokens.handler,
      http.post(PAYMENTS, async ({ request }) => {
        await record(request, calls);
        if (calls.length === 1) {
          return HttpResponse.json(
            { type: "https://errors.vipps.test/internal", title: "Internal", status: 500, traceId: "t-1" },
            { status: 500, headers: { "content-type": "application/problem+json" } },
          );
        }
        return HttpResponse.json({ reference: REFERENCE, redirectUrl: "https://qr.vipps.test/abc" }, { status: 201 });
      }),
    );
    const { client, delays } = makeClient();

    const result = await client.createPayment(CREATE_BODY, { idempotencyKey: "idem-create-1" });

    expect(result).toEqual({ reference: REFERENCE, redirectUrl: "https://qr.vipps.test/abc" });
    expect(calls).toHaveLength(2);
    expect(calls[0]!.headers.get("idempotency-key")).toBe("idem-create-1");
    expect(calls[1]!.headers.get("idempotency-key")).toBe(calls[0]!.headers.get("idempotency-key"));
    expect(JSON.parse(calls[1]!.body)).toEqual(JSON.parse(calls[0]!.body));
    expect(JSON.parse(calls[0]!.body)).toEqual(CREATE_BODY);
    expect(delays).toEqual([200]);
    // One token serves both attempts.
    expect(tokens.calls).toHaveLength(1);
  });

  it("retries a 429, honouring Retry-After (capped at maxDelayMs)", async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.get(`${PAYMENTS}/${REFERENCE}`, () => {
        calls += 1;
        if (calls === 1) return new HttpResponse(null, { status: 429, headers: { "retry-after": "1" } });
        if (calls === 2) return new HttpResponse(null, { status: 429, headers: { "retry-after": "120" } });
        return HttpResponse.json(PAYMENT);
      }),
    );
    const { client, delays } = makeClient();

    await expect(client.getPayment(REFERENCE)).resolves.toEqual(PAYMENT);
    expect(calls).toBe(3);
    expect(delays).toEqual([1000, 3000]);
  });

  it("retries after a network error", async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.get(`${PAYMENTS}/${REFERENCE}`, () => {
        calls += 1;
        return calls === 1 ? HttpResponse.error() : HttpResponse.json(PAYMENT);
      }),
    );
    const { client, delays } = makeClient();

    await expect(client.getPayment(REFERENCE)).resolves.toEqual(PAYMENT);
    expect(calls).toBe(2);
    expect(delays).toHaveLength(1);
  });

  it("gives up on a persistent 503 after the configured attempts, with growing capped backoff", async () => {
    const calls: Recorded[] = [];
    server.use(
      tokenEndpoint().handler,
      http.post(`${PAYMENTS}/${REFERENCE}/capture`, async ({ request }) => {
        await record(request, calls);
        return new HttpResponse("Service Unavailable", { status: 503, headers: { "content-type": "text/plain" } });
      }),
    );
    const { client, delays } = makeClient({ retry: { attempts: 5, baseDelayMs: 200, maxDelayMs: 500 } });

    const error = await client
      .capturePayment(REFERENCE, { modificationAmount: nok(12_900) }, { idempotencyKey: "idem-capture-1" })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VippsApiError);
    expect((error as VippsApiError).status).toBe(503);
    expect((error as VippsApiError).isRetryable).toBe(true);
    expect((error as VippsApiError).rawBody).toBe("Service Unavailable");
    expect((error as VippsApiError).operation).toBe("capturePayment");
    expect(calls).toHaveLength(5);
    expect(new Set(calls.map((c) => c.headers.get("idempotency-key")))).toEqual(new Set(["idem-capture-1"]));
    expect(delays).toEqual([200, 400, 500, 500]);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(Math.max(...delays)).toBeLessThanOrEqual(500);
  });

  it("uses 4 attempts by default", async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.get(`${PAYMENTS}/${REFERENCE}`, () => {
        calls += 1;
        return new HttpResponse(null, { status: 502 });
      }),
    );
    const { client, delays } = makeClient();

    await expect(client.getPayment(REFERENCE)).rejects.toBeInstanceOf(VippsApiError);
    expect(calls).toBe(4);
    expect(delays).toEqual([200, 400, 800]);
  });

  it("applies full jitter: the wait is random() times the exponential ceiling", async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.get(`${PAYMENTS}/${REFERENCE}/events`, () => {
        calls += 1;
        return calls < 3 ? new HttpResponse(null, { status: 500 }) : HttpResponse.json([]);
      }),
    );
    const { client, delays } = makeClient({ random: () => 0.25 });

    await expect(client.getPaymentEvents(REFERENCE)).resolves.toEqual([]);
    expect(delays).toEqual([50, 100]);
  });

  it("does not retry a 400 and exposes the problem's type and detail", async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.post(PAYMENTS, () => {
        calls += 1;
        return HttpResponse.json(
          {
            type: "https://developer.vippsmobilepay.com/docs/APIs/epayment-api/errors#validation-error",
            title: "Bad Request",
            status: 400,
            detail: "Amount invalid",
            instance: "00-abc-def-00",
            extraDetails: [{ name: "amount.value", reason: "must be at least 100" }],
          },
          { status: 400, headers: { "content-type": "application/problem+json" } },
        );
      }),
    );
    const { client, delays } = makeClient();

    const error = await client.createPayment(CREATE_BODY, { idempotencyKey: "idem-400" }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VippsApiError);
    const apiError = error as VippsApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.type).toBe("https://developer.vippsmobilepay.com/docs/APIs/epayment-api/errors#validation-error");
    expect(apiError.detail).toBe("Amount invalid");
    expect(apiError.traceId).toBe("00-abc-def-00");
    expect(apiError.problem?.extraDetails).toEqual([{ name: "amount.value", reason: "must be at least 100" }]);
    expect(apiError.isRetryable).toBe(false);
    expect(apiError.message).toContain("Amount invalid");
    expect(calls).toBe(1);
    expect(delays).toEqual([]);
  });

  it("does not retry 409 conflicts", async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.post(`${PAYMENTS}/${REFERENCE}/refund`, () => {
        calls += 1;
        return HttpResponse.json(
          {
            type: "https://errors.vipps.test/conflict",
            title: "Conflict",
            status: 409,
            detail: "Refund idempotency conflict",
            traceId: "t",
          },
          { status: 409, headers: { "content-type": "application/problem+json" } },
        );
      }),
    );
    const { client } = makeClient();
    await expect(
      client.refundPayment(REFERENCE, { modificationAmount: nok(100) }, { idempotencyKey: "idem-refund" }),
    ).rejects.toMatchObject({ status: 409, detail: "Refund idempotency conflict" });
    expect(calls).toBe(1);
  });

  it("retries a timed-out attempt, and reports a timeout when every attempt times out", async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.get(`${PAYMENTS}/${REFERENCE}`, async () => {
        calls += 1;
        if (calls === 1) await delay(2_000);
        return HttpResponse.json(PAYMENT);
      }),
    );
    const { client, delays } = makeClient({ timeoutMs: 100 });

    const started = Date.now();
    await expect(client.getPayment(REFERENCE)).resolves.toEqual(PAYMENT);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(calls).toBe(2);
    expect(delays).toHaveLength(1);

    server.use(
      http.get(`${PAYMENTS}/${REFERENCE}`, async () => {
        await delay(2_000);
        return HttpResponse.json(PAYMENT);
      }),
    );
    const { client: slowClient } = makeClient({ timeoutMs: 50, retry: { attempts: 2 } });
    const error = await slowClient.getPayment(REFERENCE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsNetworkError);
    expect((error as VippsNetworkError).timedOut).toBe(true);
    expect((error as VippsNetworkError).message).toContain("timed out after 50 ms");
  });
});

describe("createVippsClient: 423 Locked", () => {
  // Sources: developer.vippsmobilepay.com/docs/knowledge-base/errors (423 and 429 are retried with the
  // same Idempotency-Key) and vippsas/agent-toolkit plugins/vipps-developer/skills/epayment/references/errors.md
  // (423: a concurrent operation holds the payment; retry after a short wait). ../shared/research/VIPPS-FACTS.md.
  const locked = () =>
    HttpResponse.json(
      {
        type: "https://developer.vippsmobilepay.com/docs/knowledge-base/errors#order-processing",
        title: "Order processing",
        status: 423,
        detail: "Another operation is in progress.",
        traceId: "t-423",
      },
      { status: 423, headers: { "content-type": "application/problem+json" } },
    );

  it("retries a capture answered 423 with the same key and body after a short backoff that is never zero", async () => {
    const calls: Recorded[] = [];
    server.use(
      tokenEndpoint().handler,
      http.post(`${PAYMENTS}/${REFERENCE}/capture`, async ({ request }) => {
        await record(request, calls);
        return calls.length < 3 ? locked() : HttpResponse.json(MODIFICATION);
      }),
    );
    // random() = 0 would make a full-jitter backoff wait 0 ms; a lock must not be hit again at once.
    const { client, delays } = makeClient({ random: () => 0 });

    await expect(
      client.capturePayment(REFERENCE, { modificationAmount: nok(12_900) }, { idempotencyKey: "idem-locked" }),
    ).resolves.toEqual(MODIFICATION);
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((call) => call.headers.get("idempotency-key")))).toEqual(new Set(["idem-locked"]));
    expect(new Set(calls.map((call) => call.body))).toEqual(
      new Set([JSON.stringify({ modificationAmount: nok(12_900) })]),
    );
    expect(delays).toEqual([100, 200]);
  });

  it("gives up on a lasting 423 after the configured attempts, each wait within maxDelayMs, with the problem kept", async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.post(`${PAYMENTS}/${REFERENCE}/cancel`, () => {
        calls += 1;
        return locked();
      }),
    );
    const { client, delays } = makeClient({ retry: { attempts: 4, baseDelayMs: 400, maxDelayMs: 1_000 } });

    const error = await client
      .cancelPayment(REFERENCE, { idempotencyKey: "idem-cancel-locked" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsApiError);
    expect(error).toMatchObject({ status: 423, isRetryable: true, title: "Order processing", traceId: "t-423" });
    expect(calls).toBe(4);
    expect(delays).toEqual([400, 800, 1_000]);
  });

  it("retries force approve and webhook registration on 423 too: a locked request was not performed", async () => {
    let approvals = 0;
    let registrations = 0;
    server.use(
      tokenEndpoint().handler,
      http.post(`${BASE}/epayment/v1/test/payments/${REFERENCE}/approve`, () => {
        approvals += 1;
        return approvals === 1 ? locked() : new HttpResponse(null, { status: 200 });
      }),
      http.post(`${BASE}/webhooks/v1/webhooks`, () => {
        registrations += 1;
        return registrations === 1
          ? locked()
          : HttpResponse.json({ id: "6f1c2a44-1b7e-4f8e-9d0a-3c5b7e9f1a2b", secret: "s3cr3t" }, { status: 201 });
      }),
    );
    const { client } = makeClient();
    await expect(client.forceApprove(REFERENCE)).resolves.toBeUndefined();
    await expect(
      client.registerWebhook({
        url: "https://kassa.example.com/api/vipps/webhook",
        events: ["epayments.payment.authorized.v1"],
      }),
    ).resolves.toMatchObject({ id: expect.any(String) });
    expect([approvals, registrations]).toEqual([2, 2]);
  });

  it("honours a Retry-After on a 423 should one come, capped at maxDelayMs", async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.get(`${PAYMENTS}/${REFERENCE}`, () => {
        calls += 1;
        return calls === 1
          ? new HttpResponse(null, { status: 423, headers: { "retry-after": "2" } })
          : HttpResponse.json(PAYMENT);
      }),
    );
    const { client, delays } = makeClient();
    await expect(client.getPayment(REFERENCE)).resolves.toEqual(PAYMENT);
    expect(delays).toEqual([2_000]);
  });
});

describe("createVippsClient: responses", () => {
  it("rejects a 200 whose JSON does not match the schema with VippsResponseShapeError, without retrying", async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.get(`${PAYMENTS}/${REFERENCE}`, () => {
        calls += 1;
        return HttpResponse.json({ ...PAYMENT, state: "PAID", amount: { value: "12900", currency: "NOK" } });
      }),
    );
    const { client } = makeClient();

    const error = await client.getPayment(REFERENCE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsResponseShapeError);
    const shapeError = error as VippsResponseShapeError;
    expect(shapeError.operation).toBe("getPayment");
    expect(shapeError.issues.map((issue) => issue.path.join("."))).toEqual(
      expect.arrayContaining(["state", "amount.value"]),
    );
    expect(shapeError.rawBody).toContain("PAID");
    expect(calls).toBe(1);
  });

  it("rejects a non-JSON 200 with VippsResponseShapeError", async () => {
    server.use(
      tokenEndpoint().handler,
      http.post(`${PAYMENTS}/${REFERENCE}/cancel`, () => HttpResponse.html("<html>maintenance</html>")),
    );
    const { client } = makeClient();
    const error = await client.cancelPayment(REFERENCE, { idempotencyKey: "idem-cancel" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsResponseShapeError);
    expect((error as VippsResponseShapeError).message).toContain("text/html");
  });

  it("rejects a 200 with a JSON content type but an unparsable body", async () => {
    server.use(
      tokenEndpoint().handler,
      http.get(
        `${PAYMENTS}/${REFERENCE}`,
        () => new HttpResponse("{not json", { headers: { "content-type": "application/json" } }),
      ),
    );
    const { client } = makeClient();
    await expect(client.getPayment(REFERENCE)).rejects.toBeInstanceOf(VippsResponseShapeError);
  });

  it("parses modification responses labelled application/problem+json, and tolerates extra fields", async () => {
    server.use(
      tokenEndpoint().handler,
      http.post(
        `${PAYMENTS}/${REFERENCE}/capture`,
        () =>
          new HttpResponse(JSON.stringify({ ...MODIFICATION, somethingNew: true }), {
            status: 200,
            headers: { "content-type": "application/problem+json; charset=utf-8" },
          }),
      ),
    );
    const { client } = makeClient();
    await expect(
      client.capturePayment(REFERENCE, { modificationAmount: nok(12_900) }, { idempotencyKey: "idem-capture" }),
    ).resolves.toEqual(MODIFICATION);
  });

  it("accepts an empty 200 from forceApprove and a 204 from deleteWebhook", async () => {
    server.use(
      tokenEndpoint().handler,
      http.post(
        `${BASE}/epayment/v1/test/payments/${REFERENCE}/approve`,
        () => new HttpResponse(null, { status: 200 }),
      ),
      http.delete(`${BASE}/webhooks/v1/webhooks/:id`, () => new HttpResponse(null, { status: 204 })),
    );
    const { client } = makeClient();
    await expect(client.forceApprove(REFERENCE)).resolves.toBeUndefined();
    await expect(client.deleteWebhook("6f1c2a44-1b7e-4f8e-9d0a-3c5b7e9f1a2b")).resolves.toBeUndefined();
  });

  it("returns the event log as typed events", async () => {
    const events = [
      {
        reference: REFERENCE,
        pspReference: "p1",
        name: "CREATED",
        amount: nok(12_900),
        timestamp: "2024-05-01T10:00:00Z",
        idempotencyKey: "idem-create-1",
        success: true,
      },
      {
        reference: REFERENCE,
        pspReference: "p2",
        name: "AUTHORIZED",
        amount: nok(12_900),
        timestamp: "2024-05-01T10:00:30.1234567Z",
        idempotencyKey: null,
        success: true,
      },
    ];
    server.use(
      tokenEndpoint().handler,
      http.get(`${PAYMENTS}/${REFERENCE}/events`, () => HttpResponse.json(events)),
    );
    const { client } = makeClient();
    await expect(client.getPaymentEvents(REFERENCE)).resolves.toEqual(events);
  });
});

describe("createVippsClient: authentication", () => {
  it("on a 401 from the API, fetches a new token once and repeats the call", async () => {
    const tokens = tokenEndpoint();
    const calls: Recorded[] = [];
    server.use(
      tokens.handler,
      http.get(`${PAYMENTS}/${REFERENCE}`, async ({ request }) => {
        await record(request, calls);
        if (request.headers.get("authorization") === "Bearer token-1") {
          return HttpResponse.json(
            { statusCode: 401, message: "Unauthorized. Access token is missing or invalid." },
            { status: 401 },
          );
        }
        return HttpResponse.json(PAYMENT);
      }),
    );
    const { client, delays } = makeClient();

    await expect(client.getPayment(REFERENCE)).resolves.toEqual(PAYMENT);
    expect(tokens.calls).toHaveLength(2);
    expect(calls.map((c) => c.headers.get("authorization"))).toEqual(["Bearer token-1", "Bearer token-2"]);
    expect(delays).toEqual([]);
    // The new token is cached for later calls.
    await client.getPayment(REFERENCE);
    expect(tokens.calls).toHaveLength(2);
  });

  it("surfaces a second 401 as VippsApiError instead of looping", async () => {
    const tokens = tokenEndpoint();
    let calls = 0;
    server.use(
      tokens.handler,
      http.get(`${PAYMENTS}/${REFERENCE}`, () => {
        calls += 1;
        return HttpResponse.json(
          { statusCode: 401, message: "Access denied due to invalid subscription key." },
          { status: 401 },
        );
      }),
    );
    const { client } = makeClient();
    const error = await client.getPayment(REFERENCE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsApiError);
    expect((error as VippsApiError).status).toBe(401);
    expect((error as VippsApiError).detail).toBe("Access denied due to invalid subscription key.");
    expect(calls).toBe(2);
    expect(tokens.calls).toHaveLength(2);
  });

  it("retries a token endpoint outage, and fails fast on rejected credentials", async () => {
    let tokenCalls = 0;
    server.use(
      http.post(`${BASE}/accesstoken/get`, () => {
        tokenCalls += 1;
        if (tokenCalls === 1) return new HttpResponse(null, { status: 500 });
        return HttpResponse.json({
          token_type: "Bearer",
          expires_in: "3600",
          ext_expires_in: "0",
          expires_on: "0",
          not_before: "0",
          resource: "r",
          access_token: "tok",
        });
      }),
      http.get(`${PAYMENTS}/${REFERENCE}`, () => HttpResponse.json(PAYMENT)),
    );
    const { client, delays } = makeClient();
    await expect(client.getPayment(REFERENCE)).resolves.toEqual(PAYMENT);
    expect(tokenCalls).toBe(2);
    expect(delays).toHaveLength(1);

    tokenCalls = 0;
    server.use(
      http.post(`${BASE}/accesstoken/get`, () => {
        tokenCalls += 1;
        return new HttpResponse(null, { status: 401 });
      }),
    );
    const { client: badClient } = makeClient();
    const error = await badClient.getPayment(REFERENCE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsAuthError);
    expect(tokenCalls).toBe(1);
  });

  it("sends the auth, MSN, subscription and system headers on ePayment and Webhooks calls", async () => {
    const tokens = tokenEndpoint();
    const calls: Recorded[] = [];
    server.use(
      tokens.handler,
      http.post(PAYMENTS, async ({ request }) => {
        await record(request, calls);
        return HttpResponse.json({ reference: REFERENCE }, { status: 201 });
      }),
      http.get(`${PAYMENTS}/${REFERENCE}`, async ({ request }) => {
        await record(request, calls);
        return HttpResponse.json(PAYMENT);
      }),
      http.post(`${PAYMENTS}/${REFERENCE}/cancel`, async ({ request }) => {
        await record(request, calls);
        return HttpResponse.json(MODIFICATION);
      }),
      http.get(`${BASE}/webhooks/v1/webhooks`, async ({ request }) => {
        await record(request, calls);
        return HttpResponse.json({ webhooks: [] });
      }),
    );
    const { client } = makeClient();
    await client.createPayment(CREATE_BODY, { idempotencyKey: "idem-h" });
    await client.getPayment(REFERENCE);
    await client.cancelPayment(REFERENCE, { idempotencyKey: "idem-c" });
    await client.listWebhooks();

    expect(calls).toHaveLength(4);
    for (const call of calls) {
      expect(call.headers.get("authorization")).toBe("Bearer token-1");
      expect(call.headers.get("ocp-apim-subscription-key")).toBe(CREDENTIALS.subscriptionKey);
      expect(call.headers.get("merchant-serial-number")).toBe("123456");
      expect(call.headers.get("vipps-system-name")).toBe("kassa-display");
      expect(call.headers.get("vipps-system-version")).toMatch(/^\d+\.\d+\.\d+/);
      expect(call.headers.get("vipps-system-plugin-name")).toBe("kassa-display-pos");
      expect(call.headers.get("vipps-system-plugin-version")).toMatch(/^\d+\.\d+\.\d+/);
      expect(call.headers.get("client_secret")).toBeNull();
    }
    const [create, get, cancel, list] = calls as [Recorded, Recorded, Recorded, Recorded];
    expect(create.headers.get("content-type")).toBe("application/json");
    expect(create.headers.get("idempotency-key")).toBe("idem-h");
    expect(get.headers.get("content-type")).toBeNull();
    expect(get.headers.get("idempotency-key")).toBeNull();
    expect(cancel.body).toBe("");
    expect(cancel.headers.get("content-type")).toBeNull();
    expect(cancel.headers.get("idempotency-key")).toBe("idem-c");
    expect(list.headers.get("idempotency-key")).toBeNull();
  });

  it("truncates custom system headers to 30 characters", async () => {
    const calls: Recorded[] = [];
    server.use(
      tokenEndpoint().handler,
      http.get(`${PAYMENTS}/${REFERENCE}`, async ({ request }) => {
        await record(request, calls);
        return HttpResponse.json(PAYMENT);
      }),
    );
    const { client } = makeClient({
      system: { name: "a-very-long-system-name-that-exceeds-thirty", version: "1.2.3" },
    });
    await client.getPayment(REFERENCE);
    expect(calls[0]!.headers.get("vipps-system-name")).toBe("a-very-long-system-name-that-e");
    expect(calls[0]!.headers.get("vipps-system-version")).toBe("1.2.3");
    expect(calls[0]!.headers.get("vipps-system-plugin-name")).toBe("kassa-display-pos");
  });
});

describe("createVippsClient: onRequest hook", () => {
  it("reports every attempt, token request included, with the exact headers and body", async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.post(PAYMENTS, () => {
        calls += 1;
        return calls === 1
          ? new HttpResponse(null, { status: 500 })
          : HttpResponse.json({ reference: REFERENCE }, { status: 201 });
      }),
    );
    const seen: { operation: string; attempt: number; method: string; url: string; key?: string; body: unknown }[] = [];
    const { client } = makeClient({
      onRequest: (info) =>
        seen.push({
          operation: info.operation,
          attempt: info.attempt,
          method: info.method,
          url: info.url,
          key: info.headers["Idempotency-Key"],
          body: info.body,
        }),
    });
    await client.createPayment(CREATE_BODY, { idempotencyKey: "idem-hook" });
    expect(seen).toEqual([
      {
        operation: "fetchAccessToken",
        attempt: 1,
        method: "POST",
        url: `${BASE}/accesstoken/get`,
        key: undefined,
        body: undefined,
      },
      { operation: "createPayment", attempt: 1, method: "POST", url: PAYMENTS, key: "idem-hook", body: CREATE_BODY },
      { operation: "createPayment", attempt: 2, method: "POST", url: PAYMENTS, key: "idem-hook", body: CREATE_BODY },
    ]);
  });
});

describe("createVippsClient: operations without an Idempotency-Key", () => {
  it("does not replay registerWebhook after an ambiguous 500, but does after a 503", async () => {
    let calls = 0;
    let status = 500;
    server.use(
      tokenEndpoint().handler,
      http.post(`${BASE}/webhooks/v1/webhooks`, () => {
        calls += 1;
        if (calls === 1) return new HttpResponse(null, { status });
        return HttpResponse.json({ id: "6f1c2a44-1b7e-4f8e-9d0a-3c5b7e9f1a2b", secret: "s3cr3t" }, { status: 201 });
      }),
    );
    const { client } = makeClient();
    const body = { url: "https://kassa.example.com/api/vipps/webhook", events: ["epayments.payment.authorized.v1"] };
    await expect(client.registerWebhook(body)).rejects.toMatchObject({ status: 500 });
    expect(calls).toBe(1);

    calls = 0;
    status = 503;
    await expect(client.registerWebhook(body)).resolves.toEqual({
      id: "6f1c2a44-1b7e-4f8e-9d0a-3c5b7e9f1a2b",
      secret: "s3cr3t",
    });
    expect(calls).toBe(2);
  });
});

describe("createVippsClient: input validation", () => {
  it("rejects bad references, amounts and idempotency keys before sending anything", async () => {
    // No handlers: any request would fail the test through onUnhandledRequest: "error".
    const { client } = makeClient();
    await expect(client.getPayment("short")).rejects.toBeInstanceOf(VippsRequestError);
    await expect(client.getPayment("../../accesstoken/get")).rejects.toBeInstanceOf(VippsRequestError);
    await expect(
      client.createPayment({ ...CREATE_BODY, amount: { value: 12.5, currency: "NOK" } }, { idempotencyKey: "k" }),
    ).rejects.toBeInstanceOf(VippsRequestError);
    await expect(client.createPayment(CREATE_BODY, { idempotencyKey: "" })).rejects.toBeInstanceOf(VippsRequestError);
    await expect(client.createPayment(CREATE_BODY, { idempotencyKey: "x".repeat(51) })).rejects.toBeInstanceOf(
      VippsRequestError,
    );
    await expect(
      client.createPayment({ ...CREATE_BODY, userFlow: "PUSH_MESSAGE" }, { idempotencyKey: "k" }),
    ).rejects.toThrow(/customer is required/);
    await expect(
      client.createPayment(
        { ...CREATE_BODY, customer: { phoneNumber: "4791234567", personalQr: "https://qr.vipps.no/x" } as never },
        { idempotencyKey: "k" },
      ),
    ).rejects.toBeInstanceOf(VippsRequestError);
  });
});

describe("createVippsClient: references of ePayment 1.7", () => {
  // Source: ../shared/research/VIPPS-FACTS.md ("^[a-zA-Z0-9-]{8,64}$ since ePayment 1.7 (was 8–50)") and
  // vippsas/agent-toolkit plugins/vipps-developer/skills/epayment/SKILL.md. The 1.4.1 spec file says 50.
  it("sends a 64-character reference and refuses a 65-character one before anything leaves", async () => {
    const longest = `kd-${"a".repeat(61)}`;
    expect(longest).toHaveLength(64);
    const seen: string[] = [];
    server.use(
      tokenEndpoint().handler,
      http.get(`${PAYMENTS}/:reference`, ({ params }) => {
        seen.push(String(params.reference));
        return HttpResponse.json({ ...PAYMENT, reference: longest });
      }),
    );
    const { client } = makeClient();
    await expect(client.getPayment(longest)).resolves.toMatchObject({ reference: longest });
    await expect(
      client.createPayment({ ...CREATE_BODY, reference: `${longest}x` }, { idempotencyKey: "k" }),
    ).rejects.toThrow(/8-64 characters/);
    await expect(client.getPayment(`${longest}x`)).rejects.toBeInstanceOf(VippsRequestError);
    expect(seen).toEqual([longest]);
  });
});

describe("helpers", () => {
  it("backoffDelayMs grows exponentially up to the cap", () => {
    const retry = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, retry, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelayMs(3, retry, () => 0)).toBe(0);
  });

  it("lockedBackoffDelayMs waits between half and all of the exponential ceiling, up to the cap", () => {
    const retry = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => lockedBackoffDelayMs(n, retry, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => lockedBackoffDelayMs(n, retry, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(lockedBackoffDelayMs(2, retry, () => 0.5)).toBe(150);
  });

  it("parseRetryAfterMs reads seconds and HTTP dates", () => {
    const now = Date.parse("2024-05-01T10:00:00Z");
    expect(parseRetryAfterMs("2", now)).toBe(2000);
    expect(parseRetryAfterMs("Wed, 01 May 2024 10:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfterMs("soon", now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
  });
});
