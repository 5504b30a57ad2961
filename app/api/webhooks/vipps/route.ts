// POST /api/webhooks/vipps: signed ePayment events from Vipps MobilePay (or the simulator).
import { route } from "@/lib/http/api";
import { readBodyWithLimit } from "@/lib/http/body";
import { MAX_WEBHOOK_BYTES, webhookResponse } from "@/lib/http/webhook-answer";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(async (request, { webhooks }) => {
  // The signature covers the exact bytes, so they are read raw, with a hard cap, before any parsing.
  const raw = new TextDecoder().decode(await readBodyWithLimit(request, MAX_WEBHOOK_BYTES));
  return webhookResponse(await webhooks.receive(raw, request.headers));
});
