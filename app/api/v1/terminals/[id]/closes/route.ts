// POST /api/v1/terminals/{id}/closes: close the terminal's day (Z report). GET: its closes, newest first.
import { ListClosesQuerySchema } from "@/lib/contracts/closes";
import { authenticate, json, parseQuery, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  const source = await authenticate(request, services);
  const close = await services.closes.close(id, source);
  return json(close, { status: 201, headers: { location: `/api/v1/closes/${close.id}` } });
});

export const GET = route<{ id: string }>(async (request, services, { id }) => {
  await authenticate(request, services);
  return json(await services.closes.list(id, parseQuery(request, ListClosesQuerySchema)));
});
