import { SalesExportQuerySchema, SalesSummarySchema, SalesSummaryQuerySchema } from "@/lib/contracts/sales";
import { queryParameters } from "./components";
import { common, ok, one, problemExample, problems } from "./responses";
import type { SalePathContext } from "./sale-path-context";

/** The sales in aggregate: the summary per state and currency, and the CSV export. */
export function saleReportPaths({ stateReason, fromProblem }: SalePathContext) {
  return {
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
                    '"created_at","sale_id","receipt_number","terminal_id","reference","state","currency","amount","captured","refunded","description","lines","pos_reference","store_id","msn"',
                    '"2026-12-05T10:04:04.409Z","sale_NbhJOO1JSqyewg","000002","pos-1","kd-mx9rm4ah-03f827cdfbb3c9b5","captured","NOK",250.00,250.00,0.00,"Bicycle repair","1 x Bicycle repair",""',
                    '"2026-12-05T10:00:02.346Z","sale_tCb3xdFe3lNoYw","000001","pos-1","kd-mx9rm2p6-ce7b9b0f333daa52","captured","NOK",527.24,527.24,49.00,"2 × Cappuccino, Ear buds","2 x Cappuccino; 1 x Ear buds","KV-4711"',
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
