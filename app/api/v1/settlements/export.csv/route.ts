// GET /api/v1/settlements/export.csv?from=&to=&storeId=&format=csv|excel: the settlement export for the books
// (README: Settlement export).
import { readCookie } from "@/lib/auth/admin-session";
import { SettlementExportQuerySchema } from "@/lib/contracts/settlements";
import { authorized, parseQuery, route } from "@/lib/http/api";
import { ADMIN_LANGUAGE_COOKIE, adminLanguage } from "@/lib/i18n/admin-language";
import { defaultCsvFormat } from "@/lib/reports/sale-reports";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  const who = await authorized(request, services, "settlements");
  const { format, ...query } = parseQuery(request, SettlementExportQuerySchema);
  const language = adminLanguage(
    readCookie(request.headers.get("cookie"), ADMIN_LANGUAGE_COOKIE),
    request.headers.get("accept-language"),
  );
  const { filename, body } = await services.settlements.exportCsv(query, who, format ?? defaultCsvFormat(language));
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
});
