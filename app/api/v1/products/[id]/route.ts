// PATCH /api/v1/products/{id} and DELETE
import { authenticate, json, readJson, route } from "@/lib/http/api";
import { ProductPatchSchema } from "@/lib/contracts/catalogue";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const PATCH = route<{ id: string }>(async (request, services, { id }) => {
  await authenticate(request, services);
  return json(await services.catalogue.update(id, await readJson(request, ProductPatchSchema)));
});

export const DELETE = route<{ id: string }>(async (request, services, { id }) => {
  await authenticate(request, services);
  await services.catalogue.remove(id);
  return new Response(null, { status: 204 });
});
