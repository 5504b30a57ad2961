// GET /api/v1/settlements?from=&to=: each ledger date's reconciliation, per currency, newest first.
import { SettlementsQuerySchema } from "@/lib/contracts/settlements";
import { authorized, json, parseQuery, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  // Settlements are the deployment's, not yet a store's: only who may see every store sees them.
  await services.scope.allOrTerminal(await authorized(request, services, "settlements"), undefined);
  return json(await services.settlements.list(parseQuery(request, SettlementsQuerySchema)));
});
