import "server-only";
import type { Clock } from "@/lib/clock";
import type { ListSalesQuery, SalesSummary } from "@/lib/contracts/sales";
import type { SalesRepository } from "@/lib/store/repositories";
import { csvRow, decimalAmount } from "./csv";

export type ReportQuery = Omit<ListSalesQuery, "cursor" | "limit" | "state"> & { state?: ListSalesQuery["state"] };

/** Totals and exports for the shop's books. */
export class SaleReports {
  constructor(private readonly deps: { sales: SalesRepository; clock: Clock }) {}

  async summary(query: Omit<ReportQuery, "state">): Promise<SalesSummary> {
    return { items: await this.deps.sales.summarizeSales(query) };
  }

  /** Every matching sale as CSV, newest first, with a file name that carries the day. */
  async exportCsv(query: ReportQuery): Promise<{ filename: string; body: string }> {
    const { sales } = this.deps;
    let body = csvRow(["created_at", "sale_id", "receipt_number", "terminal_id", "reference", "state", "currency", "amount", "captured", "refunded", "description", "lines", "pos_reference"]);
    let cursor: string | undefined;
    do {
      const page = await sales.listSales({ ...query, cursor, limit: 200 });
      for (const sale of page.items) {
        const attempt = await sales.getAttempt(sale.currentAttemptId);
        body += csvRow([
          sale.createdAt,
          sale.id,
          sale.receiptNumber,
          sale.terminalId,
          attempt?.reference ?? "",
          sale.state,
          sale.currency,
          decimalAmount(sale.amount),
          decimalAmount(sale.capturedAmount),
          decimalAmount(sale.refundedAmount),
          sale.description,
          sale.lines.map((line) => `${line.quantity} x ${line.name}`).join("; "),
          sale.posReference ?? "",
        ]);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const day = new Date(this.deps.clock.now()).toISOString().slice(0, 10);
    return { filename: `kassa-sales-${day}.csv`, body };
  }
}
