// DELETE /api/v1/api-keys/{id}: revokes the key; its next request gets 401.
import { audit, authorized, noContent, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "api-keys");
  const key = await services.apiKeys.revoke(id);
  await audit(request, services, who, "api-key.revoke", `api-key:${key.name}`);
  return noContent();
});
