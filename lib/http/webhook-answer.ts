import "server-only";
import type { WebhookOutcome } from "@/lib/webhooks/webhook-receiver";

/** Vipps' events are a few hundred bytes; 256 KiB leaves room for any future field and no more. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

/** The HTTP answer for a webhook outcome: only a verified, applied or harmlessly ignored event gets a 2xx. */
export function webhookResponse(outcome: WebhookOutcome): Response {
  const headers = { "cache-control": "no-store" };
  if (outcome.status === 200) {
    return new Response(JSON.stringify({ result: outcome.result }), {
      status: 200,
      headers: { ...headers, "content-type": "application/json" },
    });
  }
  const titles = {
    400: "The webhook body is not valid",
    401: "Webhook signature rejected",
    503: "Temporarily unable to take the webhook",
  } as const;
  const body = {
    type: `https://kassa.display/problems/webhook-${outcome.status}`,
    title: titles[outcome.status],
    status: outcome.status,
    detail: outcome.reason,
  };
  return new Response(JSON.stringify(body), {
    status: outcome.status,
    headers: { ...headers, "content-type": "application/problem+json" },
  });
}
