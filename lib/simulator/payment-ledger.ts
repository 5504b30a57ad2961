/**
 * The simulator's payment records in SQLite: payments, their event log and the idempotency records,
 * and the one transaction frame every change runs in (so a change, its event, its webhook outbox rows
 * and its idempotency record land together or not at all). PaymentEngine and Modifications build
 * the state machine on top.
 */
import { createHash, randomInt } from "node:crypto";
import type { Clock } from "../clock";
import type { SimulatorLog } from "./settings";
import { PROBLEM_TYPES, ProblemError, canonicalJson, notFound } from "./http";
import type { PaymentEvent, WebhookEvent } from "../vipps/schemas";
import { captureGuaranteedUntil, eventView } from "./payment-views";
import type { Db, EventName, EventRow, IdempotencyRow, PaymentRow } from "./store";
import type { WebhookService } from "./webhooks";

export interface HttpResult {
  status: number;
  body: unknown;
}

export type Operation = "create" | "capture" | "cancel" | "refund";

/**
 * 423 Locked: Vipps' answer when another operation holds the same payment ("Order processing", error
 * 6160), to be retried after a short wait with the same Idempotency-Key. Sources:
 * developer.vippsmobilepay.com/docs/knowledge-base/errors (423 and its retry advice) and
 * vippsas/agent-toolkit plugins/vipps-developer/skills/epayment/references/errors.md (6160, 423).
 */
export const ORDER_PROCESSING_TYPE = "https://developer.vippsmobilepay.com/docs/knowledge-base/errors#locked";

/**
 * The payments an operation is working on right now. An operation holds its payment from the moment
 * its reference is known until its answer is ready (reading the body included), so a second one that
 * arrives meanwhile meets the lock, as at Vipps, instead of waiting its turn. In memory: a lock never
 * outlives the request that took it.
 */
export class PaymentLocks {
  private readonly held = new Set<string>();

  async hold<T>(msn: string, reference: string, work: () => Promise<T>): Promise<T> {
    const key = `${msn}\u0000${reference}`;
    if (this.held.has(key)) {
      throw new ProblemError(
        423,
        ORDER_PROCESSING_TYPE,
        "Order processing",
        `Another operation on payment ${reference} is in progress. Retry shortly with the same Idempotency-Key.`,
        [{ name: "reference", reason: "The payment is locked by a concurrent operation." }],
      );
    }
    this.held.add(key);
    try {
      return await work();
    } finally {
      this.held.delete(key);
    }
  }
}
const OPERATION_TITLE: Record<Operation, string> = {
  create: "Create",
  capture: "Capture",
  cancel: "Cancel",
  refund: "Refund",
};

/** "The same request" means the same data (canonical JSON), not the same bytes. */
export const requestHash = (value: unknown) => createHash("sha256").update(canonicalJson(value), "utf8").digest("hex");

/** Vipps pspReferences are opaque digit strings; each event gets a new one. */
export const newPspReference = () => String(randomInt(1_000_000_000, 9_999_999_999));

export type AmountChanges = Partial<
  Pick<
    PaymentRow,
    "state" | "authorized_amount" | "cancelled_amount" | "captured_amount" | "refunded_amount" | "profile_sub"
  >
>;

/**
 * Where money that moved is booked for the Report API (report-ledger.ts). Called inside the
 * modification's transaction, so a capture and its report entries commit or roll back together.
 */
export interface SettlementRecorder {
  capture(payment: PaymentRow, amount: number, pspReference: string, at: number): void;
  refund(payment: PaymentRow, amount: number, pspReference: string, at: number): void;
}

export interface PaymentLedgerDeps {
  db: Db;
  clock: Clock;
  webhooks: WebhookService;
  /** Optional so that the payment engine can run without the Report API. */
  settlement?: SettlementRecorder;
  /** Called after every committed change, so that webhooks go out promptly. */
  onChange: () => void;
  log: SimulatorLog;
}

export class PaymentLedger {
  constructor(private readonly deps: PaymentLedgerDeps) {}

  get db(): Db {
    return this.deps.db;
  }

  get settlement(): SettlementRecorder | undefined {
    return this.deps.settlement;
  }

  now(): number {
    return this.deps.clock.now();
  }

  find(msn: string, reference: string): PaymentRow | undefined {
    return this.db.prepare("SELECT * FROM sim_payments WHERE msn = ? AND reference = ?").get(msn, reference) as
      | PaymentRow
      | undefined;
  }

  findByReference(reference: string): PaymentRow | undefined {
    return this.db.prepare("SELECT * FROM sim_payments WHERE reference = ? ORDER BY msn LIMIT 1").get(reference) as
      | PaymentRow
      | undefined;
  }

  findByToken(token: string): PaymentRow | undefined {
    return this.db.prepare("SELECT * FROM sim_payments WHERE qr_token = ?").get(token) as PaymentRow | undefined;
  }

  /** Push payments waiting for this phone, whichever way their customer named it, newest first. */
  pendingPushFor(
    phoneNumber: string,
    nowMs: number,
    phoneOf: (customer: Record<string, string> | undefined) => string | undefined,
  ): PaymentRow[] {
    const rows = this.db
      .prepare(
        "SELECT * FROM sim_payments WHERE user_flow = 'PUSH_MESSAGE' AND state = 'CREATED' AND expires_at > ? ORDER BY created_at DESC",
      )
      .all(nowMs) as PaymentRow[];
    return rows.filter(
      (row) =>
        phoneOf((JSON.parse(row.request_json) as { customer?: Record<string, string> }).customer) === phoneNumber,
    );
  }

  require(msn: string, reference: string): PaymentRow {
    const payment = this.find(msn, reference);
    if (!payment) throw notFound(`Payment with reference ${reference} not found.`);
    return payment;
  }

  events(msn: string, reference: string): PaymentEvent[] {
    this.require(msn, reference);
    const rows = this.db
      .prepare("SELECT * FROM sim_events WHERE msn = ? AND reference = ? ORDER BY id")
      .all(msn, reference) as EventRow[];
    return rows.map(eventView);
  }

  transaction<T>(fn: () => T): T {
    const result = this.db.transaction(fn).immediate();
    this.deps.onChange();
    return result;
  }

  // ---- Event recording ---------------------------------------------------------------------------

  /**
   * Appends an event, moves the payment's pspReference on and queues the webhooks. Call inside a
   * transaction. Returns the event's pspReference, which the Report API's entries for it share.
   */
  recordEvent(payment: PaymentRow, name: EventName, amount: number, idempotencyKey: string | null, at: number): string {
    const pspReference = newPspReference();
    const result = this.db
      .prepare(
        "INSERT INTO sim_events (msn, reference, psp_reference, name, amount, currency, timestamp, idempotency_key, success) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
      )
      .run(payment.msn, payment.reference, pspReference, name, amount, payment.currency, at, idempotencyKey);
    this.db
      .prepare("UPDATE sim_payments SET psp_reference = ?, updated_at = ? WHERE msn = ? AND reference = ?")
      .run(pspReference, at, payment.msn, payment.reference);
    const id = Number(result.lastInsertRowid);
    const row: EventRow = {
      id,
      msn: payment.msn,
      reference: payment.reference,
      psp_reference: pspReference,
      name,
      amount,
      currency: payment.currency,
      timestamp: at,
      idempotency_key: idempotencyKey,
      success: 1,
    };
    // The webhook carries the event as the event log shows it, with the MSN (and on AUTHORIZED the capture guarantee).
    const event: WebhookEvent = {
      msn: payment.msn,
      ...eventView(row),
      ...(name === "AUTHORIZED" ? { captureGuaranteedUntil: captureGuaranteedUntil(at) } : {}),
    };
    this.deps.webhooks.enqueue(event, id);
    this.deps.log("info", `payment ${name.toLowerCase()}`, {
      reference: payment.reference,
      amount,
      state: payment.state,
    });
    return pspReference;
  }

  updateAmounts(payment: PaymentRow, changes: AmountChanges): void {
    const next = { ...payment, ...changes };
    this.db
      .prepare(
        `UPDATE sim_payments SET state = ?, authorized_amount = ?, cancelled_amount = ?, captured_amount = ?, refunded_amount = ?,
           profile_sub = ? WHERE msn = ? AND reference = ?`,
      )
      .run(
        next.state,
        next.authorized_amount,
        next.cancelled_amount,
        next.captured_amount,
        next.refunded_amount,
        next.profile_sub,
        payment.msn,
        payment.reference,
      );
  }

  // ---- Idempotency -------------------------------------------------------------------------------

  findIdempotency(msn: string, operation: Operation, key: string): IdempotencyRow | undefined {
    return this.db
      .prepare("SELECT * FROM sim_idempotency WHERE msn = ? AND operation = ? AND idempotency_key = ?")
      .get(msn, operation, key) as IdempotencyRow | undefined;
  }

  /** Replays a stored result, or refuses a key reused with another payment or another body. */
  checkIdempotency(
    msn: string,
    operation: Operation,
    key: string,
    reference: string,
    hash: string,
  ): HttpResult | undefined {
    const row = this.findIdempotency(msn, operation, key);
    if (!row) return undefined;
    if (row.reference !== reference) {
      throw new ProblemError(
        409,
        PROBLEM_TYPES.idempotencyConflict,
        "Idempotency conflict",
        `Idempotency-Key ${key} already exists: it was used for another payment.`,
        [{ name: "Idempotency-Key", reason: "Use a new Idempotency-Key for every new operation." }],
      );
    }
    if (row.request_hash !== hash) {
      throw new ProblemError(
        409,
        PROBLEM_TYPES.idempotencyConflict,
        "Idempotency conflict",
        `${OPERATION_TITLE[operation]} idempotency conflict: Idempotency-Key ${key} was used with a different request body.`,
        [
          {
            name: "Idempotency-Key",
            reason: "A retry must repeat the original request exactly; use a new key for a new operation.",
          },
        ],
      );
    }
    return { status: row.status, body: JSON.parse(row.response_json) as unknown };
  }

  storeIdempotency(
    msn: string,
    operation: Operation,
    key: string,
    reference: string,
    hash: string,
    result: HttpResult,
  ): void {
    this.db
      .prepare(
        "INSERT INTO sim_idempotency (msn, operation, idempotency_key, reference, request_hash, status, response_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(msn, operation, key, reference, hash, result.status, JSON.stringify(result.body), this.deps.clock.now());
  }
}
