import { CreateSaleRequestSchema, ListSalesQuerySchema, SaleListSchema, SaleSchema } from "@/lib/contracts/sales";
import { queryParameters } from "./components";
import type { ApiExamples } from "./examples";
import { body, bodyProblems, common, type Examples, json, ok, one, problemExample, problems } from "./responses";
import { saleActionPaths } from "./sale-action-paths";
import { saleHistoryPaths } from "./sale-history-paths";
import { salePathContext } from "./sale-path-context";
import { saleReportPaths } from "./sale-report-paths";

/**
 * The sales operations: start, follow, cancel, capture, refund, a new QR; the summary and the CSV
 * export. Starting and reading a sale are here; the rest is in the sale-*-paths modules, spread in
 * the order the document lists them.
 */
export function salePaths({ sales }: ApiExamples) {
  const { pendingSale, capturedSale, refundedSale, approvedSale, cancelledSale, amountSale, pushSale } = sales;
  const context = salePathContext(sales);
  const { saleId, fromProblem, saleErrors, createFailures } = context;

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
        // The cash register's own receipt number: on the sale, in the CSV and on Vipps' receipt.
        posReference: "KV-4711",
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
    ...saleHistoryPaths(sales, context),
    ...saleActionPaths(sales, context),
    ...saleReportPaths(context),
  };
}
