// GET /api/v1/closes/{id}: one close. GET /api/v1/closes/{id}.csv: the same as CSV.
import { authenticate, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  await authenticate(request, services);
  if (!id.endsWith(".csv")) return json(await services.closes.get(id));
  const { filename, body } = await services.closes.csv(id.slice(0, -".csv".length));
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
});
