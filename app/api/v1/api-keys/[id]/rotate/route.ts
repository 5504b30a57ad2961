// POST /api/v1/api-keys/{id}/rotate: a new key in place of the old, which stops working at once.
import { audit, authorized, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "api-keys");
  const rotated = await services.apiKeys.rotate(id);
  await audit(request, services, who, "api-key.rotate", `api-key:${id}`);
  return json(rotated);
});
