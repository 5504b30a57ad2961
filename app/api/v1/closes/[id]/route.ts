// GET /api/v1/closes/{id}: one close. GET /api/v1/closes/{id}.csv: the same as CSV.
import { authorized, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "closes:read");
  const closeId = id.endsWith(".csv") ? id.slice(0, -".csv".length) : id;
  const close = await services.closes.get(closeId);
  await services.scope.terminal(who, close.terminalId, `No close with id ${closeId}`);
  if (!id.endsWith(".csv")) return json(close);
  const { filename, body } = await services.closes.csv(closeId);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
});
