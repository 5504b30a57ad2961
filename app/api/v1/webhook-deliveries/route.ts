// GET /api/v1/webhook-deliveries: the newest deliveries to the POS's webhook endpoints, with their tries.
import { authorized, json, parseQuery, route } from "@/lib/http/api";
import { WebhookDeliveriesQuerySchema } from "@/lib/contracts/pos-events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  await authorized(request, services, "events");
  return json(await services.webhookEndpoints.deliveries(parseQuery(request, WebhookDeliveriesQuerySchema)));
});
