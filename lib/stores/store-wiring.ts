import "server-only";
import type { Lease } from "@/lib/background/lease";
import type { Clock } from "@/lib/clock";
import type { AppConfig } from "@/lib/config";
import { FIRST_STORE_ID } from "@/lib/entities/retail-store";
import { DomainError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import type { SettingsService } from "@/lib/settings/settings-service";
import type { Repositories } from "@/lib/store/repositories";
import { createVippsClient, type VippsClientOptions } from "@/lib/vipps/client";
import { createMerchantQrClient } from "@/lib/vipps/qr-client";
import { PARTNER_REGISTRATION } from "@/lib/webhooks/webhook-receiver";
import { loadSecretBox } from "./secret-box";
import { StoreBranding } from "./store-branding";
import { StoreGateway, VippsClients } from "./store-gateway";
import { storeGoLiveChecks } from "./store-go-live";
import { StoreService, type VippsKeys } from "./store-service";
import { StoreWebhooks } from "./store-webhooks";

/**
 * The chain's stores wired together: the store service, a Vipps client per sales unit behind the
 * sales domain's gateway, the webhook registrations per set of keys, and, in simulator mode, the
 * embedded simulator told every store's keys. Store 1 of an upgraded (or new) database is filled in
 * from the configuration first.
 */
export async function buildStores(deps: {
  repositories: Pick<Repositories, "stores" | "sales" | "settings" | "counters">;
  config: AppConfig;
  settings: Pick<SettingsService, "seller">;
  clock: Clock;
  log: Logger;
  /** The embedded simulator (simulator mode), told every store's keys; null when Vipps is elsewhere. */
  simulator: { acceptCredentials(credentials: VippsKeys & { msn: string }): void } | null;
  registrationLease: Pick<Lease, "held" | "onAcquired">;
  /** What each sales unit's ePayment and QR API clients are made with, beside its keys. */
  vippsClientOptions: Omit<VippsClientOptions, "credentials">;
  onWebhookRegistered: () => void;
  /** A store's accent or logo changed: the displays re-read their look. */
  brandingChanged: () => Promise<void>;
  /** Told after a store is created or changed, once its webhooks follow (the settlement import reads the stores again). */
  onStoreSaved?: () => Promise<void>;
}) {
  const { repositories, config, clock, log, simulator } = deps;
  await fillFirstStore(deps);
  const partnerKeys = {
    clientId: config.vipps.clientId,
    clientSecret: config.vipps.clientSecret,
    subscriptionKey: config.vipps.subscriptionKey,
  };
  const clients = new VippsClients((credentials) => createVippsClient({ ...deps.vippsClientOptions, credentials }));
  // The QR API's calls are not kept alive: a sticker is made once per till.
  const { fetch: _keptAlive, ...qrOptions } = deps.vippsClientOptions;
  const qrClients = new VippsClients((credentials) => createMerchantQrClient({ ...qrOptions, credentials }));
  let webhooks: StoreWebhooks | undefined;
  const stores = new StoreService({
    stores: repositories.stores,
    clock,
    log,
    partnerKeys,
    branding: new StoreBranding({ settings: repositories.settings, brandingChanged: deps.brandingChanged }),
    box: loadSecretBox({ secretsKey: config.secretsKey, simulator: simulator !== null, dataDir: config.dataDir }),
    storeSaved: async (store) => {
      // The simulator accepts the store's keys (or the partner keys for its MSN) from now on.
      simulator?.acceptCredentials(stores.unitFor(store));
      await webhooks?.sync();
      await deps.onStoreSaved?.();
    },
  });
  if (simulator) for (const unit of await stores.units()) simulator.acceptCredentials(unit);
  const gateway = new StoreGateway({ sales: repositories.sales, stores, clients });
  webhooks = new StoreWebhooks({
    stores,
    clients,
    partnerKeys,
    settings: repositories.settings,
    publicUrl: config.publicUrl,
    log,
    clock,
    lease: deps.registrationLease,
    onRegistered: deps.onWebhookRegistered,
  });
  const covers = async (registration: string, msn: string): Promise<boolean> => {
    const store = await repositories.stores.getStoreByMsn(msn);
    if (!store) return false;
    return registration === PARTNER_REGISTRATION ? store.vipps === undefined : store.id === registration;
  };
  return {
    stores,
    gateway,
    webhooks,
    /** The webhook receiver's check that an event's MSN came through a registration that speaks for it. */
    covers,
    /** The QR API of a store's sales unit: a till's sticker is made under its store's MSN and keys. */
    qrOfStore: async (storeId: string | undefined) => qrClients.clientFor(await stores.unitOf(storeId)),
    /** Each store's go-live checks: its MSN, its keys at Vipps, its webhook registration. */
    goLive: () => storeGoLiveChecks({ stores, clients, webhookStatuses: () => webhooks!.statuses(), log }),
    /** Whose ledgers the settlement import reads: each store's MSN, with its own keys or the deployment's. */
    settlementAccounts: async () => (await stores.units()).map((unit) => ({ msn: unit.msn, credentials: unit })),
    /** What a new sale is stamped with: its terminal's store and that store's MSN. */
    salesUnitOf: async (storeId: string | undefined) => {
      const store = storeId ? await stores.storeOrThrow(storeId) : await stores.firstStore();
      return { storeId: store.id, msn: store.msn };
    },
    /** The store a new terminal joins; a store named that does not exist is the request's mistake. */
    storeFor: async (storeId: string | undefined) => {
      if (!storeId) return (await stores.firstStore()).id;
      const store = await repositories.stores.getStore(storeId);
      if (!store)
        throw new DomainError("validation", `There is no store with id ${storeId}`, {
          errors: [{ field: "storeId", reason: "unknown store" }],
        });
      return store.id;
    },
  };
}

/**
 * Upgrade and first start: store 1 is the migration's placeholder until it is given the sales unit
 * the environment names (VIPPS_MSN), the shop's name, address and time zone, and the first
 * terminal's currency; the sales made before stores are stamped with that MSN in the same step.
 */
export async function fillFirstStore(deps: {
  repositories: Pick<Repositories, "stores" | "counters">;
  config: AppConfig;
  settings: Pick<SettingsService, "seller">;
  clock: Clock;
  log: Logger;
}): Promise<void> {
  const first = await deps.repositories.stores.getStore(FIRST_STORE_ID);
  if (first?.msn !== "") return;
  const seller = await deps.settings.seller();
  const [terminal] = await deps.repositories.counters.listTerminals();
  const filled = await deps.repositories.stores.fillFirstStore({
    name: seller.shopName,
    msn: deps.config.vipps.msn,
    currency: terminal?.currency ?? "NOK",
    timeZone: seller.timeZone,
    language: terminal?.language ?? "nb",
    ...(seller.address ? { address: seller.address } : {}),
    ...(seller.organisationNumber ? { organisationNumber: seller.organisationNumber } : {}),
    updatedAt: new Date(deps.clock.now()).toISOString(),
  });
  if (filled) deps.log.info("Store 1 is the sales unit of VIPPS_MSN", { msn: deps.config.vipps.msn });
}
