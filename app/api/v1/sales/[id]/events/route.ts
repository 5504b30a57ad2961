// GET /api/v1/sales/{id}/events: the sale's audit log, oldest first.
import { authenticate, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  await authenticate(request, services);
  return json(await services.saleViews.history(id));
});
