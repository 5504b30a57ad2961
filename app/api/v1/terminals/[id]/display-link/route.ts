// POST /api/v1/terminals/{id}/display-link: replaces the display link's token; the old link stops
// working at once, paired displays keep working.
import { principalName } from "@/lib/entities/principal";
import { audit, authorized, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "terminals");
  await services.scope.terminal(who, id);
  const terminal = await services.terminals.replaceDisplayLink(id, principalName(who));
  await audit(request, services, who, "terminal.display-link", `terminal:${id}`);
  return json(terminal);
});
