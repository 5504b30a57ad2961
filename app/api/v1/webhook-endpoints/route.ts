// POST /api/v1/webhook-endpoints: add a POS webhook endpoint (its secret is in this answer only). GET: list them.
import { audit, authorized, json, readJson, route } from "@/lib/http/api";
import { WebhookEndpointInputSchema } from "@/lib/contracts/pos-events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(async (request, services) => {
  const who = await authorized(request, services, "events");
  const endpoint = await services.webhookEndpoints.create(await readJson(request, WebhookEndpointInputSchema));
  await audit(request, services, who, "webhook-endpoint.create", `webhook-endpoint:${endpoint.id}`);
  return json(endpoint, { status: 201, headers: { location: `/api/v1/webhook-endpoints/${endpoint.id}` } });
});

export const GET = route(async (request, services) => {
  await authorized(request, services, "events");
  return json(await services.webhookEndpoints.list());
});
