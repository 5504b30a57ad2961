// PATCH /api/v1/products/{id} and DELETE
import { handle, json, readJson, requireApiAccess, type RouteParams } from "@/lib/http/api";
import { ProblemError } from "@/lib/http/problem";
import { productView } from "@/lib/http/views";
import { getRuntime } from "@/lib/runtime";
import { ProductPatchSchema } from "@/lib/sales/sale-input";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const PATCH = handle(async (request: Request, { params }: RouteParams<{ id: string }>) => {
  await requireApiAccess(request);
  const patch = await readJson(request, ProductPatchSchema);
  const { id } = await params;
  const rt = await getRuntime();
  const product = await rt.store.getProduct(id);
  if (!product) throw new ProblemError("notFound", `No product with id ${id}`);
  const updated = {
    ...product,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    updatedAt: new Date(rt.clock.now()).toISOString(),
  };
  await rt.store.saveProduct(updated);
  return json(productView(updated));
});

export const DELETE = handle(async (request: Request, { params }: RouteParams<{ id: string }>) => {
  await requireApiAccess(request);
  const { id } = await params;
  const rt = await getRuntime();
  if (!(await rt.store.deleteProduct(id))) throw new ProblemError("notFound", `No product with id ${id}`);
  return new Response(null, { status: 204 });
});
