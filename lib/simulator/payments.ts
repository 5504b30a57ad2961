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
 *   423  another capture, cancel, refund or force approve of the same payment is still in progress
 *        ("Order processing"; PaymentLocks in payment-ledger.ts); nothing is done, retry with the same key
 * Only successful (2xx) results are stored for idempotent replay; a refused request can be retried
 * with the same key once the payment allows it.
 */
import { createHmac, randomUUID } from "node:crypto";
import { PROBLEM_TYPES, ProblemError, badRequest, invalidState } from "./http";
import type { MerchantCallbacks } from "./merchant-callbacks";
import { Modifications } from "./modifications";
import {
  type HttpResult,
  PaymentLedger,
  type PaymentLedgerDeps,
  PaymentLocks,
  newPspReference,
  requestHash,
} from "./payment-ledger";
import type { PaymentEvent } from "../vipps/schemas";
import { paymentResponse } from "./payment-views";
import type { PaymentRow, PaymentState } from "./store";
import { type CreatePaymentInput, validateCreatePayment, validateForceApprove } from "./validation";
import { landingHostFor, type WalletBrand } from "../vipps/brand";

export type { HttpResult } from "./payment-ledger";

/**
 * The test environment's special amounts (minor units): paying one of them in the test app always
 * gives the same result instead of an approval. Sources: vippsas/agent-toolkit
 * plugins/vipps-developer/skills/test-and-go-live/SKILL.md (2026) and the older test-environment page
 * of vippsas/vipps-developers (developer-resources/test-environment.md, amounts 1.51 to 2.02), which
 * adds that force approve ignores them. A declined card does not end the payment: the user may try
 * again or cancel (developer.vippsmobilepay.com/docs/knowledge-base/payment-faq), so it stays CREATED
 * until the user declines (ABORTED) or it expires. 197 and 202 are Norwegian only.
 *
 * Not simulated: the refund amounts 123 and 124, and 201's one hour (the payment here simply stays
 * CREATED until its normal expiry).
 */
export const TEST_AMOUNTS: ReadonlyMap<number, { result: "declined" | "unknown"; reason: string; nokOnly?: boolean }> =
  new Map([
    [151, { result: "declined", reason: "Insufficient funds" }],
    [182, { result: "declined", reason: "Refused by the card issuer" }],
    [183, { result: "declined", reason: "Suspected fraud" }],
    [184, { result: "declined", reason: "Withdrawal limit exceeded" }],
    [186, { result: "declined", reason: "Expired card" }],
    [187, { result: "declined", reason: "Invalid card" }],
    [197, { result: "declined", reason: "3-D Secure denied", nokOnly: true }],
    [201, { result: "unknown", reason: "Unknown result" }],
    [202, { result: "declined", reason: "Strong customer authentication required", nokOnly: true }],
  ] as const);

export type TestAmountOutcome = { result: "declined" | "unknown"; reason: string };

/** What paying this amount in the (simulated) app gives instead of an approval, if it is a test amount. */
export function testAmountOutcome(amount: { value: number; currency: string }): TestAmountOutcome | undefined {
  const entry = TEST_AMOUNTS.get(amount.value);
  if (!entry || (entry.nokOnly && amount.currency !== "NOK")) return undefined;
  return { result: entry.result, reason: entry.reason };
}

export interface PaymentEngineDeps extends PaymentLedgerDeps {
  secret: Buffer;
  /** `${publicUrl}${basePath}`: where phones and <img> tags reach the simulator. */
  publicBase: string;
  /** The wallet's name now: it decides the landing page's domain for DKK and EUR. */
  walletBrand: () => WalletBrand;
  /** Who a payment's customer is: a phone number, a personal QR or a check-in's customer token. */
  customers: Pick<MerchantCallbacks, "checkPaymentCustomer" | "phoneOf">;
}

export class PaymentEngine {
  private readonly ledger: PaymentLedger;
  private readonly modifications: Modifications;
  private readonly locks = new PaymentLocks();

  constructor(private readonly deps: PaymentEngineDeps) {
    this.ledger = new PaymentLedger(deps);
    this.modifications = new Modifications(this.ledger);
  }

  /** Deterministic per MSN+reference and unguessable without the simulator secret. */
  qrToken(msn: string, reference: string): string {
    return createHmac("sha256", this.deps.secret).update(`qr:${msn}:${reference}`).digest("base64url").slice(0, 32);
  }

  phonePageUrl(token: string): string {
    return `${this.deps.publicBase}/qr/${token}`;
  }

  find(msn: string, reference: string): PaymentRow | undefined {
    return this.ledger.find(msn, reference);
  }

  /** The payment with this reference under any sales unit; the preferred one's when several have it. */
  findAnywhere(reference: string, preferredMsn: string): PaymentRow | undefined {
    return this.find(preferredMsn, reference) ?? this.ledger.findByReference(reference);
  }

  findByToken(token: string): PaymentRow | undefined {
    return this.ledger.findByToken(token);
  }

  pendingPushFor(phoneNumber: string): PaymentRow[] {
    return this.ledger.pendingPushFor(phoneNumber, this.deps.clock.now(), (customer) =>
      this.deps.customers.phoneOf(customer),
    );
  }

  events(msn: string, reference: string): PaymentEvent[] {
    return this.ledger.events(msn, reference);
  }

  /** Runs one API operation on a payment; another one arriving meanwhile is answered 423 (payment-ledger.ts). */
  holdPayment<T>(msn: string, reference: string, work: () => Promise<T>): Promise<T> {
    return this.locks.hold(msn, reference, work);
  }

  // ---- Views -------------------------------------------------------------------------------------

  getPaymentResponse(payment: PaymentRow): Record<string, unknown> {
    // Only an approved payment has a capture guarantee, counted from its (newest) approval.
    const authorizedAt =
      payment.state === "AUTHORIZED"
        ? this.events(payment.msn, payment.reference).findLast((event) => event.name === "AUTHORIZED")?.timestamp
        : undefined;
    return paymentResponse(payment, authorizedAt === undefined ? undefined : Date.parse(authorizedAt));
  }

  /** Everything about a payment, for /_sim/payments/{reference}. */
  debugView(payment: PaymentRow): Record<string, unknown> {
    const testAmount = testAmountOutcome({ value: payment.amount, currency: payment.currency });
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
      ...(testAmount ? { testAmount } : {}),
    };
  }

  // ---- Expiry ------------------------------------------------------------------------------------

  /** Moves every CREATED payment whose time is up to EXPIRED. Returns how many expired. */
  sweepExpired(): number {
    const now = this.deps.clock.now();
    const due = this.ledger.db
      .prepare("SELECT * FROM sim_payments WHERE state = 'CREATED' AND expires_at <= ? ORDER BY expires_at")
      .all(now) as PaymentRow[];
    if (due.length === 0) return 0;
    let expired = 0;
    this.ledger.transaction(() => {
      for (const payment of due) {
        const current = this.find(payment.msn, payment.reference);
        if (current?.state !== "CREATED" || current.expires_at > now) continue;
        this.ledger.updateAmounts(current, { state: "EXPIRED" });
        this.ledger.recordEvent(
          { ...current, state: "EXPIRED" },
          "EXPIRED",
          current.amount,
          null,
          Math.max(current.expires_at, current.updated_at),
        );
        expired++;
      }
    });
    return expired;
  }

  // ---- Create ------------------------------------------------------------------------------------

  create(msn: string, idempotencyKey: string, raw: unknown): HttpResult {
    const hash = requestHash(raw);
    const reference =
      typeof (raw as { reference?: unknown })?.reference === "string" ? (raw as { reference: string }).reference : "";
    // A faithful retry is replayed before validation: its expiresAt may no longer be "10 minutes ahead".
    const previous = this.ledger.findIdempotency(msn, "create", idempotencyKey);
    if (previous && previous.request_hash === hash && previous.reference === reference) {
      return { status: previous.status, body: JSON.parse(previous.response_json) as unknown };
    }
    const now = this.deps.clock.now();
    const validation = validateCreatePayment(raw, now);
    if (!validation.ok) throw badRequest("One or more validation errors occurred.", validation.issues);
    const input = validation.value;
    // An unknown personal QR or an expired customer token is refused before anything is stored.
    this.deps.customers.checkPaymentCustomer(input.customer);

    return this.ledger.transaction(() => {
      const replay = this.ledger.checkIdempotency(msn, "create", idempotencyKey, input.reference, hash);
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
      this.ledger.db
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
      this.ledger.recordEvent(this.find(msn, input.reference)!, "CREATED", input.amount.value, idempotencyKey, now);
      const result: HttpResult = {
        status: 201,
        body: { reference: input.reference, ...(redirectUrl ? { redirectUrl } : {}) },
      };
      this.ledger.storeIdempotency(msn, "create", idempotencyKey, input.reference, hash, result);
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
        // WEB_REDIRECT and NATIVE_REDIRECT: the simulated phone page stands in for the landing page and
        // the app. The link names the domain Vipps' would be on (pay.mobilepay.dk before the brand
        // change, pay.vipps.dk after), as the first path segment under the simulator's own origin.
        return `${base}/landing/${landingHostFor(input.amount.currency, this.deps.walletBrand())}?token=${token}`;
    }
  }

  // ---- User actions (phone page, force approve, test hooks) --------------------------------------

  /**
   * The user approves (the phone page, the /_sim approve control) or the merchant force approves
   * (`forceApprove`, the test API). In the app a test amount (TEST_AMOUNTS) is not approved: the payment
   * stays CREATED and is returned unchanged. Force approve ignores test amounts, as the test API does.
   */
  approve(
    msn: string,
    reference: string,
    options: { body?: unknown; bodyPresent?: boolean; forceApprove?: boolean } = {},
  ): PaymentRow {
    const validation = validateForceApprove(options.body, options.bodyPresent ?? false);
    if (!validation.ok) throw badRequest("One or more validation errors occurred.", validation.issues);
    return this.ledger.transaction(() => {
      const payment = this.ledger.require(msn, reference);
      if (validation.value.token !== undefined && validation.value.token !== payment.qr_token) {
        throw badRequest("Approve failed: the token does not belong to this payment.", [
          { name: "token", reason: "Use the token from this payment's redirectUrl." },
        ]);
      }
      if (payment.state !== "CREATED") {
        throw invalidState(
          payment.state === "AUTHORIZED"
            ? "Payment is already reserved."
            : `Approve failed: the payment is ${payment.state}.`,
        );
      }
      const testAmount = options.forceApprove
        ? undefined
        : testAmountOutcome({ value: payment.amount, currency: payment.currency });
      if (testAmount) {
        this.deps.log("info", "test amount: not approved", { reference, amount: payment.amount, ...testAmount });
        return payment;
      }
      const now = this.deps.clock.now();
      const scope = (JSON.parse(payment.request_json) as { profile?: { scope?: string } }).profile?.scope;
      const changes = {
        state: "AUTHORIZED" as PaymentState,
        authorized_amount: payment.amount,
        profile_sub: scope && scope.trim() !== "" ? randomUUID() : null,
      };
      this.ledger.updateAmounts(payment, changes);
      this.ledger.recordEvent(
        { ...payment, ...changes },
        "AUTHORIZED",
        payment.amount,
        payment.create_idempotency_key,
        now,
      );
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
    return this.ledger.transaction(() => {
      const payment = this.ledger.require(msn, reference);
      if (payment.state !== "CREATED") throw invalidState(`The payment is ${payment.state}, not CREATED.`);
      this.ledger.updateAmounts(payment, { state });
      this.ledger.recordEvent(
        { ...payment, state },
        state,
        payment.amount,
        state === "ABORTED" ? payment.create_idempotency_key : null,
        this.deps.clock.now(),
      );
      return this.find(msn, reference)!;
    });
  }

  // ---- Merchant modifications (modifications.ts) -------------------------------------------------

  capture(msn: string, reference: string, idempotencyKey: string, raw: unknown, bodyPresent: boolean): HttpResult {
    return this.modifications.capture(msn, reference, idempotencyKey, raw, bodyPresent);
  }

  cancel(msn: string, reference: string, idempotencyKey: string, raw: unknown, bodyPresent: boolean): HttpResult {
    return this.modifications.cancel(msn, reference, idempotencyKey, raw, bodyPresent);
  }

  refund(msn: string, reference: string, idempotencyKey: string, raw: unknown, bodyPresent: boolean): HttpResult {
    return this.modifications.refund(msn, reference, idempotencyKey, raw, bodyPresent);
  }
}
