// GET /api/v1/sales/{id}
import { handle, json, requireApiAccess, type RouteParams } from "@/lib/http/api";
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request, { params }: RouteParams<{ id: string }>) => {
  await requireApiAccess(request);
  const { id } = await params;
  const rt = await getRuntime();
  return json(await rt.sales.view(await rt.sales.getSaleOrThrow(id)));
});
