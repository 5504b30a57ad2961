import "server-only";
import type { LogoType } from "@/lib/branding/logo-format";
import type { Clock } from "@/lib/clock";
import type { StoreCreateRequest, StorePatchRequest, StoreView } from "@/lib/contracts/stores";
import { presentFields } from "@/lib/entities/present-fields";
import type { Principal } from "@/lib/entities/principal";
import { FIRST_STORE_ID, type RetailStore } from "@/lib/entities/retail-store";
import { DomainError, isStoreError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import { acceptedAccent, type DisplayBrand, type StoredLogo } from "@/lib/settings/branding-settings";
import type { StoresRepository } from "@/lib/store/repositories";
import type { SecretBox } from "./secret-box";
import type { StoreBranding } from "./store-branding";

/** The Vipps API keys a set of calls is made with. */
export interface VippsKeys {
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
}

/**
 * What a Vipps call about a store's payment is made with: the store's MSN and either its own keys
 * or the deployment's partner keys (then the MSN header says which sales unit is meant).
 */
export interface VippsUnit extends VippsKeys {
  storeId: string;
  msn: string;
  keys: "own" | "partner";
}

interface SealedKeys {
  clientSecret: string;
  subscriptionKey: string;
}

/**
 * The chain's stores: each a Vipps sales unit with its MSN and, optionally, API keys of its own,
 * sealed in the store (secret-box.ts) and never shown again. Other services ask it which unit a
 * store's Vipps calls go through (unitOf).
 */
export class StoreService {
  constructor(
    private readonly deps: {
      stores: StoresRepository;
      clock: Clock;
      log: Logger;
      /** The deployment's keys (VIPPS_CLIENT_ID …): every store without keys of its own uses them. */
      partnerKeys: VippsKeys;
      /** Seals a store's own keys; without it (no KASSA_SECRETS_KEY) stores use the partner keys only. */
      box?: SecretBox;
      /** The store's own accent and logo on its displays. */
      branding: StoreBranding;
      /** Told after a store is created or changed: the webhook registrations and the simulator follow. */
      storeSaved?: (store: RetailStore) => Promise<void>;
    },
  ) {}

  /**
   * Who may manage stores: everyone who may change the shop's settings (the POS's API key and a
   * signed-in cashier) until roles exist; this is the one place that will ask for the role.
   */
  private authorize(_by: Principal, _action: "read" | "write"): void {}

  async list(by: Principal): Promise<StoreView[]> {
    this.authorize(by, "read");
    return Promise.all((await this.deps.stores.listStores()).map((store) => this.view(store)));
  }

  async get(id: string, by: Principal): Promise<StoreView> {
    this.authorize(by, "read");
    return this.view(await this.storeOrThrow(id));
  }

  async create(input: StoreCreateRequest, by: Principal): Promise<StoreView> {
    this.authorize(by, "write");
    const now = this.now();
    const existing = await this.deps.stores.listStores();
    const id = input.id ?? nextFreeStoreId(existing.map((store) => store.id));
    const store: RetailStore = {
      id,
      name: input.name,
      msn: input.msn,
      currency: input.currency,
      timeZone: input.timeZone,
      language: input.language,
      ...presentFields({
        address: input.address,
        organisationNumber: input.organisationNumber,
        vipps: input.vipps ? this.sealKeys(id, input.vipps) : undefined,
      }),
      createdAt: now,
      updatedAt: now,
    };
    let created: boolean;
    try {
      created = await this.deps.stores.insertStore(store);
    } catch (error) {
      throw msnConflict(error, input.msn);
    }
    if (!created)
      throw new DomainError("conflict", `A store with id ${id} already exists`, {
        errors: [{ field: "id", reason: "already exists" }],
      });
    this.deps.log.info("Store added", { storeId: id, msn: store.msn, keys: store.vipps ? "own" : "partner", by });
    await this.deps.storeSaved?.(store);
    return this.view(store);
  }

  async update(id: string, patch: StorePatchRequest, by: Principal): Promise<StoreView> {
    this.authorize(by, "write");
    const current = await this.storeOrThrow(id);
    const { vipps, accentColor, ...fields } = patch;
    // Judged before anything is written: a refused colour leaves the other fields unchanged too.
    const accent = acceptedAccent(accentColor);
    const updated: RetailStore = {
      ...current,
      ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
      updatedAt: this.now(),
    };
    if (vipps === null) delete updated.vipps;
    else if (vipps !== undefined) updated.vipps = this.sealKeys(id, vipps);
    try {
      await this.deps.stores.saveStore(updated);
    } catch (error) {
      throw msnConflict(error, updated.msn);
    }
    this.deps.log.info("Store changed", { storeId: id, fields: Object.keys(patch), by });
    if (accent !== undefined) await this.deps.branding.setAccent(id, accent);
    await this.deps.storeSaved?.(updated);
    return this.view(updated);
  }

  /** Makes these bytes the store's own logo on its displays, once they prove to be a logo (lib/branding). */
  async setLogo(id: string, bytes: Uint8Array, declared: LogoType | undefined, by: Principal): Promise<StoreView> {
    this.authorize(by, "write");
    const store = await this.storeOrThrow(id);
    await this.deps.branding.setLogo(id, bytes, declared);
    return this.view(store);
  }

  async removeLogo(id: string, by: Principal): Promise<void> {
    this.authorize(by, "write");
    await this.storeOrThrow(id);
    await this.deps.branding.removeLogo(id);
  }

  /** The accent and logo a store set for its displays, to lay over the shop's. */
  displayBrand(id: string): Promise<DisplayBrand | undefined> {
    return this.deps.branding.displayBrand(id);
  }

  /** The store's own logo's bytes, for serving to its displays; undefined when it has none. */
  logo(id: string): Promise<StoredLogo | undefined> {
    return this.deps.branding.logo(id);
  }

  /** Every store, oldest first, as stored: for the services that act per store (never for an answer). */
  async listStores(): Promise<RetailStore[]> {
    return this.deps.stores.listStores();
  }

  /** The store, or a 404. */
  async storeOrThrow(id: string): Promise<RetailStore> {
    const store = await this.deps.stores.getStore(id);
    if (!store) throw new DomainError("notFound", `No store with id ${id}`);
    return store;
  }

  /** The store a terminal made without one joins: the oldest. */
  async firstStore(): Promise<RetailStore> {
    const [first] = await this.deps.stores.listStores();
    return first ?? this.storeOrThrow(FIRST_STORE_ID);
  }

  /** The keys and MSN a store's Vipps calls go through (the first store's when none is named). */
  async unitOf(storeId: string | undefined, msn?: string): Promise<VippsUnit> {
    const store = storeId ? await this.storeOrThrow(storeId) : await this.firstStore();
    return this.unitFor(store, msn);
  }

  /** Every store's unit: for the webhook registrations and for telling the simulator the keys. */
  async units(): Promise<VippsUnit[]> {
    const units: VippsUnit[] = [];
    for (const store of await this.deps.stores.listStores()) {
      if (store.msn === "") continue;
      try {
        units.push(this.unitFor(store));
      } catch (error) {
        // Its keys do not open (KASSA_SECRETS_KEY missing or changed): the other stores go on working.
        this.deps.log.error("A store's own Vipps keys cannot be opened; its sales cannot reach Vipps", {
          storeId: store.id,
          err: error,
        });
      }
    }
    return units;
  }

  unitFor(store: RetailStore, msn = store.msn): VippsUnit {
    if (!store.vipps) return { storeId: store.id, msn, keys: "partner", ...this.deps.partnerKeys };
    const box = this.deps.box;
    if (!box) throw new Error(`Store ${store.id} has keys of its own, but KASSA_SECRETS_KEY is not set to open them`);
    const sealed = JSON.parse(box.open(store.vipps.sealedSecrets, store.id)) as SealedKeys;
    return { storeId: store.id, msn, keys: "own", clientId: store.vipps.clientId, ...sealed };
  }

  private sealKeys(storeId: string, keys: VippsKeys): NonNullable<RetailStore["vipps"]> {
    const box = this.deps.box;
    if (!box)
      throw new DomainError(
        "validation",
        "A store can keep Vipps keys of its own only when KASSA_SECRETS_KEY is set; without it, leave vipps out to use the deployment's keys",
        { errors: [{ field: "vipps", reason: "KASSA_SECRETS_KEY is not set" }] },
      );
    const secrets: SealedKeys = { clientSecret: keys.clientSecret, subscriptionKey: keys.subscriptionKey };
    return { clientId: keys.clientId, sealedSecrets: box.seal(JSON.stringify(secrets), storeId) };
  }

  private async view(store: RetailStore): Promise<StoreView> {
    return {
      id: store.id,
      name: store.name,
      msn: store.msn,
      currency: store.currency,
      timeZone: store.timeZone,
      language: store.language,
      address: store.address ?? null,
      organisationNumber: store.organisationNumber ?? null,
      vipps: store.vipps
        ? { keys: "own", clientId: store.vipps.clientId, hasSecret: true }
        : { keys: "partner", clientId: this.deps.partnerKeys.clientId, hasSecret: true },
      ...(await this.deps.branding.view(store.id)),
      createdAt: store.createdAt,
      updatedAt: store.updatedAt,
    };
  }

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }
}

function nextFreeStoreId(taken: string[]): string {
  for (let n = taken.length + 1; ; n += 1) if (!taken.includes(`store-${n}`)) return `store-${n}`;
}

function msnConflict(error: unknown, msn: string): unknown {
  if (!isStoreError(error, "duplicateKey")) return error;
  return new DomainError("conflict", `Another store already has MSN ${msn}`, {
    errors: [{ field: "msn", reason: "another store has it" }],
  });
}
