// POST /api/v1/sales/{id}/refund with { "amount": n } (minor units; omitted = everything left)
import { handle, json, readJson, requireApiAccess, type RouteParams } from "@/lib/http/api";
import { getRuntime } from "@/lib/runtime";
import { RefundRequestSchema } from "@/lib/sales/sale-input";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = handle(async (request: Request, { params }: RouteParams<{ id: string }>) => {
  const source = await requireApiAccess(request);
  const { id } = await params;
  const idempotencyKey = request.headers.get("idempotency-key")?.slice(0, 100) || undefined;
  const body = await readJson(request, RefundRequestSchema, { optional: true });
  const rt = await getRuntime();
  return json(await rt.sales.view(await rt.sales.refundSale(id, body.amount, source, idempotencyKey)));
});
