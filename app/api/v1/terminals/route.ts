// GET /api/v1/terminals and POST (add a terminal: a second counter with its own display link)
import { authenticate, json, readJson, route } from "@/lib/http/api";
import { TerminalCreateSchema } from "@/lib/contracts/terminals";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  await authenticate(request, services);
  return json({ items: await services.terminals.list() });
});

export const POST = route(async (request, services) => {
  const who = await authenticate(request, services);
  const terminal = await services.terminals.create(await readJson(request, TerminalCreateSchema), who);
  return json(terminal, { status: 201, headers: { location: `/api/v1/terminals/${terminal.id}` } });
});
