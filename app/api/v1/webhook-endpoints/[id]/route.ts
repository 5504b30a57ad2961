// DELETE /api/v1/webhook-endpoints/{id}
import { audit, authorized, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "events");
  await services.webhookEndpoints.remove(id);
  await audit(request, services, who, "webhook-endpoint.delete", `webhook-endpoint:${id}`);
  return new Response(null, { status: 204 });
});
