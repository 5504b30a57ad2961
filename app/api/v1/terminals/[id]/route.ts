// GET /api/v1/terminals/{id} (with its displayUrl) and PATCH (name, posId, language, currency)
import { handle, json, readJson, requireApiAccess, type RouteParams } from "@/lib/http/api";
import { ProblemError } from "@/lib/http/problem";
import { terminalView } from "@/lib/http/views";
import { getRuntime } from "@/lib/runtime";
import { TerminalPatchSchema } from "@/lib/sales/sale-input";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function terminalOrThrow(id: string) {
  const rt = await getRuntime();
  const terminal = await rt.store.getTerminal(id);
  if (!terminal) throw new ProblemError("notFound", `No terminal with id ${id}`);
  return { rt, terminal };
}

export const GET = handle(async (request: Request, { params }: RouteParams<{ id: string }>) => {
  await requireApiAccess(request);
  const { rt, terminal } = await terminalOrThrow((await params).id);
  return json(await terminalView(rt, terminal));
});

export const PATCH = handle(async (request: Request, { params }: RouteParams<{ id: string }>) => {
  await requireApiAccess(request);
  const patch = await readJson(request, TerminalPatchSchema);
  const { rt, terminal } = await terminalOrThrow((await params).id);
  const updated = { ...terminal, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
  await rt.store.saveTerminal(updated);
  await rt.sales.publishDisplay(updated.id);
  return json(await terminalView(rt, updated));
});
