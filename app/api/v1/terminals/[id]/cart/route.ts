// GET, PUT and DELETE /api/v1/terminals/{id}/cart: the live cart the customer display shows while
// the till rings items up (PUT replaces it whole; DELETE clears it and the display goes idle).
import { authorized, json, readJson, route } from "@/lib/http/api";
import { CartRequestSchema } from "@/lib/contracts/terminals";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "sales:write");
  await services.scope.terminal(who, id);
  return json({ cart: await services.carts.get(id) });
});

export const PUT = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "sales:write");
  await services.scope.terminal(who, id);
  return json(await services.carts.replace(id, await readJson(request, CartRequestSchema)));
});

export const DELETE = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "sales:write");
  await services.scope.terminal(who, id);
  await services.carts.clear(id);
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
});
