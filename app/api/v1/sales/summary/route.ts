// GET /api/v1/sales/summary?terminalId=&from=&to=: count and amount per state and currency.
import { authenticate, json, parseQuery, route } from "@/lib/http/api";
import { SalesSummaryQuerySchema } from "@/lib/contracts/sales";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  await authenticate(request, services);
  return json(await services.reports.summary(parseQuery(request, SalesSummaryQuerySchema)));
});
