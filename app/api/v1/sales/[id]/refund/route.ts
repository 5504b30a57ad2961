// POST /api/v1/sales/{id}/refund with { "amount": n } (minor units; omitted = everything left)
import { authenticate, json, readJson, route } from "@/lib/http/api";
import { RefundRequestSchema } from "@/lib/contracts/sales";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  const source = await authenticate(request, services);
  const idempotencyKey = request.headers.get("idempotency-key")?.slice(0, 100) || undefined;
  const body = await readJson(request, RefundRequestSchema, { optional: true });
  return json(await services.sales.refundSale(id, body.amount, source, idempotencyKey));
});
