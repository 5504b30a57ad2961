import "server-only";
import type { GoLiveStore } from "@/lib/contracts/go-live";
import type { Logger } from "@/lib/log";
import { MSN_PATTERN } from "@/lib/vipps/facts";
import { PARTNER_REGISTRATION } from "@/lib/webhooks/webhook-receiver";
import type { WebhookRegistrationStatus } from "@/lib/webhooks/webhook-registrar";
import type { VippsClients } from "./store-gateway";
import type { StoreService } from "./store-service";

/** How long a store's key check waits for Vipps. */
const KEY_CHECK_TIMEOUT_MS = 5_000;

/**
 * The go-live checks of each store, as its own sales unit: its MSN is set, Vipps answers a call
 * made with its keys and MSN (the webhook list: cheap, and it needs both the token and the MSN's
 * link to the keys), and the registration that delivers its events (its own, or the partner
 * registration for a store on the deployment's keys) is at Vipps.
 */
export async function storeGoLiveChecks(deps: {
  stores: Pick<StoreService, "listStores" | "unitFor">;
  clients: VippsClients;
  webhookStatuses: () => Promise<Record<string, WebhookRegistrationStatus>>;
  log: Logger;
}): Promise<GoLiveStore[]> {
  const [stores, statuses] = await Promise.all([deps.stores.listStores(), deps.webhookStatuses()]);
  return Promise.all(
    stores.map(async (store): Promise<GoLiveStore> => {
      const msnOk = MSN_PATTERN.test(store.msn);
      const keys = store.vipps ? "own" : "partner";
      const keyCheck = msnOk ? await checkKeys(deps, store) : { ok: false, detail: "No call is made without an MSN" };
      const registration = statuses[store.vipps ? store.id : PARTNER_REGISTRATION];
      const webhook = registration
        ? {
            ok: registration.registered && registration.state === "registered",
            detail: `${registration.state}: ${registration.lastError ?? registration.url}`,
          }
        : { ok: false, detail: "No registration yet for the store's keys" };
      return {
        storeId: store.id,
        name: store.name,
        msn: store.msn,
        keys,
        ok: msnOk && keyCheck.ok && webhook.ok,
        checks: {
          msn: { ok: msnOk, detail: msnOk ? store.msn : "Not set: 4 to 6 digits from the Vipps MobilePay portal" },
          keys: keyCheck,
          webhook,
        },
      };
    }),
  );
}

async function checkKeys(
  deps: Parameters<typeof storeGoLiveChecks>[0],
  store: Awaited<ReturnType<StoreService["listStores"]>>[number],
): Promise<{ ok: boolean; detail: string }> {
  const whose = store.vipps ? "the store's own keys" : "the deployment's keys";
  let timer: NodeJS.Timeout | undefined;
  try {
    const unit = deps.stores.unitFor(store);
    await Promise.race([
      deps.clients.clientFor(unit).listWebhooks(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Vipps did not answer within ${KEY_CHECK_TIMEOUT_MS} ms`)),
          KEY_CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { ok: true, detail: `Vipps answered with ${whose} for MSN ${store.msn}` };
  } catch (error) {
    deps.log.warn("A store's Vipps keys did not work for the go-live check", { storeId: store.id, err: error });
    return { ok: false, detail: error instanceof Error ? error.message.slice(0, 300) : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
