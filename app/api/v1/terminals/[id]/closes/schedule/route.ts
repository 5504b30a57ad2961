// GET/PUT /api/v1/terminals/{id}/closes/schedule: the time of day the terminal closes by itself, if any.
import { CloseScheduleRequestSchema } from "@/lib/contracts/closes";
import { authenticate, json, readJson, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  await authenticate(request, services);
  return json(await services.closes.schedule(id));
});

export const PUT = route<{ id: string }>(async (request, services, { id }) => {
  await authenticate(request, services);
  const { time } = await readJson(request, CloseScheduleRequestSchema);
  return json(await services.closes.setSchedule(id, time));
});
