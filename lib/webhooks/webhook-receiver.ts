import { createHash } from "node:crypto";
import type { Clock } from "@/lib/clock";
import type { Logger } from "@/lib/log";
import type { SalesService } from "@/lib/sales/sales-service";
import type { Store } from "@/lib/store/store";
import { WebhookEventSchema } from "@/lib/vipps/schemas";
import { verifyWebhookSignature } from "@/lib/vipps/webhook-signature";

export const SETTING_WEBHOOK_SECRET = "vipps.webhook.secret";
export const SETTING_WEBHOOK_ID = "vipps.webhook.id";
export const SETTING_WEBHOOK_URL = "vipps.webhook.url";


export type WebhookOutcome =
  | { status: 200; result: "applied" | "duplicate" | "unknown-reference" | "ignored" | "other-merchant" }
  | { status: 400; reason: string }
  | { status: 401; reason: string }
  | { status: 503; reason: string };

/**
 * Takes a webhook as raw bytes: verifies the signature against the URL we registered (not the
 * URL a proxy says it forwarded), drops duplicates, and applies the event. The caller answers
 * with the returned status; only a verified, applied or harmlessly ignored event gets a 2xx.
 */
export class WebhookReceiver {
  private secretCache: { secret: string; url: URL } | undefined;

  constructor(private readonly deps: { store: Store; sales: SalesService; clock: Clock; log: Logger; msn: string }) {}

  forgetSecret(): void {
    this.secretCache = undefined;
  }

  private async registration(): Promise<{ secret: string; url: URL } | undefined> {
    if (this.secretCache) return this.secretCache;
    const [secret, url] = await Promise.all([
      this.deps.store.getSetting(SETTING_WEBHOOK_SECRET),
      this.deps.store.getSetting(SETTING_WEBHOOK_URL),
    ]);
    if (!secret || !url) return undefined;
    this.secretCache = { secret, url: new URL(url) };
    return this.secretCache;
  }

  async receive(rawBody: string, headers: { get(name: string): string | null }): Promise<WebhookOutcome> {
    const registration = await this.registration();
    if (!registration) return { status: 503, reason: "No webhook is registered yet" };
    const verification = verifyWebhookSignature({
      secret: registration.secret,
      pathAndQuery: `${registration.url.pathname}${registration.url.search}`,
      host: registration.url.host,
      headers,
      rawBody,
      nowMs: this.deps.clock.now(),
    });
    if (!verification.ok) {
      this.deps.log.warn("Rejected a webhook with a bad signature", { reason: verification.reason });
      return { status: 401, reason: verification.reason };
    }

    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      return { status: 400, reason: "Body is not JSON" };
    }
    const parsed = WebhookEventSchema.safeParse(json);
    if (!parsed.success) return { status: 400, reason: "Body is not an ePayment webhook event" };
    const event = parsed.data;
    if (event.msn !== this.deps.msn) return { status: 200, result: "other-merchant" };

    const id = createHash("sha256")
      .update([event.msn, event.reference, event.name, event.pspReference, event.timestamp, event.amount.value, event.idempotencyKey ?? ""].join("|"))
      .digest("hex");
    const receivedAt = new Date(this.deps.clock.now()).toISOString();
    const seenBefore = !(await this.deps.store.markWebhookProcessed(id, receivedAt));
    if (seenBefore) return { status: 200, result: "duplicate" };
    try {
      const result = await this.deps.sales.applyWebhookEvent(event);
      return { status: 200, result };
    } catch (error) {
      await this.deps.store.forgetWebhook(id);
      this.deps.log.error("Applying a webhook failed; Vipps will retry and the poller will catch up", { reference: event.reference, error });
      return { status: 503, reason: "Temporarily unable to apply the event" };
    }
  }
}

/** One HTTP answer for a webhook outcome, shared by the Next route and the server's fast path. */
export function webhookHttpAnswer(outcome: WebhookOutcome): { status: number; contentType: string; body: string } {
  if (outcome.status === 200) {
    return { status: 200, contentType: "application/json", body: JSON.stringify({ result: outcome.result }) };
  }
  const titles = { 400: "The webhook body is not valid", 401: "Webhook signature rejected", 503: "Temporarily unable to take the webhook" } as const;
  return {
    status: outcome.status,
    contentType: "application/problem+json",
    body: JSON.stringify({
      type: `https://kassa.display/problems/webhook-${outcome.status}`,
      title: titles[outcome.status],
      status: outcome.status,
      detail: outcome.reason,
    }),
  };
}
