// DELETE /api/v1/terminals/{id}/devices/{deviceId}: revokes a paired display; its cookie stops working.
import { authenticate, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = route<{ id: string; deviceId: string }>(async (request, services, { id, deviceId }) => {
  await authenticate(request, services);
  await services.terminals.revokeDevice(id, deviceId);
  return new Response(null, { status: 204 });
});
