// GET /api/v1/products (the catalogue) and POST (add a product)
import { authenticate, json, readJson, route } from "@/lib/http/api";
import { ProductInputSchema } from "@/lib/contracts/catalogue";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  await authenticate(request, services);
  return json({ items: await services.catalogue.list() });
});

export const POST = route(async (request, services) => {
  await authenticate(request, services);
  return json(await services.catalogue.create(await readJson(request, ProductInputSchema)), { status: 201 });
});
