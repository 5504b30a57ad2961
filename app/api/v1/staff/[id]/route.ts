// GET, PATCH and DELETE /api/v1/staff/{id}. A new password or role ends the member's other sessions;
// a new PIN also unlocks a locked one.
import { StaffPatchSchema } from "@/lib/contracts/staff";
import { audit, authorized, json, noContent, readJson, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "staff");
  return json(await services.staff.get(who, id));
});

export const PATCH = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "staff");
  const patch = await readJson(request, StaffPatchSchema);
  const member = await services.staff.update(who, id, patch);
  // Which fields changed, never their values: no password or PIN in the audit.
  await audit(request, services, who, "staff.update", `staff:${member.username}`, {
    detail: { fields: Object.keys(patch) },
  });
  return json(member);
});

export const DELETE = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "staff");
  const member = await services.staff.remove(who, id);
  await audit(request, services, who, "staff.delete", `staff:${member.username}`);
  return noContent();
});
