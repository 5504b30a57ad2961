// GET /api/v1/stores/{id} and PATCH (name, MSN, currency, time zone, language, address, keys)
import { authenticate, json, readJson, route } from "@/lib/http/api";
import { StorePatchSchema } from "@/lib/contracts/stores";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authenticate(request, services);
  return json(await services.stores.get(id, who));
});

export const PATCH = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authenticate(request, services);
  return json(await services.stores.update(id, await readJson(request, StorePatchSchema), who));
});
