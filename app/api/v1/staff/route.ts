// GET /api/v1/staff: the staff the caller manages (an owner: everyone). POST: add a staff member.
import { StaffCreateSchema } from "@/lib/contracts/staff";
import { audit, authorized, json, readJson, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  const who = await authorized(request, services, "staff");
  return json(await services.staff.list(who));
});

export const POST = route(async (request, services) => {
  const who = await authorized(request, services, "staff");
  const member = await services.staff.create(who, await readJson(request, StaffCreateSchema));
  await audit(request, services, who, "staff.create", `staff:${member.username}`, { detail: { role: member.role } });
  return json(member, { status: 201, headers: { location: `/api/v1/staff/${member.id}` } });
});
