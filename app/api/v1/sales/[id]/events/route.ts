// GET /api/v1/sales/{id}/events: the sale's audit log, oldest first.
import { authorized, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "sales:read");
  await services.scope.sale(who, id);
  return json(await services.saleViews.history(id));
});
