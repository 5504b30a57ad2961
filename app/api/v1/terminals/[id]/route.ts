// GET /api/v1/terminals/{id} (with its displayUrl) and PATCH (name, posId, language, currency)
import { authenticate, json, readJson, route } from "@/lib/http/api";
import { TerminalPatchSchema } from "@/lib/contracts/terminals";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  await authenticate(request, services);
  return json(await services.terminals.get(id));
});

export const PATCH = route<{ id: string }>(async (request, services, { id }) => {
  await authenticate(request, services);
  return json(await services.terminals.update(id, await readJson(request, TerminalPatchSchema)));
});
