// GET /api/v1/sales/export.csv?terminalId=&state=&from=&to=: every matching sale as CSV.
import { authenticate, parseQuery, route } from "@/lib/http/api";
import { SalesExportQuerySchema } from "@/lib/contracts/sales";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  await authenticate(request, services);
  const { filename, body } = await services.reports.exportCsv(parseQuery(request, SalesExportQuerySchema));
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
});
