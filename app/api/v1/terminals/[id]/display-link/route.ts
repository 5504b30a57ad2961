// POST /api/v1/terminals/{id}/display-link: replaces the display link's token; the old link stops
// working at once, paired displays keep working.
import { authenticate, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authenticate(request, services);
  return json(await services.terminals.replaceDisplayLink(id, who));
});
