// GET /api/v1/go-live/evidence: everything behind the checklist as one JSON file to download.
import { authorized, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  const who = await authorized(request, services, "go-live");
  const { filename, document } = await services.goLive.evidence(who);
  return new Response(`${JSON.stringify(document, null, 2)}\n`, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
});
