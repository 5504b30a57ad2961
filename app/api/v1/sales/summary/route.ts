// GET /api/v1/sales/summary?terminalId=&from=&to=: count and amount per state and currency.
import { authenticate, json, parseQuery, route } from "@/lib/http/api";
import { ListSalesQuerySchema } from "@/lib/sales/sale-input";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const SummaryQuerySchema = ListSalesQuerySchema.pick({ terminalId: true, from: true, to: true });

export const GET = route(async (request, services) => {
  await authenticate(request, services);
  return json(await services.reports.summary(parseQuery(request, SummaryQuerySchema)));
});
