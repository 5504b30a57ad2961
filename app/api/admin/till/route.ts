// POST /api/admin/till { label }: an owner or manager enrols this browser as a till, where cashiers
// may then sign in with their PIN.
import { z } from "zod";
import { audit, authorized, json, readJson, route } from "@/lib/http/api";
import { DomainError } from "@/lib/errors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const EnrolSchema = z.strictObject({ label: z.string().trim().min(1).max(60) });

export const POST = route(async (request, services) => {
  const who = await authorized(request, services, "terminals");
  if (who.type !== "staff") throw new DomainError("forbidden", "A till is enrolled from its own browser by staff.");
  const { label } = await readJson(request, EnrolSchema);
  const { cookie, deviceId } = await services.admin.enrolTill(who, label);
  await audit(request, services, who, "till.enrol", `till:${deviceId}`, { detail: { label } });
  return json({ deviceId, label }, { status: 201, headers: { "set-cookie": cookie } });
});
