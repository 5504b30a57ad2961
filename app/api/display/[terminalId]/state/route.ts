// GET /api/display/{terminalId}/state: the display state, for polling when SSE is unavailable.
import { authorizeDisplay } from "@/lib/display/display-auth";
import { handle, json, type RouteParams } from "@/lib/http/api";
import { ProblemError } from "@/lib/http/problem";
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request, { params }: RouteParams<{ terminalId: string }>) => {
  const { terminalId } = await params;
  if (!(await authorizeDisplay(request, terminalId))) {
    throw new ProblemError("unauthorized", "This display is not paired with the terminal. Open its display link or pair it from the admin page.");
  }
  const state = await (await getRuntime()).sales.displayState(terminalId);
  if (!state) throw new ProblemError("notFound", `No terminal with id ${terminalId}`);
  return json(state);
});
