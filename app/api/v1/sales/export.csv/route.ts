// GET /api/v1/sales/export.csv?terminalId=&state=&from=&to=: every matching sale as CSV.
import { handle, parseQuery, requireApiAccess } from "@/lib/http/api";
import { csvRow, decimalAmount } from "@/lib/http/csv";
import { getRuntime } from "@/lib/runtime";
import { ListSalesQuerySchema } from "@/lib/sales/sale-input";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const ExportQuerySchema = ListSalesQuerySchema.omit({ cursor: true, limit: true });

export const GET = handle(async (request: Request) => {
  await requireApiAccess(request);
  const query = parseQuery(request, ExportQuerySchema);
  const rt = await getRuntime();
  let body = csvRow(["created_at", "sale_id", "receipt_number", "terminal_id", "reference", "state", "currency", "amount", "captured", "refunded", "description", "lines"]);
  let cursor: string | undefined;
  do {
    const page = await rt.store.listSales({ ...query, cursor, limit: 200 });
    for (const sale of page.items) {
      const attempt = await rt.store.getAttempt(sale.currentAttemptId);
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
      ]);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const day = new Date(rt.clock.now()).toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="kassa-sales-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
});
