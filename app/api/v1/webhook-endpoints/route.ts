// POST /api/v1/webhook-endpoints: add a POS webhook endpoint (its secret is in this answer only). GET: list them.
import { authenticate, json, readJson, route } from "@/lib/http/api";
import { WebhookEndpointInputSchema } from "@/lib/contracts/pos-events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(async (request, services) => {
  await authenticate(request, services);
  const endpoint = await services.webhookEndpoints.create(await readJson(request, WebhookEndpointInputSchema));
  return json(endpoint, { status: 201, headers: { location: `/api/v1/webhook-endpoints/${endpoint.id}` } });
});

export const GET = route(async (request, services) => {
  await authenticate(request, services);
  return json(await services.webhookEndpoints.list());
});
