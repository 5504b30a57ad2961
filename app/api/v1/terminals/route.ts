// GET /api/v1/terminals and POST (add a terminal: a second counter with its own display link)
import { handle, json, readJson, requireApiAccess } from "@/lib/http/api";
import { terminalView } from "@/lib/http/views";
import { getRuntime } from "@/lib/runtime";
import { TerminalCreateSchema } from "@/lib/sales/sale-input";
import { createTerminal } from "@/lib/sales/terminals";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request) => {
  await requireApiAccess(request);
  const rt = await getRuntime();
  const terminals = await rt.store.listTerminals();
  return json({ items: await Promise.all(terminals.map((terminal) => terminalView(rt, terminal))) });
});

export const POST = handle(async (request: Request) => {
  const who = await requireApiAccess(request);
  const input = await readJson(request, TerminalCreateSchema);
  const rt = await getRuntime();
  const terminal = await createTerminal(rt.store, input, new Date(rt.clock.now()).toISOString());
  rt.log.info("Terminal added", { terminalId: terminal.id, by: who });
  return json(await terminalView(rt, terminal), { status: 201, headers: { location: `/api/v1/terminals/${terminal.id}` } });
});
