import "server-only";
import type { Lease } from "@/lib/background/lease";
import type { Clock } from "@/lib/clock";
import type { Logger } from "@/lib/log";
import type { SettingsRepository } from "@/lib/store/repositories";
import { PARTNER_REGISTRATION } from "@/lib/webhooks/webhook-receiver";
import { WEBHOOK_PATH, WebhookRegistration, type WebhookRegistrationStatus } from "@/lib/webhooks/webhook-registrar";
import type { VippsClients } from "./store-gateway";
import type { StoreService, VippsKeys } from "./store-service";

/** How often the stores are read again for keys of their own that another instance saved. */
const SYNC_EVERY_MS = 60_000;

/**
 * The Vipps webhook registrations of a chain: one made with the partner keys and no MSN, which
 * covers every store on those keys (and stores added later), and one per store with keys of its
 * own, made with them and delivered to a URL of its own (?store=id), so the receiver knows which
 * secret signed a delivery. Each is kept registered by a WebhookRegistration under the same lease.
 */
export class StoreWebhooks {
  private readonly registrations = new Map<string, { registration: WebhookRegistration; clientId: string }>();
  private started = false;
  private syncTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      stores: Pick<StoreService, "units">;
      clients: VippsClients;
      partnerKeys: VippsKeys;
      settings: SettingsRepository;
      publicUrl: string;
      log: Logger;
      clock: Clock;
      lease: Pick<Lease, "held" | "onAcquired">;
      onRegistered: () => void;
    },
  ) {
    this.add(PARTNER_REGISTRATION, deps.partnerKeys, `${deps.publicUrl}${WEBHOOK_PATH}`);
  }

  /** Starts every registration's checks, and those of stores that get keys of their own later (sync). */
  async start(): Promise<void> {
    this.started = true;
    await this.sync();
    for (const { registration } of this.registrations.values()) registration.start();
    // A store given keys of its own on another instance gets its registration here too, soon after.
    this.syncTimer = setInterval(() => {
      this.sync().catch((error: unknown) =>
        this.deps.log.warn("Could not look for stores' own webhook registrations", { err: error }),
      );
    }, SYNC_EVERY_MS);
    this.syncTimer.unref();
  }

  /** Adds a registration for each store with keys of its own that has none yet (after a store is saved). */
  async sync(): Promise<void> {
    for (const unit of await this.deps.stores.units()) {
      if (unit.keys !== "own") continue;
      const known = this.registrations.get(unit.storeId);
      if (known?.clientId === unit.clientId) continue;
      known?.registration.stop();
      const url = `${this.deps.publicUrl}${WEBHOOK_PATH}?store=${encodeURIComponent(unit.storeId)}`;
      const registration = this.add(unit.storeId, { ...unit, msn: unit.msn }, url);
      if (this.started) registration.start();
    }
  }

  stop(): void {
    clearInterval(this.syncTimer);
    for (const { registration } of this.registrations.values()) registration.stop();
  }

  /** The partner registration's state (health, go-live): the one every deployment has. */
  status(): Promise<WebhookRegistrationStatus> {
    return this.registrations.get(PARTNER_REGISTRATION)!.registration.status();
  }

  /** Every registration's state, by store id ("partner" for the partner keys'). */
  async statuses(): Promise<Record<string, WebhookRegistrationStatus>> {
    const entries = await Promise.all(
      [...this.registrations].map(async ([name, { registration }]) => [name, await registration.status()] as const),
    );
    return Object.fromEntries(entries);
  }

  private add(name: string, keys: VippsKeys & { msn?: string }, url: string): WebhookRegistration {
    const registration = new WebhookRegistration({
      // The partner's registration is made without an MSN: it covers all of the partner's sales units.
      api: this.deps.clients.clientFor(keys),
      settings: this.deps.settings,
      url,
      log: this.deps.log,
      clock: this.deps.clock,
      lease: this.deps.lease,
      onRegistered: this.deps.onRegistered,
      registration: name,
    });
    this.registrations.set(name, { registration, clientId: keys.clientId });
    return registration;
  }
}
