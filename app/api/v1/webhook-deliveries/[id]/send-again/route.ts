// POST /api/v1/webhook-deliveries/{id}/send-again: send a delivery again now, whatever became of it.
import { authorized, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  await authorized(request, services, "events");
  return json(await services.webhookEndpoints.sendAgain(id));
});
