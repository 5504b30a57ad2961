// GET/PUT /api/v1/terminals/{id}/closes/schedule: the time of day the terminal closes by itself, if any.
import { CloseScheduleRequestSchema } from "@/lib/contracts/closes";
import { audit, authorized, json, readJson, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "closes:read");
  await services.scope.terminal(who, id);
  return json(await services.closes.schedule(id));
});

export const PUT = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "closes");
  await services.scope.terminal(who, id);
  const { time } = await readJson(request, CloseScheduleRequestSchema);
  const schedule = await services.closes.setSchedule(id, time);
  await audit(request, services, who, "terminal.close-schedule", `terminal:${id}`, { detail: { time } });
  return json(schedule);
});
