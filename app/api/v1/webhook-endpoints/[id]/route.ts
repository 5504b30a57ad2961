// DELETE /api/v1/webhook-endpoints/{id}
import { authenticate, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = route<{ id: string }>(async (request, services, { id }) => {
  await authenticate(request, services);
  await services.webhookEndpoints.remove(id);
  return new Response(null, { status: 204 });
});
