// GET /api/v1/terminals/{id}/closes/preview: the X report, what a close now would hold, without closing.
import { authorized, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "closes:read");
  await services.scope.terminal(who, id);
  return json(await services.closes.preview(id));
});
