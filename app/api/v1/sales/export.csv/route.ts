// GET /api/v1/sales/export.csv?terminalId=&state=&from=&to=&format=csv|excel: every matching sale as CSV,
// one row per sale line.
import { SalesExportQuerySchema } from "@/lib/contracts/sales";
import { authorized, parseQuery, route } from "@/lib/http/api";
import { readCookie } from "@/lib/auth/admin-session";
import { ADMIN_LANGUAGE_COOKIE, adminLanguage } from "@/lib/i18n/admin-language";
import { defaultCsvFormat } from "@/lib/reports/sale-reports";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  const who = await authorized(request, services, "sales:read");
  const { format, ...asked } = parseQuery(request, SalesExportQuerySchema);
  const query = await services.salesWindow.clamp(who, asked);
  await services.scope.allOrTerminal(who, query.terminalId);
  const language = adminLanguage(
    readCookie(request.headers.get("cookie"), ADMIN_LANGUAGE_COOKIE),
    request.headers.get("accept-language"),
  );
  const { filename, body } = await services.reports.exportCsv(query, format ?? defaultCsvFormat(language));
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
});
