// POST /api/v1/terminals/{id}/sticker: makes (or renames) the terminal's sticker at Vipps, the
// merchant callback QR a customer scans at the till, and answers {merchantQrId, qrContent}.
import { audit, authorized, json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "terminals");
  await services.scope.terminal(who, id);
  const sticker = await services.stickers.create(id);
  await audit(request, services, who, "terminal.sticker", `terminal:${id}`);
  return json(sticker);
});
