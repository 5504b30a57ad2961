import { RefundRequestSchema, SaleSchema } from "@/lib/contracts/sales";
import type { ApiExamples } from "./examples";
import { body, bodyProblems, common, json, ok, one, problemExample, problems } from "./responses";
import type { SalePathContext } from "./sale-path-context";

/** What is done to a sale once started: cancel, capture, refund, a new QR. */
export function saleActionPaths(
  { refundedSale, fullyRefundedSale, manuallyCaptured, cancelledSale, newQrSale }: ApiExamples["sales"],
  { saleId, saleErrors, createFailures }: SalePathContext,
) {
  const refundKeyDescription = [
    "Makes a retried refund safe. Send a fresh key for each refund you mean (e.g. your return's id) and the same key when you retry it after a timeout or a lost answer.",
    "A retry with the same key answers with the sale as the first request left it and never refunds twice: once that refund is done nothing more is sent to Vipps,",
    "and a refund whose outcome was unknown is retried with the amount first asked for, under the same Vipps idempotency key.",
    "A different amount with a key whose refund is done answers 409 idempotency-conflict. Keys count per sale, and the whole key counts: it is hashed into the refund's id, so two keys never share a refund however long they are.",
    "Without the header every request is a new refund.",
  ].join(" ");
  return {
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
            schema: { type: "string", minLength: 1 },
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
  };
}
