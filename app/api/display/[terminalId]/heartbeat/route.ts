// POST /api/display/{terminalId}/heartbeat with { "displayId", "screen" }: an open customer display
// says it is alive (display health); 204.
import { z } from "zod";
import { DISPLAY_ID } from "@/lib/display/display-presence";
import { readJson, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const HeartbeatSchema = z.strictObject({
  displayId: z.string().regex(DISPLAY_ID, "must be 8 to 64 letters, digits, - or _"),
  screen: z
    .string()
    .regex(/^[0-9]{1,5}x[0-9]{1,5}$/, 'must look like "1080x1920"')
    .optional(),
});

export const POST = route<{ terminalId: string }>(
  async (request, { displayAccess, displayPresence }, { terminalId }) => {
    const viewer = await displayAccess.viewerOrThrow(request, terminalId);
    const { displayId, screen } = await readJson(request, HeartbeatSchema);
    await displayPresence.heartbeat(terminalId, viewer, {
      displayId,
      screen: screen ?? null,
      userAgent: request.headers.get("user-agent"),
    });
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  },
);
