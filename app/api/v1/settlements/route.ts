// GET /api/v1/settlements?from=&to=&storeId=: each ledger date's reconciliation, per currency, newest first,
// of the caller's stores (or the one named).
import { SettlementsQuerySchema } from "@/lib/contracts/settlements";
import { authorized, json, parseQuery, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  const who = await authorized(request, services, "settlements");
  return json(await services.settlements.list(parseQuery(request, SettlementsQuerySchema), who));
});
