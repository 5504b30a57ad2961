// POST /api/v1/sales/{id}/capture
import { eventSourceOf } from "@/lib/entities/principal";
import { audit, authorized, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "sales:write");
  await services.scope.sale(who, id);
  const sale = await services.sales.captureSale(id, eventSourceOf(who));
  await audit(request, services, who, "sale.capture", `sale:${id}`, { saleId: id, storeId: sale.storeId });
  return json(sale);
});
