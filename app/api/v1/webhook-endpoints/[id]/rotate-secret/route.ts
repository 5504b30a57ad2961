// POST /api/v1/webhook-endpoints/{id}/rotate-secret: a new signing secret, shown in this answer only.
import { audit, authorized, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "events");
  const rotated = await services.webhookEndpoints.rotateSecret(id);
  await audit(request, services, who, "webhook-endpoint.rotate-secret", `webhook-endpoint:${id}`);
  return json(rotated);
});
