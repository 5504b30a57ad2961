import "server-only";
import type { Clock } from "@/lib/clock";
import type { ListSalesQuery, SalesSummary } from "@/lib/contracts/sales";
import type { Sale } from "@/lib/entities/sale";
import type { Language } from "@/lib/sales/types";
import type { SalesRepository } from "@/lib/store/repositories";
import { type CsvFormat, csvPreamble, csvRow, decimalAmount, percentOfBasisPoints } from "./csv";
import { shopLocalTime } from "./local-time";

export type ReportQuery = Omit<ListSalesQuery, "cursor" | "limit" | "state"> & { state?: ListSalesQuery["state"] };

/** Excel in these languages' locales splits on ";" and reads decimal commas. */
const EXCEL_LANGUAGES: ReadonlySet<Language> = new Set(["nb", "da", "sv", "fi"]);

/** The export's layout when the request names none: what the reader's spreadsheet opens in columns. */
export const defaultCsvFormat = (language: Language): CsvFormat => (EXCEL_LANGUAGES.has(language) ? "excel" : "csv");

/**
 * One row per sale line, so that VAT can be booked per rate. The sale's own amounts (amount,
 * captured, refunded, net) are on its first line only: a column sums to the day's total.
 */
const HEADER = [
  "created_at",
  "utc_offset",
  "sale_id",
  "receipt_number",
  "terminal_id",
  "reference",
  "pos_reference",
  "operator",
  "state",
  "currency",
  "line",
  "item",
  "quantity",
  "unit_price",
  "vat_rate_percent",
  "line_base",
  "line_vat",
  "line_total",
  "amount",
  "captured",
  "refunded",
  "net",
  "description",
  "store_id",
  "msn",
];

/** Totals and exports for the shop's books. */
export class SaleReports {
  constructor(private readonly deps: { sales: SalesRepository; clock: Clock; timeZone: () => Promise<string> }) {}

  async summary(query: Omit<ReportQuery, "state">): Promise<SalesSummary> {
    return { items: await this.deps.sales.summarizeSales(query) };
  }

  /** Every matching sale as CSV, newest first, times on the shop's clock, with a file name that carries the day. */
  async exportCsv(query: ReportQuery, format: CsvFormat = "csv"): Promise<{ filename: string; body: string }> {
    const { sales } = this.deps;
    const timeZone = await this.deps.timeZone();
    let body = csvPreamble(format) + csvRow(HEADER, format);
    let cursor: string | undefined;
    do {
      const page = await sales.listSales({ ...query, cursor, limit: 200 });
      for (const sale of page.items) {
        const attempt = await sales.getAttempt(sale.currentAttemptId);
        // The store and the sales unit that took the payment close each row: a chain's books are per store.
        for (const row of saleRows(sale, attempt?.reference ?? "", timeZone))
          body += csvRow([...row, sale.storeId ?? "", sale.msn ?? ""], format);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const day = shopLocalTime(new Date(this.deps.clock.now()).toISOString(), timeZone).dateTime.slice(0, 10);
    return { filename: `kassa-sales-${day}.csv`, body };
  }
}

function saleRows(sale: Sale, reference: string, timeZone: string): unknown[][] {
  const { dateTime, offset } = shopLocalTime(sale.createdAt, timeZone);
  const head = [
    dateTime,
    offset,
    sale.id,
    sale.receiptNumber,
    sale.terminalId,
    reference,
    sale.posReference ?? "",
    sale.operator ?? "",
    sale.state,
    sale.currency,
  ];
  const totals = [
    decimalAmount(sale.amount),
    decimalAmount(sale.capturedAmount),
    decimalAmount(sale.refundedAmount),
    decimalAmount(sale.capturedAmount - sale.refundedAmount),
    sale.description,
  ];
  const noTotals = totals.map(() => "");
  // A sale made from an amount alone has no lines: one row carries it.
  if (sale.lines.length === 0) return [[...head, "", "", "", "", "", "", "", "", ...totals]];
  return sale.lines.map((line, index) => [
    ...head,
    index + 1,
    line.name,
    line.quantity,
    decimalAmount(line.unitPrice),
    percentOfBasisPoints(line.taxRate),
    decimalAmount(line.totalAmount - line.taxAmount),
    decimalAmount(line.taxAmount),
    decimalAmount(line.totalAmount),
    ...(index === 0 ? totals : noTotals),
  ]);
}
