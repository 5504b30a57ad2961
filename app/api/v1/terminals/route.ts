// GET /api/v1/terminals
import { handle, json, requireApiAccess } from "@/lib/http/api";
import { terminalView } from "@/lib/http/views";
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request) => {
  await requireApiAccess(request);
  const rt = await getRuntime();
  const terminals = await rt.store.listTerminals();
  return json({ items: await Promise.all(terminals.map((terminal) => terminalView(rt, terminal))) });
});
