/**
 * Simulated Webhooks API v1 and the delivery side of it.
 *
 * Every ePayment event is written to a persisted outbox (sim_deliveries) in the same transaction as
 * the state change that caused it, one row per subscribed registration. A worker sends the rows:
 * - signed exactly like Vipps MobilePay does (lib/vipps/webhook-signature.ts), re-signed per attempt;
 * - strictly in order per (registration, payment): a later event waits until the earlier one succeeded
 *   (or was given up on), except a delivery held back by the "reorder" fault, which lets the later
 *   events of its payment overtake it;
 * - retried with exponential backoff on a non-2xx answer, a redirect or a network error. The backoff
 *   starts at 1 s and is capped at 30 s here so that local development recovers quickly; the real
 *   service retries with longer intervals for up to 7 days. After 7 days (by the simulator clock)
 *   a delivery is given up and marked "dropped", as Vipps does.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Clock } from "../clock";
import type { WebhookEvent } from "../vipps/schemas";
import { signWebhookRequest } from "../vipps/webhook-signature";
import type { SimulatorLog } from "./settings";
import type { FaultStore } from "./faults";
import { ProblemError, PROBLEM_TYPES, badRequest } from "./http";
import type { Db, DeliveryRow, DeliveryStatus, EventName, WebhookRow } from "./store";
import { validateRegisterRequest } from "./webhook-registration-input";

// Exported from here as before: index.ts re-exports EPAYMENT_EVENT_TYPES as the simulator's API.
export { EPAYMENT_EVENT_TYPES, isLocalNetworkHost } from "./webhook-registration-input";

export const eventTypeOf = (name: EventName): string => `epayments.payment.${name.toLowerCase()}.v1`;

/** The documented limit: "At most 5 webhooks can currently be registered per event". */
export const MAX_WEBHOOKS_PER_EVENT = 5;
const INITIAL_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 30_000;
export const GIVE_UP_AFTER_MS = 7 * 24 * 60 * 60 * 1000;
const REQUEST_TIMEOUT_MS = 10_000;
const LEASE_MS = 60_000;

export interface DeliveryView {
  id: number;
  registrationId: string;
  url: string;
  eventName: string;
  eventType: string;
  reference: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  headers: Record<string, string>;
  body: string;
}

export class WebhookService {
  /**
   * Deliveries held back by the "reorder" fault: they block nothing behind them. In memory only; a
   * restarted simulator sends them in order again.
   */
  private readonly outOfOrder = new Set<number>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly fetchImpl: typeof fetch,
    private readonly faults: FaultStore,
    private readonly log: SimulatorLog,
    /** The scopes of the keys an MSN is linked to: their registrations without an MSN get its events too. */
    private readonly scopesOf: (msn: string) => string[] = () => [],
  ) {}

  // ---- Webhooks API ------------------------------------------------------------------------------

  register(msn: string, raw: unknown, bodyPresent: boolean): { id: string; secret: string } {
    const { url, events } = validateRegisterRequest(raw, bodyPresent);

    return this.db
      .transaction(() => {
        const existing = this.db.prepare("SELECT events_json FROM sim_webhooks WHERE msn = ?").all(msn) as {
          events_json: string;
        }[];
        for (const event of events) {
          const count = existing.filter((row) => (JSON.parse(row.events_json) as string[]).includes(event)).length;
          if (count >= MAX_WEBHOOKS_PER_EVENT) {
            throw badRequest(`At most ${MAX_WEBHOOKS_PER_EVENT} webhooks can be registered per event.`, [
              { name: "events", reason: `${event} already has ${count} registrations; delete one first.` },
            ]);
          }
        }
        const id = randomUUID();
        const secret = randomBytes(48).toString("base64");
        this.db
          .prepare("INSERT INTO sim_webhooks (id, msn, url, events_json, secret, created_at) VALUES (?, ?, ?, ?, ?, ?)")
          .run(id, msn, url, JSON.stringify(events), secret, this.clock.now());
        this.log("info", "webhook registered", { id, url, events });
        return { id, secret };
      })
      .immediate();
  }

  list(msn: string): { webhooks: { id: string; url: string; events: string[] }[] } {
    const rows = this.db
      .prepare("SELECT * FROM sim_webhooks WHERE msn = ? ORDER BY created_at, id")
      .all(msn) as WebhookRow[];
    return {
      webhooks: rows.map((row) => ({ id: row.id, url: row.url, events: JSON.parse(row.events_json) as string[] })),
    };
  }

  remove(msn: string, id: string): void {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
      throw badRequest("The webhook id must be a UUID.", [{ name: "id", reason: "The value is not a valid UUID." }]);
    }
    this.db
      .transaction(() => {
        const result = this.db.prepare("DELETE FROM sim_webhooks WHERE id = ? AND msn = ?").run(id.toLowerCase(), msn);
        if (result.changes === 0)
          throw new ProblemError(404, PROBLEM_TYPES.notFound, "Not Found", `No webhook with id ${id}.`);
        this.db
          .prepare(
            "UPDATE sim_deliveries SET status = 'dropped', last_error = 'webhook registration deleted', lease_until = NULL WHERE webhook_id = ? AND status IN ('pending', 'failing')",
          )
          .run(id.toLowerCase());
      })
      .immediate();
    this.log("info", "webhook deleted", { id });
  }

  // ---- Outbox ------------------------------------------------------------------------------------

  /** Must run inside the transaction that recorded the event. */
  enqueue(event: WebhookEvent, eventId: number): void {
    this.enqueueDeliveries(
      event.msn,
      eventTypeOf(event.name),
      event.name,
      event.reference,
      eventId,
      JSON.stringify(event),
    );
  }

  /**
   * An event of another API (the QR API's check-in), delivered like the ePayment ones; `subject`
   * orders its deliveries as a payment's reference does. Must run inside the transaction that made it.
   */
  enqueueOther(msn: string, type: string, name: string, subject: string, body: string): void {
    this.enqueueDeliveries(msn, type, name, subject, 0, body);
  }

  private enqueueDeliveries(
    msn: string,
    type: string,
    name: string,
    reference: string,
    eventId: number,
    body: string,
  ): void {
    // Registrations made with the keys the MSN is linked to, and no MSN, get its events too.
    const owners = [msn, ...this.scopesOf(msn)];
    const hooks = (
      this.db
        .prepare(
          `SELECT * FROM sim_webhooks WHERE msn IN (${owners.map(() => "?").join(", ")}) ORDER BY created_at, id`,
        )
        .all(...owners) as WebhookRow[]
    ).filter((hook) => (JSON.parse(hook.events_json) as string[]).includes(type));
    if (hooks.length === 0) return;
    const now = this.clock.now();
    const insert = this.db.prepare(
      `INSERT INTO sim_deliveries (webhook_id, msn, url, event_type, event_name, reference, event_id, body, headers_json, status,
         attempts, last_error, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
    );
    for (const hook of hooks) {
      const headers = JSON.stringify(this.signedHeaders(hook.secret, hook.url, body, now));
      const fault = this.faults.rollWebhookFault();
      const dropped = fault?.mode === "drop";
      const heldUntil = fault?.mode === "reorder" ? now + fault.delayMs : now;
      // A duplicate is a second outbox row: signed, retried and ordered like any other delivery.
      for (let copy = fault?.mode === "duplicate" ? 2 : 1; copy > 0; copy--) {
        const row = insert.run(
          hook.id,
          msn,
          hook.url,
          type,
          name,
          reference,
          eventId,
          body,
          headers,
          dropped ? "dropped" : "pending",
          dropped ? "dropped by fault injection (mode=drop)" : null,
          heldUntil,
          now,
        );
        if (fault?.mode === "reorder") this.outOfOrder.add(Number(row.lastInsertRowid));
      }
    }
  }

  private signedHeaders(secret: string, url: string, body: string, nowMs: number): Record<string, string> {
    return {
      "content-type": "application/json; charset=utf-8",
      ...signWebhookRequest({ secret, url, body, date: new Date(nowMs) }),
    };
  }

  // ---- Inspection --------------------------------------------------------------------------------

  listDeliveries(reference?: string): DeliveryView[] {
    const rows = (
      reference
        ? this.db.prepare("SELECT * FROM sim_deliveries WHERE reference = ? ORDER BY id").all(reference)
        : this.db.prepare("SELECT * FROM sim_deliveries ORDER BY id").all()
    ) as DeliveryRow[];
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return rows.map((row) => ({
      id: row.id,
      registrationId: row.webhook_id,
      url: row.url,
      eventName: row.event_name,
      eventType: row.event_type,
      reference: row.reference,
      status: row.status,
      attempts: row.attempts,
      lastStatusCode: row.last_status_code,
      lastError: row.last_error,
      nextAttemptAt: row.status === "pending" || row.status === "failing" ? iso(row.next_attempt_at) : null,
      createdAt: new Date(row.created_at).toISOString(),
      deliveredAt: iso(row.delivered_at),
      headers: JSON.parse(row.headers_json) as Record<string, string>,
      body: row.body,
    }));
  }

  // ---- Delivery worker ---------------------------------------------------------------------------

  /**
   * The oldest open delivery of every (registration, payment) group, if it is due and not leased;
   * a delivery held back out of order is a group of its own.
   */
  private dueHeads(now: number): DeliveryRow[] {
    const open = this.db
      .prepare("SELECT * FROM sim_deliveries WHERE status IN ('pending', 'failing') ORDER BY id")
      .all() as DeliveryRow[];
    const started = new Set<string>();
    const heads: DeliveryRow[] = [];
    for (const row of open) {
      if (!this.outOfOrder.has(row.id)) {
        const group = JSON.stringify([row.webhook_id, row.msn, row.reference]);
        if (started.has(group)) continue;
        started.add(group);
      }
      if (row.next_attempt_at <= now && (row.lease_until === null || row.lease_until <= now)) heads.push(row);
    }
    // Forget held deliveries once they are no longer open (delivered, dropped, or never committed).
    const openIds = new Set(open.map((row) => row.id));
    for (const id of this.outOfOrder) if (!openIds.has(id)) this.outOfOrder.delete(id);
    return heads;
  }

  /** Attempts every due delivery; loops so that a success unblocks the next event of the same payment. */
  async deliverDue(control: { stopped: () => boolean; sleep: (ms: number) => Promise<void> }): Promise<void> {
    for (let round = 0; round < 100 && !control.stopped(); round++) {
      const heads = this.dueHeads(this.clock.now());
      if (heads.length === 0) return;
      await Promise.all(heads.map((delivery) => this.attempt(delivery, control)));
    }
  }

  private markDropped(id: number, reason: string): void {
    this.db
      .prepare("UPDATE sim_deliveries SET status = 'dropped', last_error = ?, lease_until = NULL WHERE id = ?")
      .run(reason, id);
  }

  private async attempt(
    delivery: DeliveryRow,
    control: { stopped: () => boolean; sleep: (ms: number) => Promise<void> },
  ): Promise<void> {
    const faults = this.faults.webhookFaults();
    // An unconditional drop also catches deliveries queued or retrying from before it was set; a
    // partial rate was already rolled once per delivery when it was queued.
    if (faults.mode === "drop" && (faults.rate ?? 1) >= 1) {
      this.markDropped(delivery.id, "dropped by fault injection (mode=drop)");
      this.log("info", "webhook delivery dropped (fault injection)", {
        id: delivery.id,
        event: delivery.event_type,
        reference: delivery.reference,
      });
      return;
    }
    const leaseNow = this.clock.now();
    const claimed = this.db
      .prepare(
        "UPDATE sim_deliveries SET lease_until = ? WHERE id = ? AND status IN ('pending', 'failing') AND (lease_until IS NULL OR lease_until <= ?)",
      )
      .run(leaseNow + LEASE_MS, delivery.id, leaseNow);
    if (claimed.changes === 0) return;

    const delay = faults.mode === "delay" ? this.faults.rollWebhookFault() : undefined;
    if (delay?.mode === "delay" && delay.delayMs > 0) await control.sleep(delay.delayMs);
    if (control.stopped()) {
      this.db.prepare("UPDATE sim_deliveries SET lease_until = NULL WHERE id = ?").run(delivery.id);
      return;
    }
    const hook = this.db.prepare("SELECT * FROM sim_webhooks WHERE id = ?").get(delivery.webhook_id) as
      | WebhookRow
      | undefined;
    if (!hook) {
      this.markDropped(delivery.id, "webhook registration deleted");
      return;
    }

    const sentAt = this.clock.now();
    const headers = this.signedHeaders(hook.secret, delivery.url, delivery.body, sentAt);
    this.db
      .prepare("UPDATE sim_deliveries SET headers_json = ? WHERE id = ?")
      .run(JSON.stringify(headers), delivery.id);

    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await this.fetchImpl(delivery.url, {
        method: "POST",
        headers,
        body: delivery.body,
        redirect: "manual",
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      statusCode = response.status;
      // Read only to free the connection; the status is the receiver's answer, whatever its body.
      await response
        .arrayBuffer()
        .catch((caught: unknown) =>
          this.log("debug", "could not read a webhook receiver's answer body", { url: delivery.url, err: caught }),
        );
      if (statusCode < 200 || statusCode > 299) error = `HTTP ${statusCode}`;
    } catch (caught) {
      const cause = caught instanceof Error && caught.cause instanceof Error ? `: ${caught.cause.message}` : "";
      error = caught instanceof Error ? `${caught.message}${cause}` : String(caught);
    }

    const attempts = delivery.attempts + 1;
    const now = this.clock.now();
    if (error === null) {
      this.db
        .prepare(
          "UPDATE sim_deliveries SET status = 'delivered', attempts = ?, last_status_code = ?, last_error = NULL, delivered_at = ?, lease_until = NULL WHERE id = ?",
        )
        .run(attempts, statusCode, now, delivery.id);
      this.log("info", "webhook delivered", {
        id: delivery.id,
        event: delivery.event_type,
        reference: delivery.reference,
        attempts,
      });
      return;
    }
    if (now - delivery.created_at >= GIVE_UP_AFTER_MS) {
      this.db
        .prepare(
          "UPDATE sim_deliveries SET status = 'dropped', attempts = ?, last_status_code = ?, last_error = ?, lease_until = NULL WHERE id = ?",
        )
        .run(attempts, statusCode, `gave up after 7 days; last error: ${error}`, delivery.id);
      this.log("warn", "webhook delivery given up after 7 days", { id: delivery.id, url: delivery.url });
      return;
    }
    const backoff = Math.min(INITIAL_BACKOFF_MS * 2 ** (attempts - 1), MAX_BACKOFF_MS);
    this.db
      .prepare(
        "UPDATE sim_deliveries SET status = 'failing', attempts = ?, last_status_code = ?, last_error = ?, next_attempt_at = ?, lease_until = NULL WHERE id = ?",
      )
      .run(attempts, statusCode, error, now + backoff, delivery.id);
    this.log("warn", "webhook delivery failed; will retry", {
      id: delivery.id,
      url: delivery.url,
      event: delivery.event_type,
      reference: delivery.reference,
      attempts,
      error,
      retryInMs: backoff,
    });
  }
}
