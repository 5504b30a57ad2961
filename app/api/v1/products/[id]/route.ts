// PATCH /api/v1/products/{id} and DELETE
import { audit, authorized, json, readJson, route } from "@/lib/http/api";
import { ProductPatchSchema } from "@/lib/contracts/catalogue";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const PATCH = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "catalogue");
  const product = await services.catalogue.update(id, await readJson(request, ProductPatchSchema));
  await audit(request, services, who, "product.update", `product:${id}`);
  return json(product);
});

export const DELETE = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "catalogue");
  await services.catalogue.remove(id);
  await audit(request, services, who, "product.delete", `product:${id}`);
  return new Response(null, { status: 204 });
});
