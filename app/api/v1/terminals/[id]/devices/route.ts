// GET /api/v1/terminals/{id}/devices: the displays paired with this terminal, revoked ones included.
import { authorized, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "terminals");
  await services.scope.terminal(who, id);
  return json({ items: await services.terminals.devices(id) });
});
