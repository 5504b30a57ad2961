// GET /api/v1/sales/{id}/events: the sale's audit log, oldest first.
import { handle, json, requireApiAccess, type RouteParams } from "@/lib/http/api";
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request, { params }: RouteParams<{ id: string }>) => {
  await requireApiAccess(request);
  const { id } = await params;
  const rt = await getRuntime();
  await rt.sales.getSaleOrThrow(id);
  const [events, attempts, refunds] = await Promise.all([rt.store.listEvents(id), rt.store.listAttempts(id), rt.store.listRefunds(id)]);
  return json({
    items: events.map(({ saleId: _saleId, ...event }) => event),
    attempts: attempts.map((a) => ({ id: a.id, reference: a.reference, state: a.state, createdAt: a.createdAt, expiresAt: a.expiresAt, pollCount: a.pollCount })),
    refunds,
  });
});
