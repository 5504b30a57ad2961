// POST /api/v1/terminals/{id}/display-link: replaces the display link's token. The old link stops
// opening the display at once (display-auth reads the token from the store on every request, and
// open streams re-check at their next heartbeat). Paired displays keep working: their device
// cookie is not the link token.
import { handle, json, requireApiAccess, type RouteParams } from "@/lib/http/api";
import { ProblemError } from "@/lib/http/problem";
import { terminalView } from "@/lib/http/views";
import { getRuntime } from "@/lib/runtime";
import { newDisplayToken } from "@/lib/sales/terminals";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = handle(async (request: Request, { params }: RouteParams<{ id: string }>) => {
  const who = await requireApiAccess(request);
  const { id } = await params;
  const rt = await getRuntime();
  const token = newDisplayToken();
  if (!(await rt.store.setDisplayToken(id, token))) throw new ProblemError("notFound", `No terminal with id ${id}`);
  const terminal = await rt.store.getTerminal(id);
  if (!terminal) throw new ProblemError("notFound", `No terminal with id ${id}`);
  rt.log.info("Display link replaced", { terminalId: id, by: who });
  return json(await terminalView(rt, terminal));
});
