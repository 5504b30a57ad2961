// POST /api/webhooks/vipps: signed ePayment events from Vipps MobilePay (or the simulator).
import { route } from "@/lib/http/api";
import { readBodyWithLimit } from "@/lib/http/body";
import { MAX_WEBHOOK_BYTES, webhookResponse } from "@/lib/http/webhook-answer";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(async (request, { webhooks }) => {
  // The signature covers the exact bytes, so they are read raw, with a hard cap, before any parsing.
  const raw = new TextDecoder().decode(await readBodyWithLimit(request, MAX_WEBHOOK_BYTES));
  // A store with keys of its own has a registration of its own, delivered here with ?store=<id>.
  const registration = new URL(request.url).searchParams.get("store") ?? undefined;
  return webhookResponse(await webhooks.receive(raw, request.headers, registration));
});
