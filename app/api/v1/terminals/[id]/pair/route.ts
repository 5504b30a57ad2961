// POST /api/v1/terminals/{id}/pair: the cashier enters the code a display shows, binding it to this terminal.
import { authenticate, json, readJson, route } from "@/lib/http/api";
import { PairRequestSchema } from "@/lib/contracts/terminals";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  await authenticate(request, services);
  const { code, label } = await readJson(request, PairRequestSchema);
  return json(await services.displayAccess.pair(id, code, label), { status: 201 });
});
