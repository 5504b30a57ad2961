import {
  CreateSaleRequestSchema,
  ListSalesQuerySchema,
  RefundRequestSchema,
  SaleHistorySchema,
  SaleListSchema,
  SaleSchema,
  SalesExportQuerySchema,
  SalesSummarySchema,
  SalesSummaryQuerySchema,
} from "@/lib/contracts/sales";
import { SALE_STATES } from "@/lib/sales/types";
import { queryParameters } from "./components";
import type { ApiExamples } from "./examples";
import {
  body,
  bodyProblems,
  common,
  type Examples,
  idParam,
  json,
  ok,
  one,
  problemExample,
  problems,
} from "./responses";

/** The sales operations: start, follow, cancel, capture, refund, a new QR; the summary and the CSV export. */
export function salePaths({ sales }: ApiExamples) {
  const {
    pendingSale,
    capturedSale,
    refundedSale,
    fullyRefundedSale,
    approvedSale,
    manuallyCaptured,
    cancelledSale,
    newQrSale,
    amountSale,
    pushSale,
  } = sales;
  const saleId = idParam("id", pendingSale.id);
  const stateReason = `Invalid option: expected one of ${SALE_STATES.map((state) => `"${state}"`).join("|")}`;
  const fromProblem = problemExample("validation", "from: from must be an ISO 8601 date-time", {
    errors: [{ field: "from", reason: "from must be an ISO 8601 date-time" }],
  });

  const saleErrors = {
    busy: problemExample(
      "terminalBusy",
      "Terminal pos-1 already shows sale sale_tCb3xdFe3lNoYw; finish or cancel it first",
      { activeSaleId: "sale_tCb3xdFe3lNoYw" },
    ),
    saleBusy: problemExample("saleBusy", "Another operation on this sale is in progress; try again in a moment."),
    invalidState: (detail: string) => problemExample("invalidState", detail),
  };

  // Creating the Vipps payment: a refusal (any 4xx, 429 included) or no answer. The sale is then failed.
  const createFailures = [
    problemExample("paymentProvider", "Vipps MobilePay did not create the payment: 400 Invalid MSN", {
      saleId: pendingSale.id,
    }),
    problemExample(
      "paymentProviderUnavailable",
      "Vipps MobilePay did not create the payment: TimeoutError: The operation was aborted due to timeout",
      { saleId: pendingSale.id },
    ),
    problemExample(
      "vippsUnavailable",
      "Vipps is not answering. Take the payment another way; new sales are tried again shortly.",
      {
        vipps: { available: false, since: "2026-12-07T01:12:09.000Z" },
      },
    ),
    problemExample(
      "pushNotAllowed",
      "Vipps does not allow sending payments to a phone for this sales unit (error 5080). Show the QR code instead.",
      { saleId: pushSale.id, vippsErrorCode: "5080" },
    ),
  ];

  const createSaleRequests: Examples = {
    lines: {
      summary: "Order lines (unit prices include tax)",
      value: {
        terminalId: "pos-1",
        currency: "NOK",
        lines: [
          { name: "Cappuccino", quantity: 2, unitPrice: 4900, taxRate: 1500 },
          { name: "Ear buds", quantity: 1, unitPrice: 42924, taxRate: 2500, productId: "p4" },
        ],
      },
    },
    amount: {
      summary: "A typed amount with a description",
      value: { terminalId: "pos-1", currency: "NOK", amount: 25000, description: "Bicycle repair" },
    },
    push: {
      summary: "Sent to the customer's phone instead of a QR (number with country code)",
      value: {
        terminalId: "pos-1",
        currency: "NOK",
        amount: 25000,
        description: "Bicycle repair",
        customer: { phoneNumber: "4791234567" },
      },
    },
  };

  const refundKeyDescription = [
    "Makes a retried refund safe. Send a fresh key for each refund you mean (e.g. your return's id) and the same key when you retry it after a timeout or a lost answer.",
    "A retry with the same key answers with the sale as the first request left it and never refunds twice: once that refund is done nothing more is sent to Vipps,",
    "and a refund whose outcome was unknown is retried with the amount first asked for, under the same Vipps idempotency key.",
    "A different amount with a key whose refund is done answers 409 idempotency-conflict. Keys count per sale; at most 100 characters are used.",
    "Without the header every request is a new refund.",
  ].join(" ");

  return {
    "/api/v1/sales": {
      post: {
        summary: "Start a sale: creates the Vipps QR payment and shows it on the terminal's display",
        parameters: [
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            schema: { type: "string", minLength: 1, maxLength: 100, pattern: "^[\\x21-\\x7e]+$" },
            example: "order-4711",
            description:
              "Retry-safe creation: the same key and body answer 200 with the sale the first request made; the same key with another body is 409 idempotency-conflict.",
          },
        ],
        requestBody: body(CreateSaleRequestSchema, createSaleRequests),
        responses: {
          "201": {
            description: "Created: the QR is on the terminal's display",
            headers: { Location: { description: "The sale's URL", schema: { type: "string" } } },
            content: json(SaleSchema, {
              lines: { summary: "A sale from order lines", value: pendingSale },
              amount: { summary: "A sale from a typed amount", value: amountSale },
              push: { summary: "A payment request sent to the customer's phone", value: pushSale },
            }),
          },
          "200": {
            description: "Replayed for a repeated Idempotency-Key",
            content: json(SaleSchema, one("The sale the first request made", pendingSale)),
          },
          ...problems(
            problemExample(
              "validation",
              "lines[0].unitPrice: unitPrice must be a whole number of minor units (øre/cents), not a decimal",
              {
                errors: [
                  {
                    field: "lines[0].unitPrice",
                    reason: "unitPrice must be a whole number of minor units (øre/cents), not a decimal",
                  },
                ],
              },
            ),
            ...bodyProblems,
            common.unauthorized,
            saleErrors.busy,
            problemExample(
              "idempotencyConflict",
              "This Idempotency-Key was already used for a different sale request",
              {
                errors: [{ field: "Idempotency-Key", reason: "reused with a different body" }],
              },
            ),
            ...createFailures,
          ),
        },
      },
      get: {
        summary: "List sales, newest first",
        parameters: queryParameters(ListSalesQuerySchema),
        responses: {
          ...ok(
            SaleListSchema,
            one("A page of two sales", {
              items: [refundedSale, cancelledSale],
              nextCursor: "MjAyNi0xMi0wNVQxMDowMDowNi40MDNafHNhbGVfTmpZTnJNS3BhcHhkd0E",
            }),
          ),
          ...problems(fromProblem, common.unauthorized),
        },
      },
    },
    "/api/v1/sales/{id}": {
      get: {
        summary: "One sale",
        parameters: [saleId],
        responses: {
          ...ok(SaleSchema, {
            paid: { summary: "A paid sale", value: capturedSale },
            approved: {
              summary: "Approved, waiting for capture (auto-capture off): captureDeadline says until when",
              value: approvedSale,
            },
          }),
          ...problems(common.malformedPath, common.unauthorized, common.saleNotFound),
        },
      },
    },
    "/api/v1/sales/{id}/events": {
      get: {
        summary: "The sale's audit log, with its Vipps payments and refunds",
        parameters: [saleId],
        responses: {
          ...ok(
            SaleHistorySchema,
            one("Created, approved, captured and partly refunded", {
              items: [
                {
                  id: 1,
                  attemptId: "att_BqN5TMv5xOIfOw",
                  type: "sale.created",
                  source: "api",
                  toState: "pending",
                  detail: { amount: 52724, currency: "NOK", lines: 2, reference: pendingSale.reference },
                  at: "2026-12-05T10:00:02.350Z",
                },
                {
                  id: 2,
                  attemptId: "att_BqN5TMv5xOIfOw",
                  type: "payment.created",
                  source: "api",
                  detail: { reference: pendingSale.reference, expiresAt: pendingSale.qr.expiresAt },
                  at: "2026-12-05T10:00:02.485Z",
                },
                {
                  id: 3,
                  attemptId: "att_BqN5TMv5xOIfOw",
                  type: "payment.authorized",
                  source: "webhook",
                  fromState: "pending",
                  toState: "authorized",
                  detail: { reference: pendingSale.reference },
                  at: "2026-12-05T10:00:31.651Z",
                },
                {
                  id: 4,
                  attemptId: "att_BqN5TMv5xOIfOw",
                  type: "payment.captured",
                  source: "webhook",
                  fromState: "authorized",
                  toState: "captured",
                  detail: { reference: pendingSale.reference, capturedAmount: 52724, refundedAmount: 0 },
                  at: "2026-12-05T10:00:31.726Z",
                },
                {
                  id: 5,
                  attemptId: "att_BqN5TMv5xOIfOw",
                  type: "payment.refunded",
                  source: "api",
                  fromState: "captured",
                  toState: "captured",
                  detail: { amount: 4900, refundedAmount: 4900 },
                  at: "2026-12-05T10:02:04.322Z",
                },
              ],
              attempts: [
                {
                  id: "att_BqN5TMv5xOIfOw",
                  reference: pendingSale.reference,
                  state: "AUTHORIZED",
                  createdAt: pendingSale.createdAt,
                  expiresAt: pendingSale.qr.expiresAt,
                  pollCount: 2,
                },
              ],
              refunds: [
                {
                  id: "rf_98169e92f84d4e344b8105c1",
                  saleId: pendingSale.id,
                  amount: 4900,
                  state: "done",
                  createdAt: "2026-12-05T10:02:04.189Z",
                },
              ],
            }),
          ),
          ...problems(common.malformedPath, common.unauthorized, common.saleNotFound),
        },
      },
    },
    "/api/v1/sales/{id}/cancel": {
      post: {
        summary: "Cancel before capture (also at Vipps)",
        parameters: [saleId],
        responses: {
          ...ok(SaleSchema, one("Cancelled: the QR has left the display", cancelledSale)),
          ...problems(
            common.malformedPath,
            common.unauthorized,
            common.saleNotFound,
            saleErrors.invalidState("A captured sale cannot be cancelled. Refund it instead."),
            common.rateLimited("Cancel failed"),
            common.refused("Cancel failed"),
            common.unavailable("Cancel failed"),
          ),
        },
      },
    },
    "/api/v1/sales/{id}/capture": {
      post: {
        summary: "Capture an approved sale (when auto-capture is off)",
        parameters: [saleId],
        responses: {
          ...ok(SaleSchema, one("Captured", manuallyCaptured)),
          ...problems(
            common.malformedPath,
            common.unauthorized,
            common.saleNotFound,
            saleErrors.invalidState("Only an approved sale can be captured; this one is pending"),
            common.rateLimited("Capture failed"),
            common.refused("Capture failed"),
            common.unavailable("Capture failed"),
          ),
        },
      },
    },
    "/api/v1/sales/{id}/refund": {
      post: {
        summary: "Refund all or part of a captured sale",
        description:
          "Without a body (or without `amount`) refunds everything not yet refunded. Send an `Idempotency-Key`, so that a retry never moves money twice.",
        parameters: [
          saleId,
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            schema: { type: "string", minLength: 1, maxLength: 100 },
            example: "return-4711-1",
            description: refundKeyDescription,
          },
        ],
        requestBody: body(
          RefundRequestSchema,
          {
            partial: { summary: "Refund one cappuccino (49,00 kr)", value: { amount: 4900 } },
            all: { summary: "Refund everything left", value: {} },
          },
          false,
        ),
        responses: {
          "200": {
            description:
              "Refunded; also the answer to a retry with the same Idempotency-Key, which refunds nothing more",
            content: json(SaleSchema, {
              partial: { summary: "Partly refunded: still captured, refundedAmount counts up", value: refundedSale },
              all: { summary: "Everything refunded", value: fullyRefundedSale },
            }),
          },
          ...problems(
            problemExample(
              "validation",
              "amount: amount must be a whole number of minor units (øre/cents), not a decimal",
              {
                errors: [
                  {
                    field: "amount",
                    reason: "amount must be a whole number of minor units (øre/cents), not a decimal",
                  },
                ],
              },
            ),
            common.malformedPath,
            ...bodyProblems,
            common.unauthorized,
            common.saleNotFound,
            problemExample(
              "idempotencyConflict",
              "This Idempotency-Key was already used for a refund of another amount",
            ),
            saleErrors.invalidState("Only a paid sale can be refunded; this one is cancelled"),
            saleErrors.saleBusy,
            problemExample("refundTooLarge", "At most 47824 minor units of NOK can be refunded; asked for 50000", {
              refundable: 47824,
              errors: [{ field: "amount", reason: "must be between 1 and 47824" }],
            }),
            common.rateLimited("Refund failed"),
            common.refused("Refund failed"),
            common.unavailable("Refund failed"),
          ),
        },
      },
    },
    "/api/v1/sales/{id}/new-qr": {
      post: {
        summary: "A new QR (new Vipps reference) for an expired, declined, failed or cancelled sale",
        parameters: [saleId],
        responses: {
          ...ok(SaleSchema, one("A new QR on the display, valid for ten minutes", newQrSale)),
          ...problems(
            common.malformedPath,
            common.unauthorized,
            common.saleNotFound,
            saleErrors.invalidState(
              "A new QR can be made only for an expired, declined, failed or cancelled sale; this one is captured",
            ),
            saleErrors.busy,
            ...createFailures,
          ),
        },
      },
    },
    "/api/v1/sales/summary": {
      get: {
        summary: "Count and amount per state and currency",
        parameters: queryParameters(SalesSummaryQuerySchema),
        responses: {
          ...ok(
            SalesSummarySchema,
            one("Today so far", {
              items: [
                { state: "cancelled", currency: "NOK", count: 2, amount: 23850, refunded: 0, net: 0 },
                { state: "captured", currency: "NOK", count: 2, amount: 77724, refunded: 5000, net: 72724 },
              ],
            }),
          ),
          ...problems(fromProblem, common.unauthorized),
        },
      },
    },
    "/api/v1/sales/export.csv": {
      get: {
        summary: "Sales as CSV, newest first",
        parameters: queryParameters(SalesExportQuerySchema),
        responses: {
          "200": {
            description: "CSV (RFC 4180, CRLF line ends); amounts in major units",
            headers: {
              "Content-Disposition": {
                description: 'attachment; filename="kassa-sales-YYYY-MM-DD.csv"',
                schema: { type: "string" },
              },
            },
            content: {
              "text/csv": {
                schema: { type: "string" },
                examples: one(
                  "Two sales",
                  [
                    '"created_at","sale_id","receipt_number","terminal_id","reference","state","currency","amount","captured","refunded","description","lines"',
                    '"2026-12-05T10:04:04.409Z","sale_NbhJOO1JSqyewg","000002","pos-1","kd-mx9rm4ah-03f827cdfbb3c9b5","captured","NOK",250.00,250.00,0.00,"Bicycle repair","1 x Bicycle repair"',
                    '"2026-12-05T10:00:02.346Z","sale_tCb3xdFe3lNoYw","000001","pos-1","kd-mx9rm2p6-ce7b9b0f333daa52","captured","NOK",527.24,527.24,49.00,"2 × Cappuccino, Ear buds","2 x Cappuccino; 1 x Ear buds"',
                    "",
                  ].join("\r\n"),
                ),
              },
            },
          },
          ...problems(
            problemExample("validation", `state: ${stateReason}`, {
              errors: [{ field: "state", reason: stateReason }],
            }),
            common.unauthorized,
          ),
        },
      },
    },
  };
}
