import "server-only";
import type { Clock } from "@/lib/clock";
import { DomainError, isStoreError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import type { CountersRepository, SalesRepository, SettingsRepository } from "@/lib/store/repositories";
import { MAXIMUM_PAYMENT, MINIMUM_PAYMENT, priceLines } from "./money";
import {
  cashierTextForErrorCode,
  gatewayErrorCode,
  gatewayErrorStatus,
  gatewayErrorSummary,
  type PaymentGateway,
  providerFailure,
} from "./payment-gateway";
import {
  buildCreatePaymentRequest,
  newAttempt,
  randomId,
  refundIdFor,
  refundVippsKey,
  requestHash,
  summarizeLines,
} from "./payment-request";
import type { CreateSaleInput } from "./sale-input";
import type { SaleTransitions } from "./sale-transitions";
import type { SaleViews } from "./sale-views";
import type { VippsAvailability } from "./vipps-availability";
import {
  ACTIVE_SALE_STATES,
  type EventSource,
  type PaymentAttempt,
  type Sale,
  type SaleView,
  type Terminal,
} from "./types";

export interface SaleCommandsDeps {
  sales: SalesRepository;
  /** The terminal a sale is made at, and its cart; settings hands out the receipt numbers. */
  counters: CountersRepository;
  settings: SettingsRepository;
  gateway: PaymentGateway;
  transitions: SaleTransitions;
  views: SaleViews;
  clock: Clock;
  log: Logger;
  publicUrl: string;
  /** Whether new sales are captured as soon as they are approved (a shop setting). */
  autoCapture: () => Promise<boolean>;
  saleChanged: (terminalId: string) => Promise<void>;
  /** Counts failed creates and refuses new sales at once while Vipps is out; absent in some tests. */
  availability?: VippsAvailability;
  /** KASSA_QR_SOURCE: "vipps" asks Vipps for its own QR image instead of the link. */
  qrSource?: "app" | "vipps";
  /** Fetches Vipps' QR image (KASSA_QR_SOURCE=vipps); global fetch when not given. */
  fetchImage?: typeof fetch;
}

/**
 * How long a refund waits for another operation on the same sale before answering 409 with
 * Retry-After. Short, so that the answer comes while the client still listens.
 */
export const REFUND_QUEUE_WAIT_MS = 2_000;

/** When the reconciler asks Vipps about a refund whose outcome was never recorded (the call has had its time by then). */
export const REFUND_RECHECK_AFTER_MS = 60_000;

const QR_IMAGE_TIMEOUT_MS = 5_000;
const QR_IMAGE_MAX_CHARS = 256 * 1024;

/** States from which a sale may get a fresh QR (a new attempt at Vipps). */
const RETRYABLE_STATES: readonly Sale["state"][] = ["expired", "aborted", "failed", "cancelled"];

/**
 * What a cashier or POS asks of a sale: create, new QR, cancel, capture, refund. Each checks the
 * request against the sale's state and answers with the sale as clients see it, or a DomainError
 * they can act on; the moving of money itself is SaleTransitions'.
 */
export class SaleCommands {
  private readonly creating = new Set<string>();

  constructor(private readonly deps: SaleCommandsDeps) {}

  async createSale(
    input: CreateSaleInput,
    options: { source: EventSource; idempotencyKey?: string },
  ): Promise<{ sale: SaleView; replayed: boolean }> {
    const { sale, replayed } = await this.create(input, options);
    return { sale: await this.deps.views.view(sale), replayed };
  }

  async cancelSale(saleId: string, source: EventSource): Promise<SaleView> {
    return this.deps.views.view(await this.cancel(saleId, source));
  }

  async captureSale(saleId: string, source: EventSource): Promise<SaleView> {
    return this.deps.views.view(await this.capture(saleId, source));
  }

  async refundSale(
    saleId: string,
    amount: number | undefined,
    source: EventSource,
    idempotencyKey?: string,
  ): Promise<SaleView> {
    return this.deps.views.view(await this.refund(saleId, amount, source, idempotencyKey));
  }

  async newQrForSale(saleId: string, source: EventSource): Promise<SaleView> {
    return this.deps.views.view(await this.newQr(saleId, source));
  }

  private iso(ms = this.deps.clock.now()): string {
    return new Date(ms).toISOString();
  }

  async getSaleOrThrow(id: string): Promise<Sale> {
    const sale = await this.deps.sales.getSale(id);
    if (!sale) throw new DomainError("notFound", `No sale with id ${id}`);
    return sale;
  }

  async create(
    input: CreateSaleInput,
    options: { source: EventSource; idempotencyKey?: string },
  ): Promise<{ sale: Sale; replayed: boolean }> {
    const hash = requestHash(input);
    if (options.idempotencyKey) {
      const existing = await this.deps.sales.getSaleByIdempotencyKey(options.idempotencyKey);
      if (existing) return { sale: this.replayable(existing, hash), replayed: true };
    }

    const terminal = await this.deps.counters.getTerminal(input.terminalId);
    if (!terminal) {
      throw new DomainError("validation", `There is no terminal with id ${input.terminalId}`, {
        errors: [{ field: "terminalId", reason: "unknown terminal" }],
      });
    }
    const lines = priceLines(input.lines);
    const amount = lines.reduce((sum, line) => sum + line.totalAmount, 0);
    if (amount < MINIMUM_PAYMENT[input.currency] || amount > MAXIMUM_PAYMENT) {
      throw new DomainError(
        "validation",
        `The total must be between ${MINIMUM_PAYMENT[input.currency]} and ${MAXIMUM_PAYMENT} minor units of ${input.currency}; it is ${amount}`,
        {
          errors: [{ field: "lines", reason: "total out of the range Vipps MobilePay accepts" }],
        },
      );
    }
    const active = await this.deps.sales.getActiveSale(terminal.id);
    if (active) throw terminalBusy(terminal.id, active.id);
    const admission = this.deps.availability?.admit();
    if (admission && !admission.admitted) {
      throw new DomainError(
        "vippsUnavailable",
        "Vipps is not answering. Take the payment another way; new sales are tried again shortly.",
        {
          retryAfterSeconds: admission.retryAfterSeconds,
          extra: { vipps: this.deps.availability!.status() },
        },
      );
    }

    const nowMs = this.deps.clock.now();
    const saleId = randomId("sale");
    const attempt = newAttempt(saleId, nowMs);
    const sale: Sale = {
      id: saleId,
      terminalId: terminal.id,
      receiptNumber: String(await this.deps.settings.nextSequence("receipt")).padStart(6, "0"),
      currency: input.currency,
      amount,
      description: input.description?.trim() || summarizeLines(lines),
      lines,
      state: "pending",
      autoCapture: await this.deps.autoCapture(),
      capturedAmount: 0,
      refundedAmount: 0,
      currentAttemptId: attempt.id,
      attemptCount: 1,
      idempotencyKey: options.idempotencyKey,
      requestHash: hash,
      ...(input.customerPhone ? { customerPhone: input.customerPhone } : {}),
      createdAt: this.iso(nowMs),
      updatedAt: this.iso(nowMs),
    };
    try {
      await this.deps.sales.insertSale(sale, attempt, {
        type: "sale.created",
        source: options.source,
        toState: "pending",
        detail: { amount, currency: sale.currency, lines: lines.length, reference: attempt.reference },
      });
    } catch (error) {
      // Two retries raced and the other one stored its sale first: answer with that one. While
      // that sale is active the store reports the busy terminal before the taken key.
      if (
        (isStoreError(error, "duplicateKey") || isStoreError(error, "activeSaleConflict")) &&
        options.idempotencyKey
      ) {
        const winner = await this.deps.sales.getSaleByIdempotencyKey(options.idempotencyKey);
        if (winner) return { sale: this.replayable(winner, hash), replayed: true };
      }
      if (isStoreError(error, "activeSaleConflict")) throw terminalBusy(terminal.id, error.details.activeSaleId ?? "");
      throw error;
    }
    // Charging turns the live cart into the sale: the display shows the sale, not the basket.
    await this.deps.counters.clearCart(terminal.id);
    return { sale: await this.startAttempt(sale, terminal, attempt, options.source), replayed: false };
  }

  private replayable(existing: Sale, hash: string): Sale {
    if (existing.requestHash !== hash) {
      throw new DomainError(
        "idempotencyConflict",
        "This Idempotency-Key was already used for a different sale request",
        {
          errors: [{ field: "Idempotency-Key", reason: "reused with a different body" }],
        },
      );
    }
    return existing;
  }

  /**
   * Finishes an attempt whose create call's answer was lost with its process (killed mid-create):
   * the same create, under the same idempotency key, returns what Vipps made then, or makes it now.
   * Either way the sale ends pending with a QR, or failed; the terminal is never left waiting.
   */
  async resumeCreate(attemptId: string, source: EventSource): Promise<void> {
    const attempt = await this.deps.sales.getAttempt(attemptId);
    const sale = attempt ? await this.deps.sales.getSale(attempt.saleId) : undefined;
    if (!attempt || !sale || attempt.state !== "CREATING") return;
    const terminal = await this.deps.counters.getTerminal(sale.terminalId);
    if (!terminal || sale.state !== "pending" || sale.currentAttemptId !== attempt.id) {
      await this.deps.sales.updateAttempt(attempt.id, { state: "CREATE_FAILED" });
      return;
    }
    try {
      await this.startAttempt(sale, terminal, attempt, source);
    } catch (error) {
      // Logged here, where the sale is known, rather than by the reconciler that resumed it: a
      // refusal by Vipps is on the sale already (startAttempt records it), anything else is not.
      this.deps.log.warn("Resuming an interrupted create failed", {
        saleId: sale.id,
        attemptId: attempt.id,
        err: error,
      });
    }
  }

  /**
   * Fetches Vipps' QR image once, now, and keeps it: Vipps' image address answers 404 after the
   * payment expires, and a kiosk reloaded meanwhile must still show it. Bounded in time and size;
   * on failure the display falls back to Vipps' own address while it answers.
   */
  private async keepQrImage(attemptId: string, url: string): Promise<void> {
    try {
      const response = await (this.deps.fetchImage ?? fetch)(url, {
        signal: AbortSignal.timeout(QR_IMAGE_TIMEOUT_MS),
        redirect: "follow",
      });
      const contentType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
      const body = await response.text();
      if (!response.ok || contentType !== "image/svg+xml" || body.length > QR_IMAGE_MAX_CHARS)
        throw new Error(`${response.status} ${contentType}, ${body.length} characters`);
      await this.deps.sales.saveQrImage(attemptId, { contentType, body }, this.iso());
    } catch (error) {
      this.deps.log.warn("Could not fetch Vipps' QR image; the display uses Vipps' address of it", {
        attemptId,
        err: error,
      });
    }
  }

  private async startAttempt(
    sale: Sale,
    terminal: Terminal,
    attempt: PaymentAttempt,
    source: EventSource,
  ): Promise<Sale> {
    const body = buildCreatePaymentRequest({
      sale,
      terminal,
      attempt,
      publicUrl: this.deps.publicUrl,
      qrSource: this.deps.qrSource,
    });
    this.creating.add(attempt.id);
    try {
      const created = await this.deps.gateway.createPayment(body, { idempotencyKey: `create-${attempt.id}` });
      this.deps.availability?.recordAnswer();
      // A push payment has nothing to show: the request is on the customer's phone.
      if (!created.redirectUrl && !sale.customerPhone) throw new Error("Vipps returned no QR URL for a QR payment");
      await this.deps.sales.updateAttempt(attempt.id, {
        state: "CREATED",
        ...(created.redirectUrl && !sale.customerPhone ? { qrUrl: created.redirectUrl } : {}),
      });
      // Cancelled (by a cashier, here or on another instance) while Vipps was creating it: the
      // payment exists now and must not stay open. A cancel reads the attempt after writing the
      // sale, and this reads the sale after writing the attempt, so one of the two sees the other.
      const now = await this.getSaleOrThrow(sale.id);
      if (now.state !== "pending" || now.currentAttemptId !== attempt.id) {
        await this.endPaymentCreatedTooLate(attempt, source);
        return now;
      }
      if (this.deps.qrSource === "vipps" && created.redirectUrl && !sale.customerPhone)
        await this.keepQrImage(attempt.id, created.redirectUrl);
      await this.deps.sales.appendEvent({
        saleId: sale.id,
        attemptId: attempt.id,
        type: "payment.created",
        source,
        detail: { reference: attempt.reference, expiresAt: attempt.expiresAt },
      });
      await this.deps.saleChanged(sale.terminalId);
      return now;
    } catch (error) {
      const status = gatewayErrorStatus(error);
      // A 4xx is Vipps' final word: nothing was created. Anything else leaves the outcome unknown,
      // and the reconciler finds out (and cancels, should the payment exist after all).
      const definitive = status !== undefined && status >= 400 && status < 500;
      // A 4xx is Vipps answering; no answer, a timeout or a 5xx counts towards an outage.
      if (status !== undefined && status < 500) this.deps.availability?.recordAnswer();
      else this.deps.availability?.recordFailure();
      const summary = gatewayErrorSummary(error);
      await this.deps.sales.updateAttempt(attempt.id, {
        state: definitive ? "REJECTED" : "CREATE_FAILED",
        nextPollAt: this.iso(this.deps.clock.now() + 5000),
      });
      await this.deps.sales.transitionSale(
        sale.id,
        ["pending"],
        { state: "failed", failureReason: summary, updatedAt: this.iso(), endedAt: this.iso() },
        {
          type: "payment.create-failed",
          source,
          attemptId: attempt.id,
          detail: { error: summary },
        },
      );
      this.deps.log.warn("Creating the Vipps payment failed", {
        saleId: sale.id,
        reference: attempt.reference,
        error: summary,
      });
      await this.deps.saleChanged(sale.terminalId);
      const code = gatewayErrorCode(error);
      // 5080: this sales unit may not push to phones; the till offers the QR instead.
      if (code === "5080")
        throw new DomainError("pushNotAllowed", cashierTextForErrorCode(code)!, {
          extra: { saleId: sale.id, vippsErrorCode: code },
        });
      const reason = cashierTextForErrorCode(code) ?? summary;
      throw new DomainError(
        definitive ? "paymentProvider" : "paymentProviderUnavailable",
        `Vipps MobilePay did not create the payment: ${reason}`,
        {
          extra: { saleId: sale.id, ...(code ? { vippsErrorCode: code } : {}) },
        },
      );
    } finally {
      this.creating.delete(attempt.id);
    }
  }

  /**
   * Cancels at Vipps a payment whose sale was cancelled while it was being created. Should that
   * fail, the attempt is marked as a create whose sale has ended, which the reconciler settles:
   * it asks Vipps and cancels the payment if it is still open.
   */
  private async endPaymentCreatedTooLate(attempt: PaymentAttempt, source: EventSource): Promise<void> {
    try {
      await this.deps.transitions.cancelAtVipps({ ...attempt, state: "CREATED" }, "cancelled", source);
    } catch (error) {
      this.deps.log.warn("Cancelling a payment created after its sale ended failed; the reconciler cancels it", {
        saleId: attempt.saleId,
        attemptId: attempt.id,
        err: error,
      });
    }
    const after = await this.deps.sales.getAttempt(attempt.id);
    if (after?.state === "CREATED")
      await this.deps.sales.updateAttempt(attempt.id, { state: "CREATE_FAILED", nextPollAt: this.iso() });
  }

  /** Whether this process is waiting for the answer to the attempt's create call right now. */
  isCreating(attemptId: string): boolean {
    return this.creating.has(attemptId);
  }

  async newQr(saleId: string, source: EventSource): Promise<Sale> {
    return this.deps.transitions.withSaleLock(saleId, async () => {
      const sale = await this.getSaleOrThrow(saleId);
      if (!RETRYABLE_STATES.includes(sale.state)) {
        throw new DomainError(
          "invalidState",
          `A new QR can be made only for an expired, declined, failed or cancelled sale; this one is ${sale.state}`,
        );
      }
      const terminal = await this.deps.counters.getTerminal(sale.terminalId);
      if (!terminal) throw new DomainError("notFound", `No terminal with id ${sale.terminalId}`);
      const attempt = newAttempt(sale.id, this.deps.clock.now());
      let updated: Sale;
      try {
        updated = await this.deps.sales.insertAttempt(sale.id, attempt, {
          type: "sale.new-qr",
          source,
          detail: { reference: attempt.reference },
        });
      } catch (error) {
        if (isStoreError(error, "activeSaleConflict"))
          throw terminalBusy(sale.terminalId, error.details.activeSaleId ?? "");
        throw error;
      }
      return this.startAttempt(updated, terminal, attempt, source);
    });
  }

  async capture(saleId: string, source: EventSource): Promise<Sale> {
    const sale = await this.getSaleOrThrow(saleId);
    if (sale.state === "captured" || sale.state === "refunded") return sale;
    if (sale.state !== "authorized")
      throw new DomainError("invalidState", `Only an approved sale can be captured; this one is ${sale.state}`);
    const after = (await this.deps.transitions.capture(saleId, source)) ?? sale;
    if (after.state !== "captured" && after.state !== "refunded") {
      throw new DomainError(
        "paymentProvider",
        `Vipps MobilePay did not confirm the capture; the sale is ${after.state}.`,
      );
    }
    return after;
  }

  async cancel(saleId: string, source: EventSource): Promise<Sale> {
    return this.deps.transitions.withSaleLock(saleId, async () => {
      const sale = await this.getSaleOrThrow(saleId);
      if (sale.state === "cancelled") return sale;
      if (!ACTIVE_SALE_STATES.includes(sale.state)) {
        const hint = sale.state === "captured" ? " Refund it instead." : "";
        throw new DomainError("invalidState", `A ${sale.state} sale cannot be cancelled.${hint}`);
      }
      const attempt = await this.deps.sales.getAttempt(sale.currentAttemptId);
      if (!attempt) throw new DomainError("notFound", `Sale ${saleId} has no payment attempt`);
      if (attempt.state === "CREATING" || attempt.state === "CREATE_FAILED" || attempt.state === "REJECTED") {
        // Nothing is open at Vipps that we know of; the reconciler cancels a payment that turns up.
        const now = this.iso();
        const cancelled = await this.deps.transitions.transition(
          sale,
          ["pending"],
          { state: "cancelled", updatedAt: now, endedAt: now },
          { type: "sale.cancelled", source, attemptId: attempt.id, detail: { reference: attempt.reference } },
        );
        // A create call that answered meanwhile made the payment after all (see startAttempt).
        const after = await this.deps.sales.getAttempt(attempt.id);
        if (cancelled && after?.state === "CREATED") await this.endPaymentCreatedTooLate(after, source);
        return cancelled ?? sale;
      }
      const after =
        (await this.deps.transitions.cancelAtVipps(attempt, "cancelled", source, true)) ??
        (await this.getSaleOrThrow(saleId));
      // A 2xx must mean it happened: if Vipps did not end the payment, say so.
      if (ACTIVE_SALE_STATES.includes(after.state)) {
        throw new DomainError(
          "paymentProvider",
          `Vipps MobilePay did not confirm the cancel; the sale is still ${after.state}. Try again.`,
        );
      }
      // Vipps had captured it already (an answer lost with a restart): nothing was cancelled.
      if (
        after.state !== "cancelled" &&
        after.state !== "expired" &&
        after.state !== "aborted" &&
        after.state !== "failed"
      ) {
        throw new DomainError(
          "invalidState",
          `The payment had already been captured at Vipps MobilePay; the sale is ${after.state}, not cancelled. Refund it instead.`,
        );
      }
      return after;
    });
  }

  async refund(
    saleId: string,
    amount: number | undefined,
    source: EventSource,
    idempotencyKey?: string,
  ): Promise<Sale> {
    return this.deps.transitions.withSaleLock(
      saleId,
      async () => {
        const sale = await this.getSaleOrThrow(saleId);
        const refundId = idempotencyKey ? refundIdFor(saleId, idempotencyKey) : randomId("rf");
        const previous = (await this.deps.sales.listRefunds(saleId)).find((refund) => refund.id === refundId);
        if (previous?.state === "done") {
          if (amount !== undefined && previous.amount !== amount) {
            throw new DomainError(
              "idempotencyConflict",
              "This Idempotency-Key was already used for a refund of another amount",
            );
          }
          return sale;
        }
        if (sale.state !== "captured" && sale.state !== "refunded")
          throw new DomainError("invalidState", `Only a paid sale can be refunded; this one is ${sale.state}`);
        const refundable = sale.capturedAmount - sale.refundedAmount;
        const value = previous?.amount ?? amount ?? refundable;
        if (previous && amount !== undefined && previous.amount !== amount) {
          throw new DomainError(
            "idempotencyConflict",
            "This Idempotency-Key was already used for a refund of another amount",
          );
        }
        // A refund whose answer was lost may have happened at Vipps, and other refunds may have been
        // counted since: its retry goes to Vipps under the same key, which answers it once, whatever
        // our count says. Vipps refuses it if it was never made and no longer fits.
        const replaying = previous?.state === "pending";
        if (!replaying && (value <= 0 || value > refundable)) {
          throw new DomainError(
            "refundTooLarge",
            `At most ${refundable} minor units of ${sale.currency} can be refunded; asked for ${value}`,
            {
              errors: [{ field: "amount", reason: `must be between 1 and ${refundable}` }],
              extra: { refundable },
            },
          );
        }
        if (!previous)
          await this.deps.sales.insertRefund({
            id: refundId,
            saleId,
            amount: value,
            state: "pending",
            createdAt: this.iso(),
          });
        const attempt = await this.deps.sales.getAttempt(sale.currentAttemptId);
        if (!attempt) throw new DomainError("notFound", `Sale ${saleId} has no payment attempt`);
        // Until the outcome is recorded below, the sale's amounts may lag behind Vipps: should this
        // process die in between, the reconciler finds the mark and asks Vipps (after the call has
        // had its time).
        const recheckSince = this.iso();
        await this.deps.sales.updateAttempt(attempt.id, {
          recheckSince,
          nextPollAt: new Date(this.deps.clock.now() + REFUND_RECHECK_AFTER_MS).toISOString(),
        });
        try {
          const result = await this.deps.gateway.refundPayment(
            attempt.reference,
            { modificationAmount: { value, currency: sale.currency } },
            { idempotencyKey: refundVippsKey(refundId) },
          );
          await this.deps.sales.updateRefund(refundId, "done");
          // Never less than we hold: a replayed key is answered with the totals as they were when
          // Vipps first made that refund, before the ones counted since.
          const refunded = Math.max(result.aggregate.refundedAmount.value, sale.refundedAmount);
          const updated = await this.deps.sales.transitionSale(
            sale.id,
            ["captured", "refunded"],
            {
              refundedAmount: refunded,
              state: refunded >= sale.capturedAmount ? "refunded" : "captured",
              updatedAt: this.iso(),
            },
            {
              type: "payment.refunded",
              source,
              attemptId: attempt.id,
              detail: { amount: value, refundedAmount: refunded },
            },
          );
          await this.deps.sales.clearAttemptRecheck(attempt.id, recheckSince);
          return updated ?? sale;
        } catch (error) {
          const status = gatewayErrorStatus(error);
          // Only Vipps' refusal settles it; without an answer the refund may have happened.
          if (status !== undefined && status < 500) {
            await this.deps.sales.updateRefund(refundId, "failed");
            await this.deps.sales.clearAttemptRecheck(attempt.id, recheckSince);
          }
          await this.deps.sales.appendEvent({
            saleId,
            attemptId: attempt.id,
            type: "payment.refund-failed",
            source,
            detail: { amount: value, error: gatewayErrorSummary(error) },
          });
          throw providerFailure(error, "Refund failed");
        }
      },
      { waitMs: REFUND_QUEUE_WAIT_MS },
    );
  }
}

function terminalBusy(terminalId: string, activeSaleId: string): DomainError {
  return new DomainError(
    "terminalBusy",
    `Terminal ${terminalId} already shows sale ${activeSaleId}; finish or cancel it first`,
    { extra: { activeSaleId } },
  );
}
