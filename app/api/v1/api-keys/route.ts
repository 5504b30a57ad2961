// GET /api/v1/api-keys (never the keys themselves) and POST (a new key, shown in this answer only).
import { ApiKeyCreateSchema } from "@/lib/contracts/staff";
import { audit, authorized, json, readJson, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  await authorized(request, services, "api-keys");
  return json(await services.apiKeys.list());
});

export const POST = route(async (request, services) => {
  const who = await authorized(request, services, "api-keys");
  const { id, key, view } = await services.apiKeys.create(await readJson(request, ApiKeyCreateSchema));
  await audit(request, services, who, "api-key.create", `api-key:${view.name}`, { detail: { scopes: view.scopes } });
  return json({ id, key }, { status: 201 });
});
