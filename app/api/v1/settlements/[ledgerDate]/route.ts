// GET /api/v1/settlements/{ledgerDate}?storeId=: one ledger date's reconciliation with its sales, of the caller's stores.
import { SettlementDateQuerySchema } from "@/lib/contracts/settlements";
import { authorized, json, parseQuery, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ ledgerDate: string }>(async (request, services, { ledgerDate }) => {
  const who = await authorized(request, services, "settlements");
  const { storeId } = parseQuery(request, SettlementDateQuerySchema);
  return json(await services.settlements.date(ledgerDate, who, storeId));
});
