// POST /api/v1/sales: start a sale on a terminal (QR on its display). GET: list sales.
import { z } from "zod";
import { authenticate, idempotencyKeyOf, json, parseQuery, parseWith, readJson, route } from "@/lib/http/api";
import { createSaleSchemaFor, ListSalesQuerySchema } from "@/lib/contracts/sales";
import { toCreateSaleInput } from "@/lib/sales/sale-input";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(async (request, services) => {
  const source = await authenticate(request, services);
  const idempotencyKey = idempotencyKeyOf(request);
  const raw = await readJson(request, z.unknown());
  const body = parseWith(createSaleSchemaFor(raw), raw);
  const { sale, replayed } = await services.sales.createSale(toCreateSaleInput(body), { source, idempotencyKey });
  return json(sale, { status: replayed ? 200 : 201, headers: { location: `/api/v1/sales/${sale.id}` } });
});

export const GET = route(async (request, services) => {
  await authenticate(request, services);
  return json(await services.saleViews.list(parseQuery(request, ListSalesQuerySchema)));
});
