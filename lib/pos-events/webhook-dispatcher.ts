import "server-only";
import { Webhook } from "standardwebhooks";
import type { Lease } from "@/lib/background/lease";
import type { Clock } from "@/lib/clock";
import type { WebhookDelivery } from "@/lib/entities/pos-event";
import type { Logger } from "@/lib/log";
import type { PosEventsRepository } from "@/lib/store/repositories";
import type { PosEvents } from "./pos-events";
import { nextAttemptAt, RETRY_SCHEDULE, type RetrySchedule } from "./retry-schedule";
import { guardedLookup, type UrlPolicy, urlFormProblem } from "./url-safety";
import { sendWebhook, type WebhookSend } from "./webhook-sender";

/** An endpoint that has not answered within this long has failed this try. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Deliveries under way at once, each to another sale or endpoint. */
const CONCURRENCY = 8;

/**
 * Sends the POS's webhooks from the outbox: at least once, in order per sale and endpoint, from one
 * instance at a time (where `lease` is held; another takes over within the lease's 10 s when it
 * dies, and sends again what the dead one may have sent: same webhook-id, so the POS drops copies).
 *
 * Each tick: makes each endpoint's deliveries of the new events (fanOut), then sends what is due,
 * each event's data rendered when it is first sent (PosEvents.withData). Only the oldest pending
 * delivery of a sale to an endpoint is ever due, so a later event waits for the earlier one,
 * through all its retries.
 *
 * Without endpoints there is nothing to do: a tick then lists the endpoints and stops, and a new
 * event does not even start one (most shops have no endpoint, and every sale change rings). The
 * count that decides this is the last tick's, made again at once when an endpoint is added or
 * removed on any instance (PosEvents.endpointsChanged) and every second by the timer anyway, so
 * an endpoint's first events wait a second at most should that ring be lost.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private readonly inFlight = new Set<string>();
  private readonly sending = new Set<Promise<void>>();
  /** How many endpoints the last tick found; undefined before the first and after a change. */
  private endpointCount: number | undefined;

  constructor(
    private readonly deps: {
      events: PosEventsRepository;
      posEvents: PosEvents;
      lease: Pick<Lease, "held">;
      clock: Clock;
      log: Logger;
      policy: UrlPolicy;
      send?: WebhookSend;
      schedule?: RetrySchedule;
      timeoutMs?: number;
      tickMs?: number;
    },
  ) {}

  start(): void {
    if (this.timer) return;
    this.deps.posEvents.onEvent(() => {
      if (this.endpointCount !== 0) this.kick();
    });
    this.deps.posEvents.onEndpointsChanged(() => {
      this.endpointCount = undefined;
      this.kick();
    });
    this.timer = setInterval(() => this.kick(), this.deps.tickMs ?? 1_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.idle();
  }

  /** Runs a tick soon; one that is running runs once more after it. */
  kick(): void {
    void this.tick().catch((error: unknown) => this.deps.log.warn("A webhook dispatch tick failed", { err: error }));
  }

  /** Until the running tick and every delivery it started are done (tests). */
  async idle(): Promise<void> {
    while (this.running || this.sending.size > 0) {
      await this.running;
      await Promise.all(this.sending);
    }
  }

  async tick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async () => {
      do {
        this.again = false;
        if (this.deps.lease.held) await this.work();
      } while (this.again);
    };
    // Cleared in a callback of its own: a run that ends at once must not clear it before it is set.
    this.running = run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async work(): Promise<void> {
    const { events, clock } = this.deps;
    const endpoints = await events.listEndpoints();
    this.endpointCount = endpoints.length;
    // Deliveries go with their endpoint (deleteEndpoint), so none are due either.
    if (endpoints.length === 0) return;
    const createdAt = new Date(clock.now()).toISOString();
    for (const endpoint of endpoints) while ((await events.fanOut(endpoint.id, createdAt, 500)) === 500) {}
    const due = await events.dueDeliveries(clock.now(), 100);
    for (const delivery of due) {
      const key = `${delivery.endpointId} ${delivery.subject}`;
      if (this.inFlight.has(key)) continue;
      if (this.sending.size >= CONCURRENCY) await Promise.race(this.sending);
      this.inFlight.add(key);
      const sent = this.deliver(delivery)
        .catch((error: unknown) =>
          this.deps.log.warn("A webhook delivery could not be recorded; it is tried again", {
            endpointId: delivery.endpointId,
            eventId: delivery.eventId,
            err: error,
          }),
        )
        .finally(() => {
          this.inFlight.delete(key);
          this.sending.delete(sent);
          // The sale's next event may be due now.
          this.again = true;
          if (!this.running) this.kick();
        });
      this.sending.add(sent);
    }
  }

  private async deliver(delivery: WebhookDelivery): Promise<void> {
    const { events, posEvents, clock, log, policy } = this.deps;
    const endpoint = await events.getEndpoint(delivery.endpointId);
    if (!endpoint) return;
    const [event] = await posEvents.withData(await events.listPosEvents(delivery.eventSeq - 1, 1));
    if (!event || event.seq !== delivery.eventSeq) return;
    const body = JSON.stringify({ type: event.type, timestamp: event.createdAt, data: event.data });
    const attemptedAt = clock.now();
    const problem = urlFormProblem(endpoint.url, policy);
    const result = problem
      ? { error: `url ${problem}` }
      : await (this.deps.send ?? sendWebhook)({
          url: endpoint.url,
          headers: {
            "webhook-id": event.id,
            "webhook-timestamp": String(Math.floor(attemptedAt / 1000)),
            "webhook-signature": new Webhook(endpoint.secret).sign(event.id, new Date(attemptedAt), body),
            "user-agent": "Kassa-Display-Webhooks/1",
          },
          body,
          timeoutMs: this.deps.timeoutMs ?? DELIVERY_TIMEOUT_MS,
          lookup: guardedLookup(policy),
        });
    const delivered = result.status !== undefined && result.status >= 200 && result.status < 300;
    const attempts = delivery.attempts + 1;
    const firstAt = delivery.firstAttemptAt ? Date.parse(delivery.firstAttemptAt) : attemptedAt;
    const next = delivered
      ? undefined
      : nextAttemptAt(attempts, firstAt, attemptedAt, this.deps.schedule ?? RETRY_SCHEDULE);
    await events.recordAttempt(delivery.endpointId, delivery.eventSeq, {
      attemptedAt: new Date(attemptedAt).toISOString(),
      delivered,
      ...(result.status !== undefined ? { status: result.status } : {}),
      ...(result.error ? { error: result.error } : {}),
      ...(result.response ? { response: result.response } : {}),
      ...(next !== undefined ? { nextAttemptAtMs: next } : {}),
    });
    const fields = { endpointId: endpoint.id, eventId: event.id, type: event.type, attempts, status: result.status };
    if (delivered) log.debug("Webhook delivered", fields);
    else if (next === undefined) log.warn("Webhook delivery failed for good", { ...fields, error: result.error });
    else
      log.info("Webhook delivery failed; trying again", {
        ...fields,
        error: result.error,
        nextAttemptAt: new Date(next).toISOString(),
      });
  }
}
