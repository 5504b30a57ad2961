// GET /api/display/{terminalId}/events: Server-Sent Events with the display state.
import { DISPLAY_EVENTS_HEADERS, openDisplayEvents } from "@/lib/display/display-events";
import { route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ terminalId: string }>(async (request, services, { terminalId }) => {
  const stream = await openDisplayEvents(request, terminalId, request.signal, services, (stillAuthorized, credential) =>
    services.displays.stream(terminalId, request.signal, stillAuthorized, credential),
  );
  return new Response(stream, { headers: DISPLAY_EVENTS_HEADERS });
});
