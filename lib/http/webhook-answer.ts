import "server-only";
import type { WebhookOutcome } from "@/lib/webhooks/webhook-receiver";

/** Vipps' events are a few hundred bytes; 256 KiB leaves room for any future field and no more. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

/** Where Vipps delivers our webhooks, under the public URL; registered with Vipps at start. */
export const WEBHOOK_PATH = "/api/webhooks/vipps";

export interface WebhookAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The HTTP answer for a webhook outcome, the same whichever way the request came in (see
 * webhook-listener.ts): only a verified, applied or harmlessly ignored event gets a 2xx.
 */
export function webhookAnswer(outcome: WebhookOutcome): WebhookAnswer {
  const headers = { "cache-control": "no-store" };
  if (outcome.status === 200) {
    return { status: 200, headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ result: outcome.result }) };
  }
  const titles = { 400: "The webhook body is not valid", 401: "Webhook signature rejected", 503: "Temporarily unable to take the webhook" } as const;
  const body = { type: `https://kassa.display/problems/webhook-${outcome.status}`, title: titles[outcome.status], status: outcome.status, detail: outcome.reason };
  return { status: outcome.status, headers: { ...headers, "content-type": "application/problem+json" }, body: JSON.stringify(body) };
}

/** webhookAnswer as a fetch Response, for the route handler. */
export function webhookResponse(outcome: WebhookOutcome): Response {
  const { status, headers, body } = webhookAnswer(outcome);
  return new Response(body, { status, headers });
}
