// GET /api/v1/terminals and POST (add a terminal: a second counter with its own display link)
import { principalName } from "@/lib/entities/principal";
import { audit, authorized, json, readJson, route } from "@/lib/http/api";
import { TerminalCreateSchema } from "@/lib/contracts/terminals";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  const who = await authorized(request, services, "terminals:read");
  const visible = await services.scope.terminalIds(who);
  const items = await services.terminals.list();
  return json({ items: visible ? items.filter((terminal) => visible.has(terminal.id)) : items });
});

export const POST = route(async (request, services) => {
  const who = await authorized(request, services, "terminals");
  const input = await readJson(request, TerminalCreateSchema);
  // Another store's id answers 404, as its terminals do (lib/auth/store-scope.ts).
  services.scope.storeForNew(who, input.storeId);
  const terminal = await services.terminals.create(input, principalName(who));
  await audit(request, services, who, "terminal.create", `terminal:${terminal.id}`);
  return json(terminal, { status: 201, headers: { location: `/api/v1/terminals/${terminal.id}` } });
});
