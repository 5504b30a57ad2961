import "server-only";
import { createHash } from "node:crypto";
import { BackgroundWork } from "@/lib/background/background-work";
import type { Clock } from "@/lib/clock";
import type { Logger } from "@/lib/log";
import type { Reconciler } from "@/lib/sales/reconciler";
import { snapshotFromWebhookEvent } from "@/lib/sales/sale-state-machine";
import type { SaleTransitions } from "@/lib/sales/sale-transitions";
import type { PaymentAttempt } from "@/lib/sales/types";
import type { OperationsRepository, SalesRepository, SettingsRepository } from "@/lib/store/repositories";
import { type CheckInEvent, CheckInEventSchema } from "@/lib/vipps/qr-client";
import { type WebhookEvent, WebhookEventSchema } from "@/lib/vipps/schemas";
import { verifyWebhookSignature } from "@/lib/vipps/webhook-signature";

export const SETTING_WEBHOOK_SECRET = "vipps.webhook.secret";
export const SETTING_WEBHOOK_ID = "vipps.webhook.id";
export const SETTING_WEBHOOK_URL = "vipps.webhook.url";

/** The partner keys' registration: the one a deployment without stores of their own keys has. */
export const PARTNER_REGISTRATION = "partner";

/** Where a registration's id, secret, URL and last check are kept: the partner's where they always were. */
export function webhookSettingKeys(registration: string): { id: string; secret: string; url: string; status: string } {
  const prefix = registration === PARTNER_REGISTRATION ? "vipps.webhook" : `vipps.webhook.store.${registration}`;
  return { id: `${prefix}.id`, secret: `${prefix}.secret`, url: `${prefix}.url`, status: `${prefix}.status` };
}

/** When the reconciler asks again about a money event whose own GET has not landed by then. */
export const WEBHOOK_RECHECK_AFTER_MS = 10_000;

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
  private readonly secretCache = new Map<string, { secret: string; url: URL }>();
  private readonly background: BackgroundWork;

  constructor(
    private readonly deps: {
      sales: SalesRepository;
      /** The webhook secret. */
      settings: SettingsRepository;
      /** Which webhook ids were already processed. */
      operations: OperationsRepository;
      transitions: SaleTransitions;
      /** noteWebhook: told of every verified event of ours, so that polling backs off while they arrive. */
      reconciler: Pick<Reconciler, "reconcileAttempt"> & Partial<Pick<Reconciler, "noteWebhook">>;
      clock: Clock;
      log: Logger;
      /** The one sales unit there is, when `covers` is not given. */
      msn?: string;
      /**
       * Whether events of this MSN may come through this registration ("partner", or the store
       * whose own keys made it): a store's own keys speak for its MSN only.
       */
      covers?: (registration: string, msn: string) => Promise<boolean>;
      /** Where the GET a money event starts is tracked; its own when not given. */
      background?: BackgroundWork;
      /** A customer scanned a till's sticker (QR API `user.checked-in.v1`); ignored when not given. */
      onCheckIn?: (checkIn: CheckInEvent) => Promise<unknown>;
    },
  ) {
    this.background = deps.background ?? new BackgroundWork();
  }

  /** Resolves once the GETs that money events started in the background have ended. */
  settled(): Promise<void> {
    return this.background.settled();
  }

  forgetSecret(): void {
    this.secretCache.clear();
  }

  private async registration(name: string): Promise<{ secret: string; url: URL } | undefined> {
    const cached = this.secretCache.get(name);
    if (cached) return cached;
    const keys = webhookSettingKeys(name);
    const [secret, url] = await Promise.all([
      this.deps.settings.getSetting(keys.secret),
      this.deps.settings.getSetting(keys.url),
    ]);
    if (!secret || !url) return undefined;
    const found = { secret, url: new URL(url) };
    this.secretCache.set(name, found);
    return found;
  }

  private covers(registration: string, msn: string): Promise<boolean> {
    if (this.deps.covers) return this.deps.covers(registration, msn);
    return Promise.resolve(registration === PARTNER_REGISTRATION && msn === this.deps.msn);
  }

  /**
   * `registrationName`: which registration the delivery came through (the ?store= of its URL), the
   * partner's when none. Its secret verifies the signature; the event must be of an MSN it covers.
   */
  async receive(
    rawBody: string,
    headers: { get(name: string): string | null },
    registrationName: string = PARTNER_REGISTRATION,
  ): Promise<WebhookOutcome> {
    let registration = await this.registration(registrationName);
    if (!registration) return { status: 503, reason: "No webhook is registered yet" };
    const verify = (current: { secret: string; url: URL }) =>
      verifyWebhookSignature({
        secret: current.secret,
        pathAndQuery: `${current.url.pathname}${current.url.search}`,
        host: current.url.host,
        headers,
        rawBody,
        nowMs: this.deps.clock.now(),
      });
    let verification = verify(registration);
    if (!verification.ok) {
      // Another instance may have registered anew (a new secret) since we cached ours: read it again once.
      this.secretCache.delete(registrationName);
      registration = await this.registration(registrationName);
      if (registration) verification = verify(registration);
    }
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
    const checkIn = CheckInEventSchema.safeParse(json);
    if (checkIn.success && !(typeof json === "object" && json !== null && "reference" in json))
      return this.receiveCheckIn(checkIn.data, registrationName);
    const parsed = WebhookEventSchema.safeParse(json);
    if (!parsed.success) return { status: 400, reason: "Body is not an ePayment webhook event" };
    const event = parsed.data;
    if (!(await this.covers(registrationName, event.msn))) return { status: 200, result: "other-merchant" };
    this.deps.reconciler.noteWebhook?.();

    const id = createHash("sha256")
      .update(
        [
          event.msn,
          event.reference,
          event.name,
          event.pspReference,
          event.timestamp,
          event.amount.value,
          event.idempotencyKey ?? "",
        ].join("|"),
      )
      .digest("hex");
    const receivedAt = new Date(this.deps.clock.now()).toISOString();
    const seenBefore = !(await this.deps.operations.markWebhookProcessed(id, receivedAt));
    if (seenBefore) return { status: 200, result: "duplicate" };
    try {
      const result = await this.applyEvent(event);
      return { status: 200, result };
    } catch (error) {
      await this.deps.operations.forgetWebhook(id);
      this.deps.log.error("Applying a webhook failed; Vipps will retry and the poller will catch up", {
        reference: event.reference,
        error,
      });
      return { status: 503, reason: "Temporarily unable to apply the event" };
    }
  }

  /**
   * A check-in is answered at once and acted on in the background: handing the sale over takes
   * calls to Vipps, and Vipps wants its webhook answered in moments. A token arrives once per scan.
   */
  private async receiveCheckIn(checkIn: CheckInEvent, registrationName: string): Promise<WebhookOutcome> {
    // Like a payment's event: only of a sales unit the registration it came through covers.
    if (!(await this.covers(registrationName, checkIn.msn))) return { status: 200, result: "other-merchant" };
    const onCheckIn = this.deps.onCheckIn;
    if (!onCheckIn) return { status: 200, result: "ignored" };
    const id = createHash("sha256").update(`check-in|${checkIn.customerToken}`).digest("hex");
    const receivedAt = new Date(this.deps.clock.now()).toISOString();
    if (!(await this.deps.operations.markWebhookProcessed(id, receivedAt))) return { status: 200, result: "duplicate" };
    this.background.track(
      onCheckIn(checkIn).catch((error: unknown) =>
        this.deps.log.warn("Acting on a check-in at a till's sticker failed", {
          merchantQrId: checkIn.merchantQrId,
          err: error,
        }),
      ),
    );
    return { status: 200, result: "applied" };
  }

  /**
   * Events that carry no news for us, so the GET a money event otherwise costs is spared: CREATED
   * for an attempt whose create call we have the answer of, and CAPTURED for a sale we already hold
   * as captured in full (we only ever capture the whole amount, in one call whose answer carried
   * the totals). Anything else, a CREATED whose answer was lost included, is fetched.
   */
  private async nothingToLearn(event: WebhookEvent, attempt: PaymentAttempt): Promise<boolean> {
    if (event.name === "CREATED") return attempt.state !== "CREATING" && attempt.state !== "CREATE_FAILED";
    if (event.name !== "CAPTURED") return false;
    const sale = await this.deps.sales.getSale(attempt.saleId);
    return (
      sale !== undefined &&
      (sale.state === "captured" || sale.state === "refunded") &&
      sale.capturedAmount >= sale.amount
    );
  }

  /**
   * Applies one verified, deduplicated event. A webhook names one event; for money events the GET
   * that follows keeps aggregates exact.
   */
  async applyEvent(event: WebhookEvent): Promise<"applied" | "unknown-reference" | "ignored"> {
    const attempt = await this.deps.sales.getAttemptByReference(event.reference);
    if (!attempt) return "unknown-reference";
    // Matched by MSN and reference: the same reference under another sales unit is not this sale's payment.
    if (this.deps.covers) {
      const sale = await this.deps.sales.getSale(attempt.saleId);
      if (sale?.msn !== undefined && sale.msn !== event.msn) return "unknown-reference";
    }
    if (!event.success) {
      await this.deps.sales.appendEvent({
        saleId: attempt.saleId,
        attemptId: attempt.id,
        type: `webhook.${event.name.toLowerCase()}.unsuccessful`,
        source: "webhook",
        detail: { ...event },
      });
      return "ignored";
    }
    const snapshot = snapshotFromWebhookEvent(event);
    if (snapshot === "refresh") {
      if (await this.nothingToLearn(event, attempt)) return "applied";
      // Answered before the GET that follows: until one lands, the sale's amounts may lag behind
      // Vipps, so the reconciler keeps asking (a refund's sale is settled and otherwise never polled).
      const nowMs = this.deps.clock.now();
      await this.deps.sales.updateAttempt(attempt.id, {
        recheckSince: new Date(nowMs).toISOString(),
        nextPollAt: new Date(nowMs + WEBHOOK_RECHECK_AFTER_MS).toISOString(),
      });
      this.background.track(
        this.deps.reconciler.reconcileAttempt(attempt.id, "webhook").catch((error: unknown) =>
          this.deps.log.warn("Asking Vipps about a payment after its webhook failed; the reconciler asks again", {
            saleId: attempt.saleId,
            attemptId: attempt.id,
            reference: attempt.reference,
            err: error,
          }),
        ),
      );
      return "applied";
    }
    // AUTHORIZED arriving after a CAPTURED we already applied is harmless: the state machine only
    // lets it move a pending sale.
    // Not behind the sale's lock: a webhook must be answered in milliseconds even while a slow
    // capture call holds it, and the compare-and-set keeps the two from both winning.
    await this.deps.transitions.applySnapshot(attempt, snapshot, "webhook");
    return "applied";
  }
}
