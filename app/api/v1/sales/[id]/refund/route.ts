// POST /api/v1/sales/{id}/refund with { "amount": n } (minor units; omitted = everything left)
import { authenticate, json, readJson, route } from "@/lib/http/api";
import { RefundRequestSchema } from "@/lib/contracts/sales";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  const source = await authenticate(request, services);
  // The whole key: the refund's id is a hash of it (refundIdFor), so no length is too long to tell two keys apart.
  const idempotencyKey = request.headers.get("idempotency-key") || undefined;
  const body = await readJson(request, RefundRequestSchema, { optional: true });
  return json(await services.sales.refundSale(id, body.amount, source, idempotencyKey));
});
