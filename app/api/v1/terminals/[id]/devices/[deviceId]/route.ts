// PATCH /api/v1/terminals/{id}/devices/{deviceId}: renames a paired display.
// DELETE: revokes it; its cookie stops working.
import { DeviceRenameSchema } from "@/lib/contracts/terminals";
import { audit, authorized, json, readJson, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const PATCH = route<{ id: string; deviceId: string }>(async (request, services, { id, deviceId }) => {
  const who = await authorized(request, services, "terminals");
  await services.scope.terminal(who, id);
  const device = await services.terminals.renameDevice(id, deviceId, await readJson(request, DeviceRenameSchema));
  await audit(request, services, who, "terminal.rename-display", `terminal:${id}`, {
    detail: { deviceId, label: device.label },
  });
  return json(device);
});

export const DELETE = route<{ id: string; deviceId: string }>(async (request, services, { id, deviceId }) => {
  const who = await authorized(request, services, "terminals");
  await services.scope.terminal(who, id);
  await services.terminals.revokeDevice(id, deviceId);
  await audit(request, services, who, "terminal.unpair", `terminal:${id}`, { detail: { deviceId } });
  return new Response(null, { status: 204 });
});
