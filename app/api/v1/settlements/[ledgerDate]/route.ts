// GET /api/v1/settlements/{ledgerDate}: one ledger date's reconciliation with its sales.
import { authorized, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ ledgerDate: string }>(async (request, services, { ledgerDate }) => {
  await services.scope.allOrTerminal(await authorized(request, services, "settlements"), undefined);
  return json(await services.settlements.date(ledgerDate));
});
