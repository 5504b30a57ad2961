import "server-only";
import type { Lease } from "@/lib/background/lease";
import type { Clock } from "@/lib/clock";
import type { Logger } from "@/lib/log";
import type { SettingsRepository } from "@/lib/store/repositories";
import { CHECKED_IN_EVENT } from "@/lib/vipps/qr-client";
import { EPAYMENT_WEBHOOK_EVENTS } from "@/lib/vipps/schemas";
import { PARTNER_REGISTRATION, webhookSettingKeys } from "./webhook-receiver";

/** Every ePayment event type; the receiver needs them all to follow a sale to its end. */
/** Where Vipps delivers our webhooks, under the public URL; registered with Vipps at start. */
export const WEBHOOK_PATH = "/api/webhooks/vipps";

export const EPAYMENT_EVENT_TYPES: string[] = [...EPAYMENT_WEBHOOK_EVENTS];
/** What our registration subscribes to: every ePayment event, and the QR API's check-in at a till's sticker. */
export const REGISTERED_EVENT_TYPES: string[] = [...EPAYMENT_EVENT_TYPES, CHECKED_IN_EVENT];

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
export async function ensureWebhookRegistered(deps: {
  api: WebhookApi;
  settings: SettingsRepository;
  url: string;
  log: Logger;
  /** Which registration: the partner keys' (default) or a store's own keys' (its id). */
  registration?: string;
}): Promise<"kept" | "registered"> {
  const { api, settings, url, log } = deps;
  const keys = webhookSettingKeys(deps.registration ?? PARTNER_REGISTRATION);
  const [secret, id, storedUrl] = await Promise.all([
    settings.getSetting(keys.secret),
    settings.getSetting(keys.id),
    settings.getSetting(keys.url),
  ]);
  const { webhooks } = await api.listWebhooks();
  const ours = webhooks.filter((webhook) => webhook.url === url);
  const current = ours.find((webhook) => webhook.id === id);
  if (
    current &&
    secret &&
    storedUrl === url &&
    REGISTERED_EVENT_TYPES.every((event) => current.events.includes(event))
  ) {
    return "kept";
  }
  const created = await api.registerWebhook({ url, events: REGISTERED_EVENT_TYPES });
  await settings.setSetting(keys.secret, created.secret);
  await settings.setSetting(keys.id, created.id);
  await settings.setSetting(keys.url, url);
  // Our earlier registration may point at an old PUBLIC_URL (a new LAN address); Vipps caps
  // registrations per event type, so it must go too, but never someone else's.
  const previous = webhooks.find((webhook) => webhook.id === id && webhook.url !== url);
  for (const stale of previous ? [...ours, previous] : ours) {
    if (stale.id === created.id) continue;
    await api
      .deleteWebhook(stale.id)
      .catch((error) => log.warn("Could not delete a stale webhook registration", { id: stale.id, error }));
  }
  log.info("Registered the Vipps webhook", {
    url,
    id: created.id,
    registration: deps.registration ?? PARTNER_REGISTRATION,
  });
  return "registered";
}

/** Where the lease holder keeps the outcome of its last check, so that every instance can show it. */
export const SETTING_WEBHOOK_STATUS = "vipps.webhook.status";
/**
 * How often the holder of the "webhook-registration" lease checks the registration at Vipps. Vipps
 * deletes a registration whose deliveries have failed for two weeks (an outage, a wrong PUBLIC_URL),
 * and a check at start alone would never notice; hourly is cheap (one list call) and soon enough.
 */
export const WEBHOOK_CHECK_INTERVAL_MS = 60 * 60 * 1000;
/** After this many failed checks in a row the state is "failing" rather than "pending". */
const FAILURES_BEFORE_FAILING = 4;

export interface WebhookRegistrationStatus {
  /**
   * "registered": the last check found our registration at Vipps (or made it anew); "pending": no
   * check has succeeded yet; "failing": the last checks failed (polling keeps sales right meanwhile).
   */
  state: "registered" | "pending" | "failing";
  /** Our registration was at Vipps at the last successful check. */
  registered: boolean;
  url: string;
  lastCheckedAt: string | null;
  /** When a check last had to register (the first time, or because Vipps had deleted ours). */
  lastRegisteredAt: string | null;
  /** Why the last check failed; null when it succeeded. */
  lastError: string | null;
}

export interface WebhookRegistrationDeps {
  api: WebhookApi;
  settings: SettingsRepository;
  url: string;
  log: Logger;
  clock: Clock;
  /** The "webhook-registration" lease: only its holder talks to Vipps. */
  lease: Pick<Lease, "held" | "onAcquired">;
  /** Told after a check that found or made the registration, so the receiver rereads the secret. */
  onRegistered?: () => void;
  checkEveryMs?: number;
  /** The wait before the next try after `failures` failed ones in a row. */
  retryDelayMs?: (failures: number) => number;
  /** Which registration this is: the partner keys' (default) or a store's own keys' (its id). */
  registration?: string;
}

/**
 * Keeps the Vipps webhook registered, not only at start: the lease holder lists the registrations
 * at Vipps hourly, registers anew when ours is gone (ensureWebhookRegistered), and stores how that
 * went; the other instances read it from the store. Until the first check succeeds it retries
 * quickly, since the server may not be listening yet (the embedded simulator is reached over HTTP).
 */
export class WebhookRegistration {
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private running: Promise<WebhookRegistrationStatus> | undefined;
  private lastKnown: WebhookRegistrationStatus;
  private readonly keys: ReturnType<typeof webhookSettingKeys>;

  constructor(private readonly deps: WebhookRegistrationDeps) {
    this.keys = webhookSettingKeys(deps.registration ?? PARTNER_REGISTRATION);
    this.lastKnown = {
      state: "pending",
      registered: false,
      url: deps.url,
      lastCheckedAt: null,
      lastRegisteredAt: null,
      lastError: null,
    };
  }

  /** Starts checking: soon, then hourly; again at once whenever this instance takes the lease. */
  start(firstInMs = 50): void {
    this.deps.lease.onAcquired(() => this.schedule(0));
    this.schedule(firstInMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * One check. The lease holder asks Vipps and records the outcome; another instance reads what
   * the holder recorded. Concurrent calls share one check.
   */
  check(): Promise<WebhookRegistrationStatus> {
    this.running ??= (this.deps.lease.held ? this.checkAtVipps() : this.readShared()).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The registration as the last check of any instance left it. */
  async status(): Promise<WebhookRegistrationStatus> {
    try {
      const shared = parseStatus(await this.deps.settings.getSetting(this.keys.status));
      if (shared && shared.url === this.deps.url) return shared;
    } catch (error) {
      // The store is unreachable: what this instance last knew will do for a health report.
      this.deps.log.warn(
        "Could not read the webhook registration's status; answering with what this instance last knew",
        { err: error },
      );
    }
    return this.lastKnown;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    await this.check();
    const checkEveryMs = this.deps.checkEveryMs ?? WEBHOOK_CHECK_INTERVAL_MS;
    const retryDelay = this.deps.retryDelayMs ?? ((failures: number) => Math.min(30_000, 250 * 2 ** failures));
    // After a failure, try again soon (with backoff) rather than in an hour.
    this.schedule(this.failures === 0 ? checkEveryMs : retryDelay(this.failures));
  }

  private async checkAtVipps(): Promise<WebhookRegistrationStatus> {
    const { api, settings, url, log, clock } = this.deps;
    const now = new Date(clock.now()).toISOString();
    const previous = await this.status();
    let next: WebhookRegistrationStatus;
    try {
      const outcome = await ensureWebhookRegistered({ api, settings, url, log, registration: this.deps.registration });
      if (outcome === "registered" && previous.lastRegisteredAt !== null) {
        log.warn("The Vipps webhook registration was gone and has been registered again", { url });
      }
      this.failures = 0;
      next = {
        state: "registered",
        registered: true,
        url,
        lastCheckedAt: now,
        lastRegisteredAt: outcome === "registered" ? now : previous.lastRegisteredAt,
        lastError: null,
      };
    } catch (error) {
      this.failures += 1;
      const failing = this.failures >= FAILURES_BEFORE_FAILING;
      if (failing) log.warn("Webhook registration check failed; polling keeps sales correct meanwhile", { err: error });
      // One failed check does not undo a registration that was there an hour ago; a run of them does.
      const state = failing ? "failing" : previous.state === "registered" ? "registered" : "pending";
      next = { ...previous, url, state, lastCheckedAt: now, lastError: errorText(error) };
    }
    this.lastKnown = next;
    try {
      await settings.setSetting(this.keys.status, JSON.stringify(next));
    } catch (error) {
      log.warn("Could not store the webhook registration's status; other instances go on reading the last one stored", {
        err: error,
      });
    }
    if (this.failures === 0) this.deps.onRegistered?.();
    return next;
  }

  /** Not the holder: the holder's record, or (from a holder of an older version) the stored URL. */
  private async readShared(): Promise<WebhookRegistrationStatus> {
    const { settings, url } = this.deps;
    try {
      const shared = parseStatus(await settings.getSetting(this.keys.status));
      const storedUrl = await settings.getSetting(this.keys.url);
      if (shared?.url === url && shared.registered) {
        this.lastKnown = shared;
      } else if (!shared && storedUrl === url) {
        this.lastKnown = { ...this.lastKnown, state: "registered", registered: true };
      } else {
        this.failures += 1;
        const state = this.failures >= FAILURES_BEFORE_FAILING ? "failing" : "pending";
        this.lastKnown = {
          ...(shared?.url === url ? shared : this.lastKnown),
          state,
          lastError: shared?.lastError ?? "Another instance has not registered the webhook yet",
        };
        return this.lastKnown;
      }
      this.failures = 0;
      this.deps.onRegistered?.();
      return this.lastKnown;
    } catch (error) {
      this.failures += 1;
      this.lastKnown = {
        ...this.lastKnown,
        state: this.failures >= FAILURES_BEFORE_FAILING ? "failing" : "pending",
        lastError: errorText(error),
      };
      return this.lastKnown;
    }
  }
}

function parseStatus(text: string | undefined): WebhookRegistrationStatus | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as WebhookRegistrationStatus;
    return typeof value === "object" && value !== null && typeof value.url === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A short, secret-free reason: the client's errors name the operation and status, never the token. */
function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
