// GET /api/display/{terminalId}/state: the display state, for polling when SSE is unavailable.
import { DomainError } from "@/lib/errors";
import { json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ terminalId: string }>(async (request, { displayAccess, displays }, { terminalId }) => {
  await displayAccess.authorizeOrThrow(request, terminalId);
  const state = await displays.state(terminalId);
  if (!state) throw new DomainError("notFound", `No terminal with id ${terminalId}`);
  return json(state);
});
