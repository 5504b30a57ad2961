// POST /api/v1/sales: start a sale on a terminal (QR on its display). GET: list sales.
import { z } from "zod";
import { handle, idempotencyKeyOf, json, parseQuery, parseWith, readJson, requireApiAccess } from "@/lib/http/api";
import { ProblemError } from "@/lib/http/problem";
import { getRuntime } from "@/lib/runtime";
import { createSaleSchemaFor, ListSalesQuerySchema, toCreateSaleInput } from "@/lib/sales/sale-input";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = handle(async (request: Request) => {
  const source = await requireApiAccess(request);
  const idempotencyKey = idempotencyKeyOf(request);
  const raw = await readJson(request, z.unknown());
  const body = parseWith(createSaleSchemaFor(raw), raw);
  const rt = await getRuntime();
  const { sale, replayed } = await rt.sales.createSale(toCreateSaleInput(body), { source, idempotencyKey });
  return json(await rt.sales.view(sale), { status: replayed ? 200 : 201, headers: { location: `/api/v1/sales/${sale.id}` } });
});

export const GET = handle(async (request: Request) => {
  await requireApiAccess(request);
  const query = parseQuery(request, ListSalesQuerySchema);
  const rt = await getRuntime();
  try {
    const page = await rt.store.listSales(query);
    return json({ items: await Promise.all(page.items.map((sale) => rt.sales.view(sale))), nextCursor: page.nextCursor });
  } catch (error) {
    if ((error as Error).name === "InvalidCursor") {
      throw new ProblemError("validation", "cursor is not one this API returned", { errors: [{ field: "cursor", reason: "unknown cursor" }] });
    }
    throw error;
  }
});
