// GET /api/v1/me/sessions: the signed-in member's live sessions, this one marked current.
import { authorized, json, route } from "@/lib/http/api";
import { DomainError } from "@/lib/errors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  const who = await authorized(request, services, "me");
  if (who.type !== "staff") throw new DomainError("forbidden", "An API key has no sessions.");
  return json({ items: await services.sessions.list(who.id, who.sessionId) });
});
