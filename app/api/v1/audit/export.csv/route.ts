// GET /api/v1/audit/export.csv?saleId=&storeId=&actor=&from=&to=: the audit as CSV.
import { AuditQuerySchema } from "@/lib/contracts/staff";
import { authorized, parseQuery, route } from "@/lib/http/api";
import { csvResponse } from "@/lib/http/csv-response";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  const who = await authorized(request, services, "audit");
  const query = parseQuery(request, AuditQuerySchema);
  if (query.saleId) await services.scope.sale(who, query.saleId);
  if (query.storeId) services.scope.store(who, query.storeId);
  return csvResponse(await services.audit.csv(query, who));
});
