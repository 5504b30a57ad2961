// POST /api/v1/terminals/{id}/closes: close the terminal's day (Z report). GET: its closes, newest first.
import { ListClosesQuerySchema } from "@/lib/contracts/closes";
import { eventSourceOf } from "@/lib/entities/principal";
import { audit, authorized, json, parseQuery, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "closes");
  await services.scope.terminal(who, id);
  const close = await services.closes.close(id, eventSourceOf(who));
  await audit(request, services, who, "terminal.close", `close:${close.id}`);
  return json(close, { status: 201, headers: { location: `/api/v1/closes/${close.id}` } });
});

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "closes:read");
  await services.scope.terminal(who, id);
  return json(await services.closes.list(id, parseQuery(request, ListClosesQuerySchema)));
});
