// GET /api/v1/go-live: the Vipps MobilePay go-live checklist, each item met or not, with its evidence.
import { authorized, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  const who = await authorized(request, services, "go-live");
  return json(await services.goLive.report(who));
});
