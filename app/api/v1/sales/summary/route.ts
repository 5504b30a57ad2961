// GET /api/v1/sales/summary?terminalId=&from=&to=: count and amount per state and currency.
import { handle, json, parseQuery, requireApiAccess } from "@/lib/http/api";
import { getRuntime } from "@/lib/runtime";
import { ListSalesQuerySchema } from "@/lib/sales/sale-input";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const SummaryQuerySchema = ListSalesQuerySchema.pick({ terminalId: true, from: true, to: true });

export const GET = handle(async (request: Request) => {
  await requireApiAccess(request);
  const query = parseQuery(request, SummaryQuerySchema);
  const rt = await getRuntime();
  return json({ items: await rt.store.summarizeSales(query) });
});
