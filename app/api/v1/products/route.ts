// GET /api/v1/products (the catalogue) and POST (add a product)
import { randomBytes } from "node:crypto";
import { handle, json, readJson, requireApiAccess } from "@/lib/http/api";
import { productView } from "@/lib/http/views";
import { getRuntime } from "@/lib/runtime";
import { ProductInputSchema } from "@/lib/sales/sale-input";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request) => {
  await requireApiAccess(request);
  const rt = await getRuntime();
  return json({ items: (await rt.store.listProducts()).map(productView) });
});

export const POST = handle(async (request: Request) => {
  await requireApiAccess(request);
  const input = await readJson(request, ProductInputSchema);
  const rt = await getRuntime();
  const now = new Date(rt.clock.now()).toISOString();
  const product = { id: `prod_${randomBytes(6).toString("hex")}`, ...input, createdAt: now, updatedAt: now };
  await rt.store.saveProduct(product);
  return json(productView(product), { status: 201 });
});
