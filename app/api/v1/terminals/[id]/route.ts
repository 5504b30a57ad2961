// GET /api/v1/terminals/{id} (with its displayUrl) and PATCH (name, posId, language, currency)
import { audit, authorized, json, readJson, route } from "@/lib/http/api";
import { TerminalPatchSchema } from "@/lib/contracts/terminals";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "terminals:read");
  await services.scope.terminal(who, id);
  return json(await services.terminals.get(id));
});

export const PATCH = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "terminals");
  await services.scope.terminal(who, id);
  const terminal = await services.terminals.update(id, await readJson(request, TerminalPatchSchema));
  await audit(request, services, who, "terminal.update", `terminal:${id}`);
  return json(terminal);
});
