// POST /api/v1/terminals/{id}/pair: the cashier enters the code a display shows, binding it to this terminal.
import { z } from "zod";
import { authenticate, json, readJson, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const PairSchema = z.object({
  code: z.string().trim().min(4).max(16),
  label: z.string().trim().min(1).max(80).optional(),
});

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  await authenticate(request, services);
  const { code, label } = await readJson(request, PairSchema);
  return json(await services.displayAccess.pair(id, code, label), { status: 201 });
});
