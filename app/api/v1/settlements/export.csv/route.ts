// GET /api/v1/settlements/export.csv?from=&to=: the settlement export for the books (README: Settlement export).
import { SettlementsQuerySchema } from "@/lib/contracts/settlements";
import { authenticate, parseQuery, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  await authenticate(request, services);
  const { filename, body } = await services.settlements.exportCsv(parseQuery(request, SettlementsQuerySchema));
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
});
