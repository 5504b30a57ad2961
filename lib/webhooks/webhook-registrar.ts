import "server-only";
import type { Logger } from "@/lib/log";
import type { Store } from "@/lib/store/store";
import { EPAYMENT_WEBHOOK_EVENTS } from "@/lib/vipps/schemas";
import { SETTING_WEBHOOK_ID, SETTING_WEBHOOK_SECRET, SETTING_WEBHOOK_URL } from "./webhook-receiver";

/** Every ePayment event type; the receiver needs them all to follow a sale to its end. */
export const EPAYMENT_EVENT_TYPES: string[] = [...EPAYMENT_WEBHOOK_EVENTS];

export interface WebhookApi {
  registerWebhook(body: { url: string; events: string[] }): Promise<{ id: string; secret: string }>;
  listWebhooks(): Promise<{ webhooks: { id: string; url: string; events: string[] }[] }>;
  deleteWebhook(id: string): Promise<void>;
}

/**
 * Makes sure exactly one registration points at our webhook URL and that we hold its secret.
 * Vipps shows the secret only when registering, so a registration whose secret we lost (a wiped
 * data dir) is replaced: register the new one first, then delete the old, as Vipps advises.
 */
export async function ensureWebhookRegistered(deps: { api: WebhookApi; store: Store; url: string; log: Logger }): Promise<"kept" | "registered"> {
  const { api, store, url, log } = deps;
  const [secret, id, storedUrl] = await Promise.all([
    store.getSetting(SETTING_WEBHOOK_SECRET),
    store.getSetting(SETTING_WEBHOOK_ID),
    store.getSetting(SETTING_WEBHOOK_URL),
  ]);
  const { webhooks } = await api.listWebhooks();
  const ours = webhooks.filter((webhook) => webhook.url === url);
  const current = ours.find((webhook) => webhook.id === id);
  if (current && secret && storedUrl === url && EPAYMENT_EVENT_TYPES.every((event) => current.events.includes(event))) {
    return "kept";
  }
  const created = await api.registerWebhook({ url, events: EPAYMENT_EVENT_TYPES });
  await store.setSetting(SETTING_WEBHOOK_SECRET, created.secret);
  await store.setSetting(SETTING_WEBHOOK_ID, created.id);
  await store.setSetting(SETTING_WEBHOOK_URL, url);
  // Our earlier registration may point at an old PUBLIC_URL (a new LAN address); Vipps caps
  // registrations per event type, so it must go too, but never someone else's.
  const previous = webhooks.find((webhook) => webhook.id === id && webhook.url !== url);
  for (const stale of previous ? [...ours, previous] : ours) {
    if (stale.id === created.id) continue;
    await api.deleteWebhook(stale.id).catch((error) => log.warn("Could not delete a stale webhook registration", { id: stale.id, error }));
  }
  log.info("Registered the Vipps webhook", { url, id: created.id });
  return "registered";
}
