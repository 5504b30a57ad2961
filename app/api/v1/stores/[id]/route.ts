// GET /api/v1/stores/{id} and PATCH (name, MSN, currency, time zone, language, address, keys)
import { audit, authorized, json, readJson, route } from "@/lib/http/api";
import { StorePatchSchema } from "@/lib/contracts/stores";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "terminals:read");
  services.scope.store(who, id);
  return json(await services.stores.get(id, who));
});

export const PATCH = route<{ id: string }>(async (request, services, { id }) => {
  // A manager changes their own store's settings; an owner any store's.
  const who = await authorized(request, services, "settings");
  services.scope.store(who, id);
  const store = await services.stores.update(id, await readJson(request, StorePatchSchema), who);
  await audit(request, services, who, "store.update", `store:${id}`);
  return json(store);
});
