// GET /api/v1/terminals/{id}/devices: the displays paired to this terminal, revoked ones included.
import { handle, json, requireApiAccess, type RouteParams } from "@/lib/http/api";
import { ProblemError } from "@/lib/http/problem";
import { deviceView } from "@/lib/http/views";
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request, { params }: RouteParams<{ id: string }>) => {
  await requireApiAccess(request);
  const { id } = await params;
  const rt = await getRuntime();
  if (!(await rt.store.getTerminal(id))) throw new ProblemError("notFound", `No terminal with id ${id}`);
  const devices = await rt.store.listDevices(id);
  return json({ items: devices.map(deviceView) });
});
