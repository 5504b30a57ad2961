// POST /api/webhooks/vipps: signed ePayment events from Vipps MobilePay (or the simulator).
// `npm start` answers this path before Next routes it (scripts/server.mjs); both call the same
// runtime.receiveWebhook, so this handler serves `next dev` and other hosts with identical results.
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const rt = await getRuntime();
  // The signature covers the exact bytes, so read text before any parsing.
  const answer = await rt.receiveWebhook(await request.text(), request.headers);
  return new Response(answer.body, { status: answer.status, headers: { "content-type": answer.contentType } });
}
