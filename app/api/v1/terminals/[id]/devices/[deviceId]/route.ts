// DELETE /api/v1/terminals/{id}/devices/{deviceId}: revokes a paired display; its cookie stops working.
import { audit, authorized, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = route<{ id: string; deviceId: string }>(async (request, services, { id, deviceId }) => {
  const who = await authorized(request, services, "terminals");
  await services.scope.terminal(who, id);
  await services.terminals.revokeDevice(id, deviceId);
  await audit(request, services, who, "terminal.unpair", `terminal:${id}`, { detail: { deviceId } });
  return new Response(null, { status: 204 });
});
