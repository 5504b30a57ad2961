// GET /api/v1/audit?saleId=&storeId=&actor=&from=&to=: who did what, newest first (export.csv beside it: as CSV).
import { AuditQuerySchema } from "@/lib/contracts/staff";
import { authorized, json, parseQuery, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  const who = await authorized(request, services, "audit");
  const query = parseQuery(request, AuditQuerySchema);
  if (query.saleId) await services.scope.sale(who, query.saleId);
  if (query.storeId) services.scope.store(who, query.storeId);
  return json(await services.audit.list(query, who));
});
