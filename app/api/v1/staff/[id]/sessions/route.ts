// GET /api/v1/staff/{id}/sessions: a member's live sessions (owner only). DELETE: ends all of them.
import { audit, authorized, json, noContent, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "staff:sessions");
  const member = await services.staff.get(who, id);
  return json({ items: await services.sessions.list(member.id, who.type === "staff" ? who.sessionId : undefined) });
});

export const DELETE = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "staff:sessions");
  const member = await services.staff.get(who, id);
  await services.sessions.endOthers(member.id);
  await audit(request, services, who, "staff.sessions-ended", `staff:${member.username}`);
  return noContent();
});
