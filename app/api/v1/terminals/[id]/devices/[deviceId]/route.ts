// DELETE /api/v1/terminals/{id}/devices/{deviceId}: revokes a paired display; its cookie stops working.
import { handle, requireApiAccess, type RouteParams } from "@/lib/http/api";
import { ProblemError } from "@/lib/http/problem";
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = handle(async (request: Request, { params }: RouteParams<{ id: string; deviceId: string }>) => {
  await requireApiAccess(request);
  const { id, deviceId } = await params;
  const rt = await getRuntime();
  // Only through its own terminal: a device id from another terminal is as unknown as a made-up one.
  const device = (await rt.store.listDevices(id)).find((candidate) => candidate.id === deviceId);
  if (!device) throw new ProblemError("notFound", `No paired display ${deviceId} on terminal ${id}`);
  await rt.store.revokeDevice(device.id, new Date(rt.clock.now()).toISOString());
  rt.log.info("Display revoked", { terminalId: id, deviceId });
  return new Response(null, { status: 204 });
});
