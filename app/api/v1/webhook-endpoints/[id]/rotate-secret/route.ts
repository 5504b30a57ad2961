// POST /api/v1/webhook-endpoints/{id}/rotate-secret: a new signing secret, shown in this answer only.
import { authenticate, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  await authenticate(request, services);
  return json(await services.webhookEndpoints.rotateSecret(id));
});
