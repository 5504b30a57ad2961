// GET /api/display/{terminalId}/events: Server-Sent Events with the display state.
import { DomainError } from "@/lib/errors";
import { route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ terminalId: string }>(async (request, { displayAccess, displays, displayPresence }, { terminalId }) => {
  const viewer = await displayAccess.viewerOrThrow(request, terminalId);
  // Asked again at every heartbeat: a replaced link or an unpaired device ends the open stream.
  const stream = await displays.stream(terminalId, request.signal, () => displayAccess.authorize(request, terminalId));
  if (!stream) throw new DomainError("notFound", `No terminal with id ${terminalId}`);
  // Display health: this display is online while its stream is open and its heartbeats come.
  const query = new URL(request.url).searchParams;
  const gone = await displayPresence.streamOpened(terminalId, viewer, { displayId: query.get("display"), screen: query.get("screen"), userAgent: request.headers.get("user-agent") });
  if (request.signal.aborted) gone();
  else request.signal.addEventListener("abort", gone, { once: true });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
