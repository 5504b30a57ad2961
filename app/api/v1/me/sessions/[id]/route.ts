// DELETE /api/v1/me/sessions/{id}: ends one of the member's own sessions (this one too: a sign-out).
import { audit, authorized, noContent, route } from "@/lib/http/api";
import { DomainError } from "@/lib/errors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "me");
  if (who.type !== "staff") throw new DomainError("forbidden", "An API key has no sessions.");
  await services.sessions.end(who.id, id);
  await audit(request, services, who, "session.end", `session:${id}`);
  return noContent();
});
