// POST /api/webhooks/vipps: signed ePayment events from Vipps MobilePay (or the simulator).
import { json } from "@/lib/http/api";
import { problem } from "@/lib/http/problem";
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const rt = await getRuntime();
  // The signature covers the exact bytes, so read text before any parsing.
  const rawBody = await request.text();
  const outcome = await rt.webhooks.receive(rawBody, request.headers);
  switch (outcome.status) {
    case 200:
      return json({ result: outcome.result });
    case 401:
      return problem("unauthorized", `Webhook signature rejected: ${outcome.reason}`);
    case 400:
      return problem("validation", outcome.reason);
    default:
      return problem("paymentProviderUnavailable", outcome.reason);
  }
}
