// GET /api/v1/stores and POST (add a store: a Vipps sales unit with its MSN and, optionally, its own keys)
import { authenticate, json, readJson, route } from "@/lib/http/api";
import { StoreCreateSchema } from "@/lib/contracts/stores";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  const who = await authenticate(request, services);
  return json({ items: await services.stores.list(who) });
});

export const POST = route(async (request, services) => {
  const who = await authenticate(request, services);
  const store = await services.stores.create(await readJson(request, StoreCreateSchema), who);
  return json(store, { status: 201, headers: { location: `/api/v1/stores/${store.id}` } });
});
