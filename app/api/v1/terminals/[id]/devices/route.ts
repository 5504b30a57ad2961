// GET /api/v1/terminals/{id}/devices: the displays paired with this terminal, revoked ones included.
import { authenticate, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  await authenticate(request, services);
  return json({ items: await services.terminals.devices(id) });
});
