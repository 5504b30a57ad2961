// POST /api/v1/terminals/{id}/sticker: makes (or renames) the terminal's sticker at Vipps, the
// merchant callback QR a customer scans at the till, and answers {merchantQrId, qrContent}.
import { authenticate, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  await authenticate(request, services);
  return json(await services.stickers.create(id));
});
