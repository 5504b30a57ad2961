// GET /api/display/{terminalId}/events: Server-Sent Events with the display state.
import { authorizeDisplay } from "@/lib/display/display-auth";
import { displayStateStream } from "@/lib/display/display-stream";
import { handle, type RouteParams } from "@/lib/http/api";
import { ProblemError } from "@/lib/http/problem";
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request, { params }: RouteParams<{ terminalId: string }>) => {
  const { terminalId } = await params;
  if (!(await authorizeDisplay(request, terminalId))) {
    throw new ProblemError("unauthorized", "This display is not paired with the terminal.");
  }
  const rt = await getRuntime();
  if (!(await rt.store.getTerminal(terminalId))) throw new ProblemError("notFound", `No terminal with id ${terminalId}`);
  const stream = displayStateStream({
    terminalId,
    bus: rt.bus,
    current: () => rt.sales.displayState(terminalId),
    now: () => rt.clock.now(),
    signal: request.signal,
    stillAuthorized: () => authorizeDisplay(request, terminalId),
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
