// POST /api/v1/terminals/{id}/pair: the cashier enters the code a display shows, binding it to this terminal.
import { audit, authorized, json, readJson, route } from "@/lib/http/api";
import { PairRequestSchema } from "@/lib/contracts/terminals";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "terminals");
  await services.scope.terminal(who, id);
  const { code, label } = await readJson(request, PairRequestSchema);
  const paired = await services.displayAccess.pair(id, code, label);
  await audit(request, services, who, "terminal.pair", `terminal:${id}`);
  return json(paired, { status: 201 });
});
