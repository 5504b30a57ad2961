// POST /api/v1/sales/{id}/new-qr
import { authenticate, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  const source = await authenticate(request, services);
  return json(await services.sales.newQrForSale(id, source));
});
