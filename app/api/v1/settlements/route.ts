// GET /api/v1/settlements?from=&to=: each ledger date's reconciliation, per currency, newest first.
import { SettlementsQuerySchema } from "@/lib/contracts/settlements";
import { authenticate, json, parseQuery, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  await authenticate(request, services);
  return json(await services.settlements.list(parseQuery(request, SettlementsQuerySchema)));
});
