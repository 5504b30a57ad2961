// POST /api/v1/sales/{id}/capture
import { handle, json, requireApiAccess, type RouteParams } from "@/lib/http/api";
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = handle(async (request: Request, { params }: RouteParams<{ id: string }>) => {
  const source = await requireApiAccess(request);
  const { id } = await params;
  const rt = await getRuntime();
  return json(await rt.sales.view(await rt.sales.captureSale(id, source)));
});
