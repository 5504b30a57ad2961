// GET /api/v1/stores and POST (add a store: a Vipps sales unit with its MSN and, optionally, its own keys)
import { canAccessStore } from "@/lib/entities/principal";
import { audit, authorized, json, readJson, route } from "@/lib/http/api";
import { StoreCreateSchema } from "@/lib/contracts/stores";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  const who = await authorized(request, services, "terminals:read");
  const items = await services.stores.list(who);
  return json({ items: items.filter((store) => canAccessStore(who, store.id)) });
});

export const POST = route(async (request, services) => {
  const who = await authorized(request, services, "stores");
  const store = await services.stores.create(await readJson(request, StoreCreateSchema), who);
  await audit(request, services, who, "store.create", `store:${store.id}`);
  return json(store, { status: 201, headers: { location: `/api/v1/stores/${store.id}` } });
});
