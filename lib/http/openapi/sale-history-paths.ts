import { SaleHistorySchema } from "@/lib/contracts/sales";
import type { ApiExamples } from "./examples";
import { common, ok, one, problems } from "./responses";
import type { SalePathContext } from "./sale-path-context";

/** A sale's audit log: its events, its Vipps payments and its refunds. */
export function saleHistoryPaths({ pendingSale }: ApiExamples["sales"], { saleId }: SalePathContext) {
  return {
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
  };
}
