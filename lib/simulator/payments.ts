/**
 * The simulated ePayment state machine (EPAYMENT-API.md §3) with aggregates, the event log and
 * idempotency (§4). Every transition runs in one SQLite transaction together with its event, its
 * webhook outbox rows and its idempotency record, so a crash never leaves half a payment behind.
 *
 * Status codes for refused operations (the spec allows 400/404/409 on modifications and does not
 * say which applies when; this is the mapping suggested in §5):
 *   400  validation errors and amount limits: bad body, currency mismatch, zero amount,
 *        capture > authorized − captured − cancelled ("Capture amount too high"),
 *        refund > captured − refunded ("Not enough refundable"), force-approve token mismatch
 *   404  unknown reference for this MSN
 *   409  idempotency conflicts (same key + different body; key already used for another payment),
 *        "Reference already exists", and every operation the current state does not allow:
 *        capture/refund before authorization, any modification of ABORTED/EXPIRED/TERMINATED,
 *        cancel after full capture or after an earlier cancel, refund when everything is refunded,
 *        cancelTransactionOnly on an authorized payment ("Payment is already reserved"),
 *        approve/reject/expire of a payment that is no longer CREATED.
 * Only successful (2xx) results are stored for idempotent replay; a refused request can be retried
 * with the same key once the payment allows it.
 */
import { createHash, createHmac, randomInt, randomUUID } from "node:crypto";
import type { Clock } from "../clock";
import { PROBLEM_TYPES, ProblemError, amountLimit, badRequest, canonicalJson, invalidState, notFound } from "./http";
import type { Db, EventName, EventRow, IdempotencyRow, PaymentRow, PaymentState } from "./store";
import {
  validateCancel,
  validateCreatePayment,
  validateForceApprove,
  validateModification,
  type Amount,
  type CreatePaymentInput,
} from "./validation";
import type { WebhookEventBody, WebhookService } from "./webhooks";

export interface HttpResult {
  status: number;
  body: unknown;
}

type Operation = "create" | "capture" | "cancel" | "refund";
const OPERATION_TITLE: Record<Operation, string> = { create: "Create", capture: "Capture", cancel: "Cancel", refund: "Refund" };

export interface PaymentEventView {
  reference: string;
  pspReference: string;
  name: EventName;
  amount: { currency: string; value: number };
  timestamp: string;
  idempotencyKey: string | null;
  success: boolean;
}

const money = (value: number, currency: string) => ({ currency, value });
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
/** Vipps pspReferences are opaque digit strings; each event gets a new one. */
const newPspReference = () => String(randomInt(1_000_000_000, 9_999_999_999));

export interface PaymentEngineDeps {
  db: Db;
  clock: Clock;
  secret: Buffer;
  /** `${publicUrl}${basePath}`: where phones and <img> tags reach the simulator. */
  publicBase: string;
  webhooks: WebhookService;
  onChange: () => void;
  log: (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;
}

export class PaymentEngine {
  constructor(private readonly deps: PaymentEngineDeps) {}

  private get db(): Db {
    return this.deps.db;
  }

  /** Deterministic per MSN+reference and unguessable without the simulator secret. */
  qrToken(msn: string, reference: string): string {
    return createHmac("sha256", this.deps.secret).update(`qr:${msn}:${reference}`).digest("base64url").slice(0, 32);
  }

  phonePageUrl(token: string): string {
    return `${this.deps.publicBase}/qr/${token}`;
  }

  find(msn: string, reference: string): PaymentRow | undefined {
    return this.db.prepare("SELECT * FROM sim_payments WHERE msn = ? AND reference = ?").get(msn, reference) as PaymentRow | undefined;
  }

  findByToken(token: string): PaymentRow | undefined {
    return this.db.prepare("SELECT * FROM sim_payments WHERE qr_token = ?").get(token) as PaymentRow | undefined;
  }

  private require(msn: string, reference: string): PaymentRow {
    const payment = this.find(msn, reference);
    if (!payment) throw notFound(`Payment with reference ${reference} not found.`);
    return payment;
  }

  events(msn: string, reference: string): PaymentEventView[] {
    this.require(msn, reference);
    const rows = this.db.prepare("SELECT * FROM sim_events WHERE msn = ? AND reference = ? ORDER BY id").all(msn, reference) as EventRow[];
    return rows.map(eventView);
  }

  // ---- Views -------------------------------------------------------------------------------------

  aggregate(payment: PaymentRow) {
    return {
      authorizedAmount: money(payment.authorized_amount, payment.currency),
      cancelledAmount: money(payment.cancelled_amount, payment.currency),
      capturedAmount: money(payment.captured_amount, payment.currency),
      refundedAmount: money(payment.refunded_amount, payment.currency),
    };
  }

  getPaymentResponse(payment: PaymentRow): Record<string, unknown> {
    const raw = JSON.parse(payment.request_json) as { metadata?: Record<string, string> | null };
    return {
      aggregate: this.aggregate(payment),
      amount: money(payment.amount, payment.currency),
      state: payment.state,
      paymentMethod: { type: payment.payment_method_type },
      profile: payment.profile_sub ? { sub: payment.profile_sub } : {},
      pspReference: payment.psp_reference,
      reference: payment.reference,
      ...(payment.redirect_url ? { redirectUrl: payment.redirect_url } : {}),
      ...(raw.metadata !== undefined ? { metadata: raw.metadata } : {}),
    };
  }

  modificationResponse(payment: PaymentRow): Record<string, unknown> {
    return {
      amount: money(payment.amount, payment.currency),
      state: payment.state,
      aggregate: this.aggregate(payment),
      pspReference: payment.psp_reference,
      reference: payment.reference,
    };
  }

  /** Everything about a payment, for /_sim/payments/{reference}. */
  debugView(payment: PaymentRow): Record<string, unknown> {
    return {
      ...this.getPaymentResponse(payment),
      msn: payment.msn,
      userFlow: payment.user_flow,
      qrFormat: payment.qr_format,
      qrToken: payment.qr_token,
      phonePageUrl: this.phonePageUrl(payment.qr_token),
      createdAt: new Date(payment.created_at).toISOString(),
      expiresAt: new Date(payment.expires_at).toISOString(),
      updatedAt: new Date(payment.updated_at).toISOString(),
      createIdempotencyKey: payment.create_idempotency_key,
      request: JSON.parse(payment.request_json) as unknown,
      events: this.events(payment.msn, payment.reference),
    };
  }

  // ---- Event recording ---------------------------------------------------------------------------

  /** Appends an event, moves the payment's pspReference on and queues the webhooks. Call inside a transaction. */
  private recordEvent(payment: PaymentRow, name: EventName, amount: number, idempotencyKey: string | null, at: number): void {
    const pspReference = newPspReference();
    const result = this.db
      .prepare(
        "INSERT INTO sim_events (msn, reference, psp_reference, name, amount, currency, timestamp, idempotency_key, success) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
      )
      .run(payment.msn, payment.reference, pspReference, name, amount, payment.currency, at, idempotencyKey);
    this.db
      .prepare("UPDATE sim_payments SET psp_reference = ?, updated_at = ? WHERE msn = ? AND reference = ?")
      .run(pspReference, at, payment.msn, payment.reference);
    const event: WebhookEventBody = {
      msn: payment.msn,
      reference: payment.reference,
      pspReference,
      name,
      amount: money(amount, payment.currency),
      timestamp: new Date(at).toISOString(),
      idempotencyKey,
      success: true,
    };
    this.deps.webhooks.enqueue(event, Number(result.lastInsertRowid));
    this.deps.log("info", `payment ${name.toLowerCase()}`, { reference: payment.reference, amount, state: payment.state });
  }

  private updateAmounts(payment: PaymentRow, changes: Partial<Pick<PaymentRow, "state" | "authorized_amount" | "cancelled_amount" | "captured_amount" | "refunded_amount" | "profile_sub">>): void {
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

  private findIdempotency(msn: string, operation: Operation, key: string): IdempotencyRow | undefined {
    return this.db
      .prepare("SELECT * FROM sim_idempotency WHERE msn = ? AND operation = ? AND idempotency_key = ?")
      .get(msn, operation, key) as IdempotencyRow | undefined;
  }

  /** Replays a stored result, or refuses a key reused with another payment or another body. */
  private checkIdempotency(msn: string, operation: Operation, key: string, reference: string, hash: string): HttpResult | undefined {
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
        [{ name: "Idempotency-Key", reason: "A retry must repeat the original request exactly; use a new key for a new operation." }],
      );
    }
    return { status: row.status, body: JSON.parse(row.response_json) as unknown };
  }

  private storeIdempotency(msn: string, operation: Operation, key: string, reference: string, hash: string, result: HttpResult): void {
    this.db
      .prepare(
        "INSERT INTO sim_idempotency (msn, operation, idempotency_key, reference, request_hash, status, response_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(msn, operation, key, reference, hash, result.status, JSON.stringify(result.body), this.deps.clock.now());
  }

  private transaction<T>(fn: () => T): T {
    const result = this.db.transaction(fn).immediate();
    this.deps.onChange();
    return result;
  }

  // ---- Expiry ------------------------------------------------------------------------------------

  /** Moves every CREATED payment whose time is up to EXPIRED. Returns how many expired. */
  sweepExpired(): number {
    const now = this.deps.clock.now();
    const due = this.db
      .prepare("SELECT * FROM sim_payments WHERE state = 'CREATED' AND expires_at <= ? ORDER BY expires_at")
      .all(now) as PaymentRow[];
    if (due.length === 0) return 0;
    let expired = 0;
    this.transaction(() => {
      for (const payment of due) {
        const current = this.find(payment.msn, payment.reference);
        if (current?.state !== "CREATED" || current.expires_at > now) continue;
        this.updateAmounts(current, { state: "EXPIRED" });
        this.recordEvent({ ...current, state: "EXPIRED" }, "EXPIRED", current.amount, null, Math.max(current.expires_at, current.updated_at));
        expired++;
      }
    });
    return expired;
  }

  // ---- Create ------------------------------------------------------------------------------------

  create(msn: string, idempotencyKey: string, raw: unknown): HttpResult {
    const hash = sha256(canonicalJson(raw));
    const reference = typeof (raw as { reference?: unknown })?.reference === "string" ? (raw as { reference: string }).reference : "";
    // A faithful retry is replayed before validation: its expiresAt may no longer be "10 minutes ahead".
    const previous = this.findIdempotency(msn, "create", idempotencyKey);
    if (previous && previous.request_hash === hash && previous.reference === reference) {
      return { status: previous.status, body: JSON.parse(previous.response_json) as unknown };
    }
    const now = this.deps.clock.now();
    const validation = validateCreatePayment(raw, now);
    if (!validation.ok) throw badRequest("One or more validation errors occurred.", validation.issues);
    const input = validation.value;

    return this.transaction(() => {
      const replay = this.checkIdempotency(msn, "create", idempotencyKey, input.reference, hash);
      if (replay) return replay;
      if (this.find(msn, input.reference)) {
        throw new ProblemError(
          409,
          PROBLEM_TYPES.referenceExists,
          "Reference already exists",
          `Idempotency error: Reference ${input.reference} already exists. A reference can never be reused, not even after the payment failed or expired.`,
          [{ name: "reference", reason: "Use a new, unique reference for every payment." }],
        );
      }
      const token = this.qrToken(msn, input.reference);
      const redirectUrl = this.redirectUrlFor(input, token);
      const pspReference = newPspReference();
      this.db
        .prepare(
          `INSERT INTO sim_payments (msn, reference, qr_token, psp_reference, state, currency, amount, user_flow, payment_method_type,
             qr_format, qr_size, redirect_url, request_json, create_idempotency_key, created_at, expires_at, updated_at)
           VALUES (?, ?, ?, ?, 'CREATED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          msn,
          input.reference,
          token,
          pspReference,
          input.amount.currency,
          input.amount.value,
          input.userFlow,
          input.paymentMethod.type,
          input.userFlow === "QR" ? input.qrFormat.format : null,
          input.userFlow === "QR" ? input.qrFormat.size : null,
          redirectUrl ?? null,
          JSON.stringify(raw),
          idempotencyKey,
          now,
          input.expiresAtMs,
          now,
        );
      this.recordEvent(this.find(msn, input.reference)!, "CREATED", input.amount.value, idempotencyKey, now);
      const result: HttpResult = { status: 201, body: { reference: input.reference, ...(redirectUrl ? { redirectUrl } : {}) } };
      this.storeIdempotency(msn, "create", idempotencyKey, input.reference, hash, result);
      return result;
    });
  }

  private redirectUrlFor(input: CreatePaymentInput, token: string): string | undefined {
    const base = this.deps.publicBase;
    switch (input.userFlow) {
      case "PUSH_MESSAGE":
        // The user gets a push notification; nothing to redirect to.
        return undefined;
      case "QR":
        if (input.qrFormat.format === "TEXT/TARGETURL") return `${base}/qr/${token}`;
        return `${base}/qr-image/${token}.${input.qrFormat.format === "IMAGE/PNG" ? "png" : "svg"}`;
      default:
        // WEB_REDIRECT and NATIVE_REDIRECT: the simulated phone page stands in for the landing page and the app.
        return `${base}/qr/${token}`;
    }
  }

  // ---- User actions (phone page, force approve, test hooks) --------------------------------------

  approve(msn: string, reference: string, options: { body?: unknown; bodyPresent?: boolean } = {}): PaymentRow {
    const validation = validateForceApprove(options.body, options.bodyPresent ?? false);
    if (!validation.ok) throw badRequest("One or more validation errors occurred.", validation.issues);
    return this.transaction(() => {
      const payment = this.require(msn, reference);
      if (validation.value.token !== undefined && validation.value.token !== payment.qr_token) {
        throw badRequest("Approve failed: the token does not belong to this payment.", [
          { name: "token", reason: "Use the token from this payment's redirectUrl." },
        ]);
      }
      if (payment.state !== "CREATED") {
        throw invalidState(
          payment.state === "AUTHORIZED" ? "Payment is already reserved." : `Approve failed: the payment is ${payment.state}.`,
        );
      }
      const now = this.deps.clock.now();
      const scope = (JSON.parse(payment.request_json) as { profile?: { scope?: string } }).profile?.scope;
      const changes = {
        state: "AUTHORIZED" as PaymentState,
        authorized_amount: payment.amount,
        profile_sub: scope && scope.trim() !== "" ? randomUUID() : null,
      };
      this.updateAmounts(payment, changes);
      this.recordEvent({ ...payment, ...changes }, "AUTHORIZED", payment.amount, payment.create_idempotency_key, now);
      return this.find(msn, reference)!;
    });
  }

  /** The user declines in the app: CREATED → ABORTED. */
  reject(msn: string, reference: string): PaymentRow {
    return this.finishUnapproved(msn, reference, "ABORTED");
  }

  /** Test hook: expire now instead of waiting for the timeout. */
  expireNow(msn: string, reference: string): PaymentRow {
    return this.finishUnapproved(msn, reference, "EXPIRED");
  }

  private finishUnapproved(msn: string, reference: string, state: "ABORTED" | "EXPIRED"): PaymentRow {
    return this.transaction(() => {
      const payment = this.require(msn, reference);
      if (payment.state !== "CREATED") throw invalidState(`The payment is ${payment.state}, not CREATED.`);
      this.updateAmounts(payment, { state });
      this.recordEvent(
        { ...payment, state },
        state,
        payment.amount,
        state === "ABORTED" ? payment.create_idempotency_key : null,
        this.deps.clock.now(),
      );
      return this.find(msn, reference)!;
    });
  }

  // ---- Merchant modifications --------------------------------------------------------------------

  private checkCurrency(payment: PaymentRow, amount: Amount): void {
    if (amount.currency !== payment.currency) {
      throw badRequest(`The currency must be ${payment.currency}, the currency of the payment.`, [
        { name: "modificationAmount.currency", reason: `Expected ${payment.currency}.` },
      ]);
    }
  }

  /**
   * The frame every modification shares: one transaction, replay of a repeated idempotency key,
   * the change itself, and the response stored for later replays.
   */
  private modify(
    operation: Operation,
    msn: string,
    reference: string,
    idempotencyKey: string,
    hash: string,
    apply: (payment: PaymentRow, now: number) => void,
  ): HttpResult {
    return this.transaction(() => {
      const payment = this.require(msn, reference);
      const replay = this.checkIdempotency(msn, operation, idempotencyKey, reference, hash);
      if (replay) return replay;
      apply(payment, this.deps.clock.now());
      const result: HttpResult = { status: 200, body: this.modificationResponse(this.find(msn, reference)!) };
      this.storeIdempotency(msn, operation, idempotencyKey, reference, hash, result);
      return result;
    });
  }

  capture(msn: string, reference: string, idempotencyKey: string, raw: unknown, bodyPresent: boolean): HttpResult {
    const validation = validateModification(raw, bodyPresent);
    if (!validation.ok) throw badRequest("One or more validation errors occurred.", validation.issues);
    const amount = validation.value;
    const hash = sha256(canonicalJson({ reference, body: raw }));
    return this.modify("capture", msn, reference, idempotencyKey, hash, (payment, now) => {
      this.checkCurrency(payment, amount);
      if (payment.state === "CREATED") throw invalidState("Cannot capture before reservation: the payment is not authorized yet.");
      if (payment.state !== "AUTHORIZED") throw invalidState(`Payment cannot be captured. Invalid state: ${payment.state}.`);
      const capturable = payment.authorized_amount - payment.captured_amount - payment.cancelled_amount;
      if (amount.value > capturable) {
        throw amountLimit(
          capturable === 0
            ? "Capture amount too high: nothing is left to capture."
            : `Capture amount too high: at most ${capturable} can be captured.`,
        );
      }
      const changes = { captured_amount: payment.captured_amount + amount.value };
      this.updateAmounts(payment, changes);
      this.recordEvent({ ...payment, ...changes }, "CAPTURED", amount.value, idempotencyKey, now);
    });
  }

  cancel(msn: string, reference: string, idempotencyKey: string, raw: unknown, bodyPresent: boolean): HttpResult {
    const validation = validateCancel(raw, bodyPresent);
    if (!validation.ok) throw badRequest("One or more validation errors occurred.", validation.issues);
    const { cancelTransactionOnly } = validation.value;
    const hash = sha256(canonicalJson({ reference, cancelTransactionOnly }));
    return this.modify("cancel", msn, reference, idempotencyKey, hash, (payment, now) => {
      if (payment.state === "CREATED") {
        const changes = { state: "TERMINATED" as PaymentState, cancelled_amount: payment.amount };
        this.updateAmounts(payment, changes);
        this.recordEvent({ ...payment, ...changes }, "TERMINATED", payment.amount, idempotencyKey, now);
      } else if (payment.state === "AUTHORIZED") {
        if (cancelTransactionOnly) {
          throw invalidState("Payment is already reserved: cancelTransactionOnly does not release an authorized payment.");
        }
        const remaining = payment.authorized_amount - payment.captured_amount - payment.cancelled_amount;
        if (remaining <= 0) {
          throw invalidState(
            payment.cancelled_amount > 0
              ? "Payment cannot be cancelled: the remaining amount has already been released."
              : "Cannot cancel a captured payment: the full amount has been captured. Refund instead.",
          );
        }
        const changes = { cancelled_amount: payment.cancelled_amount + remaining };
        this.updateAmounts(payment, changes);
        // As in the documented example, a cancel after a partial capture logs its CANCELLED event
        // without an idempotencyKey.
        const eventKey = payment.captured_amount > 0 ? null : idempotencyKey;
        this.recordEvent({ ...payment, ...changes }, "CANCELLED", remaining, eventKey, now);
      } else {
        throw invalidState(`Payment cannot be cancelled. Invalid state: ${payment.state}.`);
      }
    });
  }

  refund(msn: string, reference: string, idempotencyKey: string, raw: unknown, bodyPresent: boolean): HttpResult {
    const validation = validateModification(raw, bodyPresent);
    if (!validation.ok) throw badRequest("One or more validation errors occurred.", validation.issues);
    const amount = validation.value;
    const hash = sha256(canonicalJson({ reference, body: raw }));
    return this.modify("refund", msn, reference, idempotencyKey, hash, (payment, now) => {
      this.checkCurrency(payment, amount);
      if (payment.state === "CREATED") throw invalidState("Attempted refund before reservation: the payment is not authorized.");
      if (payment.state !== "AUTHORIZED") throw invalidState(`Payment cannot be refunded. Invalid state: ${payment.state}.`);
      const refundable = payment.captured_amount - payment.refunded_amount;
      if (payment.captured_amount > 0 && refundable === 0) throw invalidState("Payment already refunded: the captured amount is fully refunded.");
      if (amount.value > refundable) {
        throw amountLimit(
          refundable === 0
            ? "Not enough refundable: nothing has been captured."
            : `Not enough refundable: at most ${refundable} can be refunded.`,
        );
      }
      const changes = { refunded_amount: payment.refunded_amount + amount.value };
      this.updateAmounts(payment, changes);
      this.recordEvent({ ...payment, ...changes }, "REFUNDED", amount.value, idempotencyKey, now);
    });
  }
}

function eventView(row: EventRow): PaymentEventView {
  return {
    reference: row.reference,
    pspReference: row.psp_reference,
    name: row.name,
    amount: money(row.amount, row.currency),
    timestamp: new Date(row.timestamp).toISOString(),
    idempotencyKey: row.idempotency_key,
    success: row.success === 1,
  };
}
