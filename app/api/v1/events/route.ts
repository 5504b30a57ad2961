// GET /api/v1/events?after=…&limit=…&wait=…: the POS's events in commit order, the same ids as the webhooks.
import { authorized, json, parseQuery, route } from "@/lib/http/api";
import { EventFeedQuerySchema } from "@/lib/contracts/pos-events";
import { shutdownSignal } from "@/lib/http/shutdown";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  await authorized(request, services, "events");
  const query = parseQuery(request, EventFeedQuerySchema);
  // A waiting call ends early when its client goes away or the server shuts down.
  return json(await services.posEvents.feed(query, AbortSignal.any([request.signal, shutdownSignal()])));
});
