import {
  SettlementDateSchema,
  SettlementDateQuerySchema,
  SettlementExportQuerySchema,
  SettlementListSchema,
  SettlementsQuerySchema,
  type SettlementDateView,
  type SettlementDayView,
  type SettlementList,
} from "@/lib/contracts/settlements";
import { queryParameters } from "./components";
import { common, idParam, ok, one, problemExample, problems } from "./responses";

/** Settlement: the Report API's ledger reconciled with the sales per ledger date, and the export for the books. */
export function settlementPaths() {
  const settled: SettlementDayView = {
    ledgerDate: "2026-12-04",
    currency: "NOK",
    captured: 77724,
    refunded: 4900,
    fees: 1360,
    other: 0,
    net: 71464,
    payout: { amount: 71464, date: "2026-12-05" },
    status: "settled",
    differences: [],
  };
  const withDifference: SettlementDayView = {
    ledgerDate: "2026-12-05",
    currency: "NOK",
    captured: 25000,
    refunded: 0,
    fees: 438,
    other: 0,
    net: 24562,
    payout: { amount: 24562, date: "2026-12-06" },
    status: "differences",
    differences: [
      {
        kind: "missing-entry",
        saleId: "sale_x8Pm2WcK0aTq1Q",
        receiptNumber: "000007",
        reference: "kd-mx9rm9zz-5a1c0e77d2b4f610",
        amount: 9800,
        detail: "Sale 000007 was captured over 24 hours ago, and the ledger has no capture of it",
      },
    ],
  };
  const list = {
    items: [withDifference, settled],
    import: { lagSeconds: 42, lastImportAt: "2026-12-06T14:31:09.871Z" },
  } satisfies SettlementList;
  const date = {
    ledgerDate: "2026-12-04",
    items: [settled],
    sales: [
      {
        saleId: "sale_tCb3xdFe3lNoYw",
        receiptNumber: "000001",
        reference: "kd-mx9rm2p6-ce7b9b0f333daa52",
        currency: "NOK",
        captured: 52724,
        refunded: 4900,
        fee: 923,
        net: 46901,
      },
    ],
  } satisfies SettlementDateView;
  const badRange = problemExample("validation", "The date range is not valid", {
    errors: [{ field: "from", reason: "must be on or before to, and at most 366 days before it" }],
  });
  return {
    "/api/v1/settlements": {
      get: {
        summary:
          "Each ledger date's settlement per currency: captured, refunded, fees, net, payout, and the differences from the sales",
        parameters: queryParameters(SettlementsQuerySchema),
        responses: { ...ok(SettlementListSchema, one("Two days", list)), ...problems(badRange, common.unauthorized) },
      },
    },
    "/api/v1/settlements/{ledgerDate}": {
      get: {
        summary: "One ledger date's settlement with the sales booked on it",
        parameters: [idParam("ledgerDate", "2026-12-04", "YYYY-MM-DD"), ...queryParameters(SettlementDateQuerySchema)],
        responses: {
          ...ok(SettlementDateSchema, one("A settled day", date)),
          ...problems(
            problemExample("validation", "The ledger date is not a date", {
              errors: [{ field: "ledgerDate", reason: "must be a date as YYYY-MM-DD" }],
            }),
            common.unauthorized,
          ),
        },
      },
    },
    "/api/v1/settlements/export.csv": {
      get: {
        summary: "The settlement export for the books: sale lines with VAT and fee share, refunds, fees and payouts",
        parameters: queryParameters(SettlementExportQuerySchema),
        responses: {
          "200": {
            description:
              "CSV (RFC 4180, CRLF line ends); amounts in major units. Columns as in the README's Settlement export",
            headers: {
              "Content-Disposition": {
                description: 'attachment; filename="kassa-settlements-FROM-TO.csv"',
                schema: { type: "string" },
              },
            },
            content: {
              "text/csv": {
                schema: { type: "string" },
                examples: one(
                  "One sale, its fee and the payout",
                  [
                    '"row_type","ledger_date","payout_date","currency","sale_id","receipt_number","reference","psp_reference","entry_type","line","quantity","vat_rate_percent","base","vat","amount","fee_share"',
                    '"sale_line","2026-12-04","2026-12-05","NOK","sale_NbhJOO1JSqyewg","000002","kd-mx9rm4ah-03f827cdfbb3c9b5","3343121302","capture","Bicycle repair",1,25,200.00,50.00,250.00,4.38',
                    '"fee","2026-12-04","2026-12-05","NOK","sale_NbhJOO1JSqyewg","000002","kd-mx9rm4ah-03f827cdfbb3c9b5","3343121302","fees-retained","","","","","",-4.38,""',
                    '"payout","2026-12-04","2026-12-05","NOK","","","1","30232111","payout-scheduled","","","","","",-245.62,""',
                    "",
                  ].join("\r\n"),
                ),
              },
            },
          },
          ...problems(badRange, common.unauthorized),
        },
      },
    },
  };
}
