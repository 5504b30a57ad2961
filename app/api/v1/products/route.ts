// GET /api/v1/products (the catalogue) and POST (add a product)
import { audit, authorized, json, readJson, route } from "@/lib/http/api";
import { ProductInputSchema } from "@/lib/contracts/catalogue";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  await authorized(request, services, "catalogue:read");
  return json({ items: await services.catalogue.list() });
});

export const POST = route(async (request, services) => {
  const who = await authorized(request, services, "catalogue");
  const product = await services.catalogue.create(await readJson(request, ProductInputSchema));
  await audit(request, services, who, "product.create", `product:${product.id}`);
  return json(product, { status: 201 });
});
