// POST /api/v1/sales/{id}/refund with { "amount": n } (minor units; omitted = everything left)
import { eventSourceOf } from "@/lib/entities/principal";
import { audit, authenticate, json, readJson, route } from "@/lib/http/api";
import { RefundRequestSchema } from "@/lib/contracts/sales";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authenticate(request, services);
  // The whole key: the refund's id is a hash of it (refundIdFor), so no length is too long to tell two keys apart.
  const idempotencyKey = request.headers.get("idempotency-key") || undefined;
  const body = await readJson(request, RefundRequestSchema, { optional: true });
  // A cashier's refund goes through only with a manager's approval given on the spot.
  const approvedBy = await services.refundApproval.check(who, id, body.approval);
  const sale = await services.sales.refundSale(id, body.amount, eventSourceOf(who), idempotencyKey);
  await audit(request, services, who, "sale.refund", `sale:${id}`, {
    saleId: id,
    storeId: sale.storeId,
    detail: { amount: body.amount ?? null, ...(approvedBy ? { approvedBy } : {}) },
  });
  return json(sale);
});
