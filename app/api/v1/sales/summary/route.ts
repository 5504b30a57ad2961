// GET /api/v1/sales/summary?terminalId=&from=&to=: count and amount per state and currency.
import { authorized, json, parseQuery, route } from "@/lib/http/api";
import { SalesSummaryQuerySchema } from "@/lib/contracts/sales";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  const who = await authorized(request, services, "sales:read");
  const query = await services.salesWindow.clamp(who, parseQuery(request, SalesSummaryQuerySchema));
  await services.scope.allOrTerminal(who, query.terminalId);
  return json(await services.reports.summary(query));
});
