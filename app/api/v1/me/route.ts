// GET /api/v1/me: who the caller is (the admin shows and hides what the role may do; the server decides).
import { authenticate, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  return json(services.staff.me(await authenticate(request, services)));
});
