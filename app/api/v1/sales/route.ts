// POST /api/v1/sales: start a sale on a terminal (QR on its display). GET: list sales.
import { z } from "zod";
import { eventSourceOf, principalName } from "@/lib/entities/principal";
import { audit, authorized, idempotencyKeyOf, json, parseQuery, parseWith, readJson, route } from "@/lib/http/api";
import { createSaleSchemaFor, ListSalesQuerySchema } from "@/lib/contracts/sales";
import { toCreateSaleInput } from "@/lib/sales/sale-input";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(async (request, services) => {
  const who = await authorized(request, services, "sales:write");
  const idempotencyKey = idempotencyKeyOf(request);
  const raw = await readJson(request, z.unknown());
  const body = parseWith(createSaleSchemaFor(raw), raw);
  const input = toCreateSaleInput(body);
  await services.scope.terminal(who, input.terminalId);
  const { sale, replayed } = await services.sales.createSale(input, {
    source: eventSourceOf(who),
    idempotencyKey,
    operator: principalName(who),
  });
  if (!replayed)
    await audit(request, services, who, "sale.create", `sale:${sale.id}`, {
      saleId: sale.id,
      storeId: sale.storeId,
    });
  return json(sale, { status: replayed ? 200 : 201, headers: { location: `/api/v1/sales/${sale.id}` } });
});

export const GET = route(async (request, services) => {
  const who = await authorized(request, services, "sales:read");
  const query = await services.salesWindow.clamp(who, parseQuery(request, ListSalesQuerySchema));
  await services.scope.allOrTerminal(who, query.terminalId);
  return json(await services.saleViews.list(query));
});
