/**
 * Every request the Vipps client sends, checked against the official OpenAPI specs; and every
 * fixture response used here, checked against the same specs so the fixtures cannot drift.
 */
import { http, HttpResponse, type JsonBodyType } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SIMULATOR_DEMO_CREDENTIALS } from "@/lib/config";
import { AccessTokenCache } from "@/lib/vipps/access-token";
import { createVippsClient } from "@/lib/vipps/client";
import {
  CreatePaymentRequestSchema,
  EPAYMENT_WEBHOOK_EVENTS,
  GetPaymentResponseSchema,
  ModificationResponseSchema,
  PaymentEventLogSchema,
  WebhookEventSchema,
  type CreatePaymentRequest,
} from "@/lib/vipps/schemas";
import { OpenApiContract, SPECS_MISSING_MESSAGE, specsAvailable } from "../support/openapi-contract";

if (!specsAvailable) console.warn(SPECS_MISSING_MESSAGE);

const BASE = "https://vipps.test";
const REFERENCE = "kassa-till1-20240501-0042";
const WEBHOOK_ID = "6f1c2a44-1b7e-4f8e-9d0a-3c5b7e9f1a2b";
const nok = (value: number) => ({ value, currency: "NOK" as const });

/** What the POS sends for a counter sale: QR shown on the customer display, receipt attached. */
const POS_CREATE_BODY: CreatePaymentRequest = {
  amount: nok(12_900),
  paymentMethod: { type: "WALLET" },
  reference: REFERENCE,
  userFlow: "QR",
  customerInteraction: "CUSTOMER_PRESENT",
  qrFormat: { format: "TEXT/TARGETURL" },
  paymentDescription: "Kafé Solsiden, kasse 1",
  returnUrl: "https://kassa.example.com/receipt/kassa-till1-20240501-0042",
  metadata: { saleId: "sale-0042", till: "till-1" },
  receipt: {
    orderLines: [
      {
        name: "Caffè latte",
        id: "sku-latte",
        totalAmount: 9_000,
        totalAmountExcludingTax: 7_826,
        totalTaxAmount: 1_174,
        // taxRate only: taxPercentage is deprecated. The 2.3.24 file still requires taxPercentage; the
        // OrderLine entry of TODAYS_API_OVERLAY (tests/support/openapi-contract.ts) writes down the change.
        taxRate: 1_500,
        unitInfo: { unitPrice: 4_500, quantity: "2", quantityUnit: "PCS" },
        discount: 0,
        isReturn: false,
        isShipping: false,
      },
      {
        name: "Kanelbolle",
        id: "sku-bolle",
        totalAmount: 3_900,
        totalAmountExcludingTax: 3_391,
        totalTaxAmount: 509,
        taxRate: 1_500,
        unitInfo: { unitPrice: 3_900, quantity: "1", quantityUnit: "PCS" },
      },
    ],
    bottomLine: { currency: "NOK", posId: "till-1", receiptNumber: "1042", tipAmount: 0 },
  },
};

const AGGREGATE_ZERO = {
  authorizedAmount: nok(0),
  cancelledAmount: nok(0),
  capturedAmount: nok(0),
  refundedAmount: nok(0),
};

interface Fixture {
  method: "get" | "post" | "delete";
  /** Path as the real API sees it (no base URL). */
  path: string;
  status: number;
  contentType?: string;
  body?: JsonBodyType;
}

const FIXTURES: Record<string, Fixture> = {
  accessToken: {
    method: "post",
    path: "/accesstoken/get",
    status: 200,
    contentType: "application/json;charset=UTF-8",
    body: {
      token_type: "Bearer",
      expires_in: "3600",
      ext_expires_in: "0",
      expires_on: "1714561200",
      not_before: "1714557600",
      resource: "00000002-0000-0000-c000-000000000000",
      access_token: "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJrYXNzYSJ9.c2lnbmF0dXJl",
    },
  },
  createPayment: {
    method: "post",
    path: "/epayment/v1/payments",
    status: 201,
    body: { reference: REFERENCE, redirectUrl: "https://qr.vipps.no/28/2/05/031/abcdefgh" },
  },
  getPayment: {
    method: "get",
    path: `/epayment/v1/payments/${REFERENCE}`,
    status: 200,
    body: {
      reference: REFERENCE,
      pspReference: "10b7fa3e-77e5-4f1d-a2f7-2f1c4c3d9f10",
      state: "AUTHORIZED",
      amount: nok(12_900),
      aggregate: { ...AGGREGATE_ZERO, authorizedAmount: nok(12_900) },
      paymentMethod: { type: "WALLET" },
      profile: {},
      redirectUrl: "https://qr.vipps.no/28/2/05/031/abcdefgh",
      metadata: { saleId: "sale-0042", till: "till-1" },
    },
  },
  getPaymentEvents: {
    method: "get",
    path: `/epayment/v1/payments/${REFERENCE}/events`,
    status: 200,
    body: [
      {
        reference: REFERENCE,
        pspReference: "7686f7788898767977",
        name: "CREATED",
        amount: nok(12_900),
        timestamp: "2024-05-01T10:00:00.123Z",
        idempotencyKey: "3c1d9a3e-0f6b-4b7a-9d2e-5f4a3b2c1d0e",
        success: true,
      },
      {
        reference: REFERENCE,
        pspReference: "7686f7788898767978",
        name: "AUTHORIZED",
        amount: nok(12_900),
        timestamp: "2024-05-01T10:00:41.950Z",
        idempotencyKey: "3c1d9a3e-0f6b-4b7a-9d2e-5f4a3b2c1d0e",
        success: true,
      },
    ],
  },
  forceApprove: {
    method: "post",
    path: `/epayment/v1/test/payments/${REFERENCE}/approve`,
    status: 200,
  },
  capturePayment: {
    method: "post",
    path: `/epayment/v1/payments/${REFERENCE}/capture`,
    status: 200,
    contentType: "application/json",
    body: {
      reference: REFERENCE,
      pspReference: "7686f7788898767979",
      state: "AUTHORIZED",
      amount: nok(12_900),
      aggregate: { ...AGGREGATE_ZERO, authorizedAmount: nok(12_900), capturedAmount: nok(12_900) },
    },
  },
  refundPayment: {
    method: "post",
    path: `/epayment/v1/payments/${REFERENCE}/refund`,
    status: 200,
    contentType: "application/json",
    body: {
      reference: REFERENCE,
      pspReference: "7686f7788898767980",
      state: "AUTHORIZED",
      amount: nok(12_900),
      aggregate: {
        ...AGGREGATE_ZERO,
        authorizedAmount: nok(12_900),
        capturedAmount: nok(12_900),
        refundedAmount: nok(3_900),
      },
    },
  },
  cancelPayment: {
    method: "post",
    path: `/epayment/v1/payments/${REFERENCE}/cancel`,
    status: 200,
    // As the spec labels it.
    contentType: "application/problem+json",
    body: {
      reference: REFERENCE,
      pspReference: "7686f7788898767981",
      state: "TERMINATED",
      amount: nok(12_900),
      aggregate: { ...AGGREGATE_ZERO, cancelledAmount: nok(12_900) },
    },
  },
  registerWebhook: {
    method: "post",
    path: "/webhooks/v1/webhooks",
    status: 201,
    body: { id: WEBHOOK_ID, secret: "090a478d-37ff-4e77-970e-d457aeb26a3a" },
  },
  listWebhooks: {
    method: "get",
    path: "/webhooks/v1/webhooks",
    status: 200,
    body: {
      webhooks: [
        { id: WEBHOOK_ID, url: "https://kassa.example.com/api/vipps/webhook", events: [...EPAYMENT_WEBHOOK_EVENTS] },
      ],
    },
  },
  deleteWebhook: {
    method: "delete",
    path: `/webhooks/v1/webhooks/${WEBHOOK_ID}`,
    status: 204,
  },
};

const ERROR_FIXTURES: Fixture[] = [
  {
    method: "post",
    path: "/epayment/v1/payments",
    status: 409,
    contentType: "application/problem+json",
    body: {
      type: "https://developer.vippsmobilepay.com/docs/APIs/epayment-api/api-guide/errors",
      title: "Conflict",
      status: 409,
      detail: `Idempotency error: Reference ${REFERENCE} already exists`,
      traceId: "77f6a5e8-4bd1-4c06-8a0f-2fe6a2b0c4d1",
    },
  },
  {
    method: "post",
    path: "/webhooks/v1/webhooks",
    status: 400,
    contentType: "application/problem+json",
    body: {
      type: "https://tools.ietf.org/html/rfc7231#section-6.5.1",
      title: "Bad Request",
      status: 400,
      detail: "One or more validation errors occurred.",
      instance: "/v1/webhooks",
      traceId: "00-bb841c551513e233de8a01472013fa9f-542c71e40916a6ce-00",
      extraDetails: [{ name: "url", reason: "The url must use https." }],
    },
  },
];

interface Captured {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

describe.skipIf(!specsAvailable)("Vipps client requests conform to the OpenAPI specs", () => {
  const contract = specsAvailable ? new OpenApiContract() : (undefined as unknown as OpenApiContract);
  const captured: Captured[] = [];

  const server = setupServer(
    ...Object.values(FIXTURES).map((fixture) =>
      http[fixture.method](`${BASE}${fixture.path}`, async ({ request }) => {
        const url = new URL(request.url);
        const text = await request.text();
        captured.push({
          method: request.method,
          path: `${url.pathname}${url.search}`,
          headers: Object.fromEntries(request.headers.entries()),
          body: text === "" ? undefined : JSON.parse(text),
        });
        if (fixture.body === undefined) return new HttpResponse(null, { status: fixture.status });
        return HttpResponse.json(fixture.body, {
          status: fixture.status,
          headers: { "content-type": fixture.contentType ?? "application/json; charset=utf-8" },
        });
      }),
    ),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    captured.length = 0;
  });
  afterAll(() => server.close());

  const client = () =>
    createVippsClient({
      baseUrl: BASE,
      credentials: { ...SIMULATOR_DEMO_CREDENTIALS },
      tokenCache: new AccessTokenCache(),
      sleep: async () => {},
    });

  it("fixture responses are valid against the specs", () => {
    for (const [name, fixture] of Object.entries(FIXTURES)) {
      const violations = contract.validateResponse({
        method: fixture.method,
        path: fixture.path,
        status: fixture.status,
        contentType: fixture.contentType,
        body: fixture.body,
      });
      expect(violations, name).toEqual([]);
    }
    for (const fixture of ERROR_FIXTURES) {
      expect(contract.validateResponse({ ...fixture }), `${fixture.method} ${fixture.path} ${fixture.status}`).toEqual(
        [],
      );
    }
  });

  it("the contract checker is not vacuous: it flags broken requests and responses", () => {
    expect(contract.validateRequest({ method: "POST", path: "/epayment/v1/payments", headers: {}, body: {} })).toEqual(
      expect.arrayContaining([
        "missing required header Idempotency-Key",
        "missing required header Ocp-Apim-Subscription-Key",
        "missing required header Merchant-Serial-Number",
        expect.stringContaining("request body"),
      ]),
    );
    // Customer must be exactly one variant (spec oneOf, with the erratum in openapi-contract.ts).
    const headers = { "Idempotency-Key": "k", "Ocp-Apim-Subscription-Key": "s", "Merchant-Serial-Number": "123456" };
    const pushBody = { ...POS_CREATE_BODY, userFlow: "PUSH_MESSAGE", qrFormat: undefined };
    const oneCustomer = { ...pushBody, customer: { phoneNumber: "4791234567" } };
    const twoCustomers = {
      ...pushBody,
      customer: { phoneNumber: "4791234567", personalQr: "https://qr.vipps.no/28/2/01/031/4791234567" },
    };
    expect(
      contract.validateRequest({
        method: "POST",
        path: "/epayment/v1/payments",
        headers,
        body: JSON.parse(JSON.stringify(oneCustomer)),
      }),
    ).toEqual([]);
    expect(CreatePaymentRequestSchema.safeParse(oneCustomer).success).toBe(true);
    expect(
      contract.validateRequest({
        method: "POST",
        path: "/epayment/v1/payments",
        headers,
        body: JSON.parse(JSON.stringify(twoCustomers)),
      }),
    ).not.toEqual([]);
    expect(CreatePaymentRequestSchema.safeParse(twoCustomers).success).toBe(false);

    const badEvent = { ...(FIXTURES.getPaymentEvents!.body as object[])[0]!, name: "PAID" };
    expect(
      contract.validateResponse({
        method: "GET",
        path: FIXTURES.getPaymentEvents!.path,
        status: 200,
        body: [badEvent],
      }),
    ).not.toEqual([]);
  });

  it("fixture responses also satisfy the client's zod schemas", () => {
    expect(GetPaymentResponseSchema.safeParse(FIXTURES.getPayment!.body).success).toBe(true);
    expect(PaymentEventLogSchema.safeParse(FIXTURES.getPaymentEvents!.body).success).toBe(true);
    for (const name of ["capturePayment", "refundPayment", "cancelPayment"]) {
      expect(ModificationResponseSchema.safeParse(FIXTURES[name]!.body).success, name).toBe(true);
    }
  });

  it("every request of a full sale lifecycle plus webhook management is spec-valid", async () => {
    const vipps = client();
    await vipps.createPayment(POS_CREATE_BODY, { idempotencyKey: "3c1d9a3e-0f6b-4b7a-9d2e-5f4a3b2c1d0e" });
    await vipps.getPayment(REFERENCE);
    await vipps.getPaymentEvents(REFERENCE);
    await vipps.forceApprove(REFERENCE);
    await vipps.forceApprove(REFERENCE, { customer: { phoneNumber: "4791234567" } });
    await vipps.capturePayment(REFERENCE, { modificationAmount: nok(12_900) }, { idempotencyKey: "capture-0042-1" });
    await vipps.refundPayment(REFERENCE, { modificationAmount: nok(3_900) }, { idempotencyKey: "refund-0042-1" });
    await vipps.cancelPayment(REFERENCE, { idempotencyKey: "cancel-0042-1" });
    const registration = await vipps.registerWebhook({
      url: "https://kassa.example.com/api/vipps/webhook",
      events: [...EPAYMENT_WEBHOOK_EVENTS],
    });
    expect(registration.id).toBe(WEBHOOK_ID);
    const { webhooks } = await vipps.listWebhooks();
    expect(webhooks).toHaveLength(1);
    await vipps.deleteWebhook(registration.id);

    expect(captured.map((request) => `${request.method} ${request.path}`)).toEqual([
      "POST /accesstoken/get",
      "POST /epayment/v1/payments",
      `GET /epayment/v1/payments/${REFERENCE}`,
      `GET /epayment/v1/payments/${REFERENCE}/events`,
      `POST /epayment/v1/test/payments/${REFERENCE}/approve`,
      `POST /epayment/v1/test/payments/${REFERENCE}/approve`,
      `POST /epayment/v1/payments/${REFERENCE}/capture`,
      `POST /epayment/v1/payments/${REFERENCE}/refund`,
      `POST /epayment/v1/payments/${REFERENCE}/cancel`,
      "POST /webhooks/v1/webhooks",
      "GET /webhooks/v1/webhooks",
      `DELETE /webhooks/v1/webhooks/${WEBHOOK_ID}`,
    ]);
    for (const request of captured) {
      expect(contract.validateRequest(request), `${request.method} ${request.path}`).toEqual([]);
    }
    // The create body reached the wire unchanged.
    expect(captured[1]!.body).toEqual(POS_CREATE_BODY);
  });

  it("receipt lines carry taxRate, valid with today's overlay and only because of it; one of taxRate and taxPercentage is required", () => {
    // Sources: vippsas/deno-sdk src/generated_types/epayment/types.gen.ts (the live spec: taxRate 0–10000,
    // one of the two required, taxPercentage deprecated) and ../shared/research/VIPPS-FACTS.md.
    const headers = { "Idempotency-Key": "k", "Ocp-Apim-Subscription-Key": "s", "Merchant-Serial-Number": "123456" };
    const validate = (body: unknown, against = contract) =>
      against.validateRequest({ method: "POST", path: "/epayment/v1/payments", headers, body });
    expect(validate(POS_CREATE_BODY)).toEqual([]);
    // The 2024 file as published requires taxPercentage: the overlay is the only difference.
    expect(validate(POS_CREATE_BODY, new OpenApiContract({ todaysApi: false })).join("\n")).toContain("taxPercentage");

    const [firstLine, ...rest] = POS_CREATE_BODY.receipt!.orderLines;
    const withLine = (line: Record<string, unknown>) => ({
      ...POS_CREATE_BODY,
      receipt: { ...POS_CREATE_BODY.receipt!, orderLines: [line, ...rest] },
    });
    const { taxRate: _dropped, ...lineWithoutTax } = firstLine!;
    // Neither: refused by the overlaid spec and by the client, which names taxRate.
    expect(validate(withLine(lineWithoutTax))).not.toEqual([]);
    expect(
      CreatePaymentRequestSchema.safeParse(withLine(lineWithoutTax)).error?.issues.map((issue) => issue.path.join(".")),
    ).toEqual(["receipt.orderLines.0.taxRate"]);
    expect(validate(withLine({ ...lineWithoutTax, taxRate: null }))).not.toEqual([]);
    // The deprecated field alone is still accepted by both.
    expect(validate(withLine({ ...lineWithoutTax, taxPercentage: 15 }))).toEqual([]);
    expect(CreatePaymentRequestSchema.safeParse(withLine({ ...lineWithoutTax, taxPercentage: 15 })).success).toBe(true);
    // Out of range or not whole: refused by both.
    for (const taxRate of [10_001, -1, 2_500.5]) {
      expect(validate(withLine({ ...firstLine!, taxRate })), String(taxRate)).not.toEqual([]);
      expect(CreatePaymentRequestSchema.safeParse(withLine({ ...firstLine!, taxRate })).success, String(taxRate)).toBe(
        false,
      );
    }
    // A non-whole percent (25.5 %) is exact in basis points.
    expect(validate(withLine({ ...firstLine!, taxRate: 2_550 }))).toEqual([]);
    // Both sent: the client insists they agree (ours to check; we send taxRate only).
    expect(
      CreatePaymentRequestSchema.safeParse(withLine({ ...firstLine!, taxRate: 2_550, taxPercentage: 26 })).success,
    ).toBe(true);
    expect(
      CreatePaymentRequestSchema.safeParse(withLine({ ...firstLine!, taxRate: 2_500, taxPercentage: 15 })).success,
    ).toBe(false);
  });

  it("a receipt line must add up (totalAmount = totalAmountExcludingTax + totalTaxAmount), and the client names the field", () => {
    // The spec cannot say this (no cross-field rules in OpenAPI); the field descriptions define the three
    // amounts, and the simulator refuses such a line the same way (tests/unit/simulator-payments.test.ts).
    const [firstLine, ...rest] = POS_CREATE_BODY.receipt!.orderLines;
    const body = {
      ...POS_CREATE_BODY,
      receipt: { ...POS_CREATE_BODY.receipt!, orderLines: [{ ...firstLine!, totalTaxAmount: 1_175 }, ...rest] },
    };
    expect(CreatePaymentRequestSchema.safeParse(body).error?.issues.map((issue) => issue.path.join("."))).toEqual([
      "receipt.orderLines.0.totalAmount",
    ]);
  });

  it("unitInfo.quantity is a string of at most 10 characters; bottomLine takes tipAmount and paymentSources", () => {
    // Sources: the receipt schema (../shared/vipps/spec/order-management-2.3.24.yaml UnitInfo, BottomLine,
    // PaymentSources) and ../shared/research/VIPPS-FACTS.md.
    const headers = { "Idempotency-Key": "k", "Ocp-Apim-Subscription-Key": "s", "Merchant-Serial-Number": "123456" };
    const [firstLine, ...rest] = POS_CREATE_BODY.receipt!.orderLines;
    const withReceipt = (
      line: Record<string, unknown>,
      bottomLine: Record<string, unknown> = POS_CREATE_BODY.receipt!.bottomLine,
    ) => ({
      ...POS_CREATE_BODY,
      receipt: { orderLines: [line, ...rest], bottomLine },
    });
    const validate = (body: unknown) =>
      contract.validateRequest({ method: "POST", path: "/epayment/v1/payments", headers, body });
    const weighed = { ...firstLine!, unitInfo: { unitPrice: 4_500, quantity: "0.12345678", quantityUnit: "KG" } };
    expect(validate(withReceipt(weighed))).toEqual([]);
    expect(CreatePaymentRequestSchema.safeParse(withReceipt(weighed)).success).toBe(true);
    const tooLong = { ...firstLine!, unitInfo: { unitPrice: 4_500, quantity: "12345678901" } };
    expect(validate(withReceipt(tooLong))).not.toEqual([]);
    expect(CreatePaymentRequestSchema.safeParse(withReceipt(tooLong)).success).toBe(false);
    const numeric = { ...firstLine!, unitInfo: { unitPrice: 4_500, quantity: 2 } };
    expect(validate(withReceipt(numeric))).not.toEqual([]);
    expect(CreatePaymentRequestSchema.safeParse(withReceipt(numeric)).success).toBe(false);

    const bottomLine = {
      currency: "NOK",
      posId: "till-1",
      receiptNumber: "1042",
      tipAmount: 2_000,
      paymentSources: { card: 10_000, giftCard: 2_900, cash: null },
    };
    expect(validate(withReceipt(firstLine!, bottomLine))).toEqual([]);
    expect(CreatePaymentRequestSchema.safeParse(withReceipt(firstLine!, bottomLine)).success).toBe(true);
    for (const bad of [
      { ...bottomLine, tipAmount: -1 },
      { ...bottomLine, paymentSources: { card: "100" } },
      { posId: "till-1" },
    ]) {
      expect(validate(withReceipt(firstLine!, bad)), JSON.stringify(bad)).not.toEqual([]);
      expect(CreatePaymentRequestSchema.safeParse(withReceipt(firstLine!, bad)).success, JSON.stringify(bad)).toBe(
        false,
      );
    }
  });

  it("a 64-character reference (ePayment 1.7) is valid with today's overlay and only because of it", () => {
    // The 1.4.1 spec file says 8–50; Vipps allows 8–64 since ePayment 1.7. The difference is the
    // Reference entry of TODAYS_API_OVERLAY (tests/support/openapi-contract.ts), which names its sources.
    const reference = `kd-${"a".repeat(61)}`;
    const response = {
      method: "POST",
      path: "/epayment/v1/payments",
      status: 201,
      body: { reference, redirectUrl: "https://qr.vipps.no/28/2/05/031/abcdefgh" },
    };
    expect(contract.validateResponse(response)).toEqual([]);
    expect(new OpenApiContract({ todaysApi: false }).validateResponse(response).join("\n")).toMatch(/reference/);
    const headers = { "Idempotency-Key": "k", "Ocp-Apim-Subscription-Key": "s", "Merchant-Serial-Number": "123456" };
    expect(
      contract.validateRequest({
        method: "POST",
        path: "/epayment/v1/payments",
        headers,
        body: { ...POS_CREATE_BODY, reference },
      }),
    ).toEqual([]);
    expect(CreatePaymentRequestSchema.safeParse({ ...POS_CREATE_BODY, reference }).success).toBe(true);
    // One more character is refused by the overlaid spec and by the client alike.
    expect(
      contract.validateRequest({
        method: "POST",
        path: "/epayment/v1/payments",
        headers,
        body: { ...POS_CREATE_BODY, reference: `${reference}a` },
      }),
    ).not.toEqual([]);
    expect(CreatePaymentRequestSchema.safeParse({ ...POS_CREATE_BODY, reference: `${reference}a` }).success).toBe(
      false,
    );
  });

  it("the documented webhook payload is valid for both the spec and WebhookEventSchema", () => {
    const payload = {
      msn: "123456",
      reference: "acme-shop-123-order123abc",
      pspReference: "1234567891",
      name: "AUTHORIZED",
      amount: { currency: "NOK", value: 35000 },
      timestamp: "2023-08-14T12:48:46.260Z",
      idempotencyKey: "49ca711a9487112e1def",
      success: true,
    };
    expect(contract.validateSchema("epayment", "WebhookEvent", payload)).toEqual([]);
    expect(WebhookEventSchema.parse(payload)).toEqual(payload);
    const withNullKey = { ...payload, idempotencyKey: null };
    expect(contract.validateSchema("epayment", "WebhookEvent", withNullKey)).toEqual([]);
    expect(WebhookEventSchema.safeParse(withNullKey).success).toBe(true);
  });
});
