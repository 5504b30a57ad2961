import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "@/lib/clock";
import { computeDisplayState, type DisplayState } from "@/lib/display/display-state";
import { terminalTopic, type EventBus } from "@/lib/events/event-bus";
import { ProblemError } from "@/lib/http/problem";
import type { Logger } from "@/lib/log";
import type { CreatePaymentRequest } from "@/lib/vipps/schemas";
import type { Store, NewSaleEvent } from "@/lib/store/store";
import { lineTotals, MAXIMUM_PAYMENT, MINIMUM_PAYMENT } from "./money";
import {
  gatewayErrorStatus,
  gatewayErrorSummary,
  type GatewayPaymentSnapshot,
  type PaymentGateway,
  type VippsPaymentState,
} from "./payment-gateway";
import type { CreateSaleInput } from "./sale-input";
import {
  ACTIVE_SALE_STATES,
  type EventSource,
  type Money,
  type PaymentAttempt,
  type Sale,
  type SaleLine,
  type SaleState,
  type SaleView,
  type Terminal,
} from "./types";

/** Vipps lets an unapproved QR payment live ten minutes from when it received the create call. */
export const VIPPS_PAYMENT_LIFETIME_MS = 10 * 60 * 1000;
/**
 * We take the QR down and cancel a little before Vipps would expire it, so our cancel always
 * reaches a payment that is still open (a clean TERMINATED, not a race with EXPIRED) and a
 * customer never scans a QR in its last second.
 */
export const QR_LIFETIME_MS = VIPPS_PAYMENT_LIFETIME_MS - 3_000;

export interface SalesServiceOptions {
  store: Store;
  gateway: PaymentGateway;
  bus: EventBus<DisplayState>;
  clock: Clock;
  publicUrl: string;
  log: Logger;
}

const SETTING_SHOP_NAME = "shop.name";
const SETTING_AUTO_CAPTURE = "sales.autoCapture";

const randomId = (prefix: string, bytes = 10) => `${prefix}_${randomBytes(bytes).toString("base64url").replace(/[-_]/g, "x")}`;

/** Unique per MSN forever, also across a wiped data dir, and within Vipps' [a-zA-Z0-9-]{8,50}. */
export function newReference(nowMs: number): string {
  return `kd-${nowMs.toString(36)}-${randomBytes(8).toString("hex")}`;
}

export function requestHash(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

/**
 * The sale life cycle. Every change goes through Store.transitionSale (compare-and-set), so a
 * webhook, a poll and a cashier acting on the same sale at once cannot both win; money-moving
 * calls to Vipps carry an idempotency key derived from the sale, so a retry never charges twice.
 */
export class SalesService {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: SalesServiceOptions) {}

  private get now(): number {
    return this.deps.clock.now();
  }

  private iso(ms = this.now): string {
    return new Date(ms).toISOString();
  }

  /** Serialises work on one sale inside this process; Vipps idempotency covers other processes. */
  private async withSaleLock<T>(saleId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(saleId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.locks.set(saleId, next);
    try {
      return await next;
    } finally {
      if (this.locks.get(saleId) === next) this.locks.delete(saleId);
    }
  }

  async shopName(): Promise<string> {
    return (await this.deps.store.getSetting(SETTING_SHOP_NAME)) ?? "Kassa";
  }

  async settings(): Promise<{ shopName: string; autoCapture: boolean }> {
    return {
      shopName: await this.shopName(),
      autoCapture: (await this.deps.store.getSetting(SETTING_AUTO_CAPTURE)) !== "false",
    };
  }

  async updateSettings(patch: { shopName?: string; autoCapture?: boolean }): Promise<{ shopName: string; autoCapture: boolean }> {
    if (patch.shopName !== undefined) await this.deps.store.setSetting(SETTING_SHOP_NAME, patch.shopName);
    if (patch.autoCapture !== undefined) await this.deps.store.setSetting(SETTING_AUTO_CAPTURE, String(patch.autoCapture));
    for (const terminal of await this.deps.store.listTerminals()) await this.publishDisplay(terminal.id);
    return this.settings();
  }

  // ---------------------------------------------------------------- views and display

  async view(sale: Sale): Promise<SaleView> {
    const attempt = await this.deps.store.getAttempt(sale.currentAttemptId);
    const money = (value: number): Money => ({ value, currency: sale.currency });
    const qrLive =
      sale.state === "pending" && attempt?.state === "CREATED" && attempt.qrUrl && Date.parse(attempt.expiresAt) > this.now;
    return {
      id: sale.id,
      terminalId: sale.terminalId,
      receiptNumber: sale.receiptNumber,
      reference: attempt?.reference ?? "",
      state: sale.state,
      amount: money(sale.amount),
      capturedAmount: money(sale.capturedAmount),
      refundedAmount: money(sale.refundedAmount),
      description: sale.description,
      lines: sale.lines,
      qr: qrLive ? { url: attempt!.qrUrl!, expiresAt: attempt!.expiresAt } : null,
      autoCapture: sale.autoCapture,
      attemptCount: sale.attemptCount,
      failureReason: sale.failureReason,
      createdAt: sale.createdAt,
      updatedAt: sale.updatedAt,
      endedAt: sale.endedAt,
    };
  }

  async displayState(terminalId: string): Promise<DisplayState | undefined> {
    const terminal = await this.deps.store.getTerminal(terminalId);
    if (!terminal) return undefined;
    const sale = (await this.deps.store.getActiveSale(terminalId)) ?? (await this.deps.store.getLatestSale(terminalId));
    const attempt = sale ? await this.deps.store.getAttempt(sale.currentAttemptId) : undefined;
    return computeDisplayState({ terminal, shopName: await this.shopName(), sale, attempt, nowMs: this.now });
  }

  async publishDisplay(terminalId: string): Promise<void> {
    const state = await this.displayState(terminalId);
    if (state) this.deps.bus.publish(terminalTopic(terminalId), state);
  }

  // ---------------------------------------------------------------- create

  async getSaleOrThrow(id: string): Promise<Sale> {
    const sale = await this.deps.store.getSale(id);
    if (!sale) throw new ProblemError("notFound", `No sale with id ${id}`);
    return sale;
  }

  private async nextReceiptNumber(): Promise<string> {
    return String(await this.deps.store.nextSequence("receipt")).padStart(6, "0");
  }

  async createSale(input: CreateSaleInput, options: { source: EventSource; idempotencyKey?: string }): Promise<{ sale: Sale; replayed: boolean }> {
    const hash = requestHash(input);
    if (options.idempotencyKey) {
      const existing = await this.deps.store.getSaleByIdempotencyKey(options.idempotencyKey);
      if (existing) {
        if (existing.requestHash !== hash) {
          throw new ProblemError("idempotencyConflict", "This Idempotency-Key was already used for a different sale request", {
            errors: [{ field: "Idempotency-Key", reason: "reused with a different body" }],
          });
        }
        return { sale: existing, replayed: true };
      }
    }

    const terminal = await this.deps.store.getTerminal(input.terminalId);
    if (!terminal) {
      throw new ProblemError("validation", `There is no terminal with id ${input.terminalId}`, {
        errors: [{ field: "terminalId", reason: "unknown terminal" }],
      });
    }
    const lines: SaleLine[] = input.lines.map((line, index) => {
      const totals = lineTotals(line);
      return {
        id: String(index + 1),
        name: line.name,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        taxRate: line.taxRate,
        totalAmount: totals.totalAmount,
        taxAmount: totals.taxAmount,
        ...(line.productId ? { productId: line.productId } : {}),
      };
    });
    const amount = lines.reduce((sum, line) => sum + line.totalAmount, 0);
    if (amount < MINIMUM_PAYMENT[input.currency] || amount > MAXIMUM_PAYMENT) {
      throw new ProblemError(
        "validation",
        `The total must be between ${MINIMUM_PAYMENT[input.currency]} and ${MAXIMUM_PAYMENT} minor units of ${input.currency}; it is ${amount}`,
        { errors: [{ field: "lines", reason: "total out of the range Vipps MobilePay accepts" }] },
      );
    }

    const active = await this.deps.store.getActiveSale(terminal.id);
    if (active) throw this.terminalBusy(terminal.id, active.id);

    const nowMs = this.now;
    const settings = await this.settings();
    const receiptNumber = await this.nextReceiptNumber();
    const saleId = randomId("sale");
    const attempt = this.newAttempt(saleId, nowMs);
    const sale: Sale = {
      id: saleId,
      terminalId: terminal.id,
      receiptNumber,
      currency: input.currency,
      amount,
      description: input.description?.trim() || summarizeLines(lines),
      lines,
      state: "pending",
      autoCapture: settings.autoCapture,
      capturedAmount: 0,
      refundedAmount: 0,
      currentAttemptId: attempt.id,
      attemptCount: 1,
      idempotencyKey: options.idempotencyKey,
      requestHash: hash,
      createdAt: this.iso(nowMs),
      updatedAt: this.iso(nowMs),
    };
    try {
      await this.deps.store.insertSale(sale, attempt, {
        type: "sale.created",
        source: options.source,
        toState: "pending",
        detail: { amount, currency: sale.currency, lines: lines.length, reference: attempt.reference },
      });
    } catch (error) {
      if ((error as Error)?.name === "ActiveSaleConflict") throw this.terminalBusy(terminal.id, (error as { activeSaleId?: string }).activeSaleId ?? "");
      if (String(error).includes("sales.idempotency_key") && options.idempotencyKey) {
        // Two retries raced; the other one inserted first. Replay it.
        return this.createSale(input, options);
      }
      throw error;
    }
    return { sale: await this.startAttempt(sale, terminal, attempt, options.source), replayed: false };
  }

  private terminalBusy(terminalId: string, activeSaleId: string): ProblemError {
    return new ProblemError("terminalBusy", `Terminal ${terminalId} already shows sale ${activeSaleId}; finish or cancel it first`, {
      activeSaleId,
    });
  }

  private newAttempt(saleId: string, nowMs: number): PaymentAttempt {
    return {
      id: randomId("att"),
      saleId,
      reference: newReference(nowMs),
      state: "CREATING",
      createdAt: this.iso(nowMs),
      expiresAt: this.iso(nowMs + QR_LIFETIME_MS),
      nextPollAt: this.iso(nowMs + 1000),
      pollCount: 0,
    };
  }

  buildCreatePaymentRequest(sale: Sale, terminal: Terminal, attempt: PaymentAttempt): CreatePaymentRequest {
    const returnUrl = this.deps.publicUrl.startsWith("https://") ? `${this.deps.publicUrl}/thanks?sale=${sale.id}` : undefined;
    return {
      amount: { value: sale.amount, currency: sale.currency },
      paymentMethod: { type: "WALLET" },
      reference: attempt.reference,
      userFlow: "QR",
      customerInteraction: "CUSTOMER_PRESENT",
      qrFormat: { format: "TEXT/TARGETURL" },
      // What the customer reads in the app and the shop finds in its settlement report.
      // The app already shows the merchant's name above it, so this names the purchase itself.
      paymentDescription: truncate(`${truncate(sale.description, 88)} (#${sale.receiptNumber})`, 100),
      // Vipps refuses plain http return URLs; on a LAN-only install there is no https origin to give.
      ...(returnUrl ? { returnUrl } : {}),
      receipt: {
        orderLines: sale.lines.map((line) => ({
          name: truncate(line.name, 100),
          id: line.id,
          totalAmount: line.totalAmount,
          totalAmountExcludingTax: line.totalAmount - line.taxAmount,
          totalTaxAmount: line.taxAmount,
          taxPercentage: Math.round(line.taxRate / 100),
          unitInfo: { unitPrice: line.unitPrice, quantity: String(line.quantity), quantityUnit: "PCS" },
        })),
        bottomLine: { currency: sale.currency, posId: terminal.posId, receiptNumber: sale.receiptNumber },
      },
      metadata: { saleId: sale.id, terminalId: terminal.id },
    };
  }

  private async startAttempt(sale: Sale, terminal: Terminal, attempt: PaymentAttempt, source: EventSource): Promise<Sale> {
    const body = this.buildCreatePaymentRequest(sale, terminal, attempt);
    try {
      const created = await this.deps.gateway.createPayment(body, { idempotencyKey: `create-${attempt.id}` });
      if (!created.redirectUrl) throw new Error("Vipps returned no QR URL for a QR payment");
      await this.deps.store.updateAttempt(attempt.id, { state: "CREATED", qrUrl: created.redirectUrl });
      await this.deps.store.appendEvent({
        saleId: sale.id,
        attemptId: attempt.id,
        type: "payment.created",
        source,
        detail: { reference: attempt.reference, expiresAt: attempt.expiresAt },
      });
      await this.publishDisplay(sale.terminalId);
      return (await this.deps.store.getSale(sale.id))!;
    } catch (error) {
      const status = gatewayErrorStatus(error);
      // A 4xx is Vipps' final word: nothing was created. Anything else leaves the outcome unknown,
      // and the reconciler finds out (and cancels, should the payment exist after all).
      const definitive = status !== undefined && status >= 400 && status < 500;
      await this.deps.store.updateAttempt(attempt.id, { state: definitive ? "REJECTED" : "CREATE_FAILED", nextPollAt: this.iso(this.now + 5000) });
      const failed = await this.deps.store.transitionSale(sale.id, ["pending"], { state: "failed", failureReason: gatewayErrorSummary(error), updatedAt: this.iso(), endedAt: this.iso() }, {
        type: "payment.create-failed",
        source,
        attemptId: attempt.id,
        detail: { error: gatewayErrorSummary(error) },
      });
      this.deps.log.warn("Creating the Vipps payment failed", { saleId: sale.id, reference: attempt.reference, error: gatewayErrorSummary(error) });
      await this.publishDisplay(sale.terminalId);
      throw new ProblemError(definitive ? "paymentProvider" : "paymentProviderUnavailable", `Vipps MobilePay did not create the payment: ${gatewayErrorSummary(error)}`, {
        saleId: failed?.id ?? sale.id,
      });
    }
  }

  async newQr(saleId: string, source: EventSource): Promise<Sale> {
    return this.withSaleLock(saleId, async () => {
      const sale = await this.getSaleOrThrow(saleId);
      if (!["expired", "aborted", "failed", "cancelled"].includes(sale.state)) {
        throw new ProblemError("invalidState", `A new QR can be made only for an expired, declined, failed or cancelled sale; this one is ${sale.state}`);
      }
      const terminal = (await this.deps.store.getTerminal(sale.terminalId))!;
      const attempt = this.newAttempt(sale.id, this.now);
      let updated: Sale;
      try {
        updated = await this.deps.store.insertAttempt(sale.id, attempt, { type: "sale.new-qr", source, detail: { reference: attempt.reference } });
      } catch (error) {
        if ((error as Error)?.name === "ActiveSaleConflict") throw this.terminalBusy(sale.terminalId, (error as { activeSaleId?: string }).activeSaleId ?? "");
        throw error;
      }
      return this.startAttempt(updated, terminal, attempt, source);
    });
  }

  // ---------------------------------------------------------------- what Vipps tells us

  /**
   * Applies a payment snapshot from GET payment or a modification response. Idempotent and
   * monotonic: replaying an old snapshot never moves a sale backwards.
   */
  async applySnapshot(attempt: PaymentAttempt, snapshot: GatewayPaymentSnapshot, source: EventSource): Promise<Sale | undefined> {
    const sale = await this.deps.store.getSale(attempt.saleId);
    if (!sale) return undefined;
    if (attempt.state !== snapshot.state) await this.deps.store.updateAttempt(attempt.id, { state: snapshot.state });
    const isCurrent = sale.currentAttemptId === attempt.id;

    if (!isCurrent) {
      // An older attempt of this sale was approved after we moved on (a very late approval).
      // Release the money rather than leave it reserved on the customer's account.
      if (snapshot.state === "AUTHORIZED" && snapshot.aggregate.capturedAmount.value === 0 && !attempt.cancelReason) {
        await this.cancelAtVipps({ ...attempt, state: snapshot.state }, "superseded", source);
      }
      return sale;
    }

    const captured = snapshot.aggregate.capturedAmount.value;
    const refunded = snapshot.aggregate.refundedAmount.value;
    const cancelled = snapshot.aggregate.cancelledAmount.value;
    const nowIso = this.iso();
    let result: Sale | undefined;

    switch (snapshot.state) {
      case "AUTHORIZED": {
        if (captured > 0 && captured >= sale.amount) {
          result = await this.transition(sale, ["pending", "authorized", "captured", "refunded", "expired", "cancelled"], {
            state: refunded >= captured && refunded > 0 ? "refunded" : "captured",
            capturedAmount: captured,
            refundedAmount: Math.max(sale.refundedAmount, refunded),
            updatedAt: nowIso,
            endedAt: sale.endedAt ?? nowIso,
          }, "payment.captured", source, attempt, { capturedAmount: captured, refundedAmount: refunded }, (s) => s.capturedAmount !== captured || s.refundedAmount < refunded || (s.state !== "captured" && s.state !== "refunded"));
        } else if (cancelled > 0 && captured === 0) {
          result = await this.transition(sale, ["pending", "authorized", "expired"], { state: "cancelled", updatedAt: nowIso, endedAt: sale.endedAt ?? nowIso }, "payment.released", source, attempt, { cancelledAmount: cancelled });
        } else {
          result = await this.transition(sale, ["pending", "expired"], { state: "authorized", updatedAt: nowIso }, "payment.authorized", source, attempt);
          const current = result ?? (await this.deps.store.getSale(sale.id));
          if (current?.state === "authorized" && current.autoCapture) void this.captureSale(current.id, source).catch(() => undefined);
        }
        break;
      }
      case "ABORTED":
        result = await this.transition(sale, ["pending"], { state: "aborted", updatedAt: nowIso, endedAt: nowIso }, "payment.aborted", source, attempt);
        break;
      case "EXPIRED":
        result = await this.transition(sale, ["pending"], { state: "expired", updatedAt: nowIso, endedAt: nowIso }, "payment.expired", source, attempt);
        break;
      case "TERMINATED":
        result = await this.transition(
          sale,
          ["pending", "authorized"],
          { state: attempt.cancelReason === "expired" ? "expired" : "cancelled", updatedAt: nowIso, endedAt: nowIso },
          "payment.terminated",
          source,
          attempt,
        );
        break;
      case "CREATED":
        break;
    }
    return result ?? (await this.deps.store.getSale(sale.id));
  }

  private async transition(
    sale: Sale,
    from: readonly SaleState[],
    patch: Partial<Sale>,
    type: string,
    source: EventSource,
    attempt: PaymentAttempt,
    detail?: Record<string, unknown>,
    changed: (sale: Sale) => boolean = (s) => s.state !== patch.state,
  ): Promise<Sale | undefined> {
    if (!changed(sale)) return undefined;
    const event: NewSaleEvent = { type, source, attemptId: attempt.id, detail: { reference: attempt.reference, ...detail } };
    const updated = await this.deps.store.transitionSale(sale.id, from, patch, event);
    if (updated) {
      this.deps.log.info("Sale changed", { saleId: sale.id, from: sale.state, to: updated.state, via: source });
      await this.publishDisplay(sale.terminalId);
    }
    return updated;
  }

  /** A webhook names one event; the GET that follows for money events keeps aggregates exact. */
  async applyWebhookEvent(event: { reference: string; name: string; amount: { value: number; currency: string }; pspReference: string; timestamp: string; success: boolean }): Promise<"applied" | "unknown-reference" | "ignored"> {
    const attempt = await this.deps.store.getAttemptByReference(event.reference);
    if (!attempt) return "unknown-reference";
    if (!event.success) {
      await this.deps.store.appendEvent({ saleId: attempt.saleId, attemptId: attempt.id, type: `webhook.${event.name.toLowerCase()}.unsuccessful`, source: "webhook", detail: { ...event } });
      return "ignored";
    }
    const sale = await this.deps.store.getSale(attempt.saleId);
    if (!sale) return "unknown-reference";
    const zero = { value: 0, currency: sale.currency };
    const stateByEvent: Partial<Record<string, VippsPaymentState>> = {
      AUTHORIZED: "AUTHORIZED",
      ABORTED: "ABORTED",
      EXPIRED: "EXPIRED",
      TERMINATED: "TERMINATED",
    };
    const state = stateByEvent[event.name];
    if (state) {
      // AUTHORIZED arriving after a CAPTURED we already applied is harmless: the transition guard
      // only lets it move a pending sale.
      await this.applySnapshot(attempt, {
        reference: event.reference,
        state,
        aggregate: { authorizedAmount: state === "AUTHORIZED" ? event.amount : zero, cancelledAmount: zero, capturedAmount: zero, refundedAmount: zero },
      }, "webhook");
      return "applied";
    }
    // CAPTURED, REFUNDED, CANCELLED carry only one movement; ask Vipps for the running totals.
    void this.reconcileAttempt(attempt.id, "webhook").catch(() => undefined);
    return "applied";
  }

  // ---------------------------------------------------------------- money movements

  async captureSale(saleId: string, source: EventSource): Promise<Sale> {
    return this.withSaleLock(saleId, async () => {
      const sale = await this.getSaleOrThrow(saleId);
      if (sale.state === "captured" || sale.state === "refunded") return sale;
      if (sale.state !== "authorized") {
        throw new ProblemError("invalidState", `Only an approved sale can be captured; this one is ${sale.state}`);
      }
      const attempt = (await this.deps.store.getAttempt(sale.currentAttemptId))!;
      try {
        // One key per sale: however often this is retried, from however many places, Vipps
        // captures the amount once.
        const result = await this.deps.gateway.capturePayment(
          attempt.reference,
          { modificationAmount: { value: sale.amount, currency: sale.currency } },
          { idempotencyKey: `capture-${sale.id}` },
        );
        return (await this.applySnapshot(attempt, result, source)) ?? sale;
      } catch (error) {
        await this.deps.store.appendEvent({ saleId, attemptId: attempt.id, type: "payment.capture-failed", source, detail: { error: gatewayErrorSummary(error) } });
        this.deps.log.warn("Capture failed; the reconciler retries", { saleId, error: gatewayErrorSummary(error) });
        throw new ProblemError(gatewayErrorStatus(error) ? "paymentProvider" : "paymentProviderUnavailable", `Capture failed: ${gatewayErrorSummary(error)}`);
      }
    });
  }

  async cancelSale(saleId: string, source: EventSource): Promise<Sale> {
    return this.withSaleLock(saleId, async () => {
      const sale = await this.getSaleOrThrow(saleId);
      if (sale.state === "cancelled") return sale;
      if (!(ACTIVE_SALE_STATES as readonly string[]).includes(sale.state)) {
        const hint = sale.state === "captured" ? " Refund it instead." : "";
        throw new ProblemError("invalidState", `A ${sale.state} sale cannot be cancelled.${hint}`);
      }
      const attempt = (await this.deps.store.getAttempt(sale.currentAttemptId))!;
      if (attempt.state === "CREATING" || attempt.state === "CREATE_FAILED" || attempt.state === "REJECTED") {
        return (await this.transition(sale, ["pending"], { state: "cancelled", updatedAt: this.iso(), endedAt: this.iso() }, "sale.cancelled", source, attempt)) ?? sale;
      }
      const result = await this.cancelAtVipps(attempt, "cancelled", source);
      return result ?? (await this.getSaleOrThrow(saleId));
    });
  }

  /**
   * Cancels the attempt at Vipps. For expiry we ask to cancel only an unapproved payment, so an
   * approval that lands in the last second is captured rather than thrown away.
   */
  private async cancelAtVipps(attempt: PaymentAttempt, reason: "expired" | "cancelled" | "superseded", source: EventSource): Promise<Sale | undefined> {
    await this.deps.store.updateAttempt(attempt.id, { cancelReason: reason });
    const marked = { ...attempt, cancelReason: reason };
    try {
      const result = await this.deps.gateway.cancelPayment(attempt.reference, {
        idempotencyKey: `cancel-${attempt.id}`,
        ...(reason === "expired" ? { cancelTransactionOnly: true } : {}),
      });
      return await this.applySnapshot(marked, result, source);
    } catch (error) {
      // The cancel may have been refused because the payment already ended (expired, aborted);
      // the GET tells which.
      this.deps.log.warn("Cancel at Vipps failed; checking the payment", { reference: attempt.reference, error: gatewayErrorSummary(error) });
      try {
        const snapshot = await this.deps.gateway.getPayment(attempt.reference);
        if (snapshot.state !== "CREATED") return await this.applySnapshot(marked, snapshot, source);
      } catch {
        // The reconciler will retry.
      }
      if (reason === "cancelled") {
        throw new ProblemError(gatewayErrorStatus(error) ? "paymentProvider" : "paymentProviderUnavailable", `Cancel failed: ${gatewayErrorSummary(error)}`);
      }
      return undefined;
    }
  }

  async refundSale(saleId: string, amount: number | undefined, source: EventSource, idempotencyKey?: string): Promise<Sale> {
    return this.withSaleLock(saleId, async () => {
      const sale = await this.getSaleOrThrow(saleId);
      const refundId = idempotencyKey
        ? `rf_${createHash("sha256").update(`${saleId}:${idempotencyKey}`).digest("hex").slice(0, 24)}`
        : randomId("rf");
      const previous = (await this.deps.store.listRefunds(saleId)).find((refund) => refund.id === refundId);
      if (previous && previous.state === "done") {
        if (amount !== undefined && previous.amount !== amount) {
          throw new ProblemError("idempotencyConflict", "This Idempotency-Key was already used for a refund of another amount");
        }
        return sale;
      }
      if (sale.state !== "captured" && sale.state !== "refunded") {
        throw new ProblemError("invalidState", `Only a paid sale can be refunded; this one is ${sale.state}`);
      }
      const refundable = sale.capturedAmount - sale.refundedAmount;
      const value = previous?.amount ?? amount ?? refundable;
      if (value <= 0 || value > refundable) {
        throw new ProblemError("refundTooLarge", `At most ${refundable} minor units of ${sale.currency} can be refunded; asked for ${value}`, {
          errors: [{ field: "amount", reason: `must be between 1 and ${refundable}` }],
          refundable,
        });
      }
      if (!previous) await this.deps.store.insertRefund({ id: refundId, saleId, amount: value, state: "pending", createdAt: this.iso() });
      const attempt = (await this.deps.store.getAttempt(sale.currentAttemptId))!;
      try {
        const result = await this.deps.gateway.refundPayment(
          attempt.reference,
          { modificationAmount: { value, currency: sale.currency } },
          { idempotencyKey: `refund-${refundId}` },
        );
        await this.deps.store.updateRefund(refundId, "done");
        const refunded = result.aggregate.refundedAmount.value;
        const updated = await this.deps.store.transitionSale(
          sale.id,
          ["captured", "refunded"],
          { refundedAmount: refunded, state: refunded >= sale.capturedAmount ? "refunded" : "captured", updatedAt: this.iso() },
          { type: "payment.refunded", source, attemptId: attempt.id, detail: { amount: value, refundedAmount: refunded } },
        );
        return updated ?? sale;
      } catch (error) {
        if (gatewayErrorStatus(error) && gatewayErrorStatus(error)! < 500) await this.deps.store.updateRefund(refundId, "failed");
        await this.deps.store.appendEvent({ saleId, attemptId: attempt.id, type: "payment.refund-failed", source, detail: { amount: value, error: gatewayErrorSummary(error) } });
        throw new ProblemError(gatewayErrorStatus(error) ? "paymentProvider" : "paymentProviderUnavailable", `Refund failed: ${gatewayErrorSummary(error)}`);
      }
    });
  }

  // ---------------------------------------------------------------- reconciliation

  /** Asks Vipps about one attempt and applies the answer; also expires and captures when due. */
  async reconcileAttempt(attemptId: string, source: EventSource = "poll"): Promise<void> {
    const attempt = await this.deps.store.getAttempt(attemptId);
    if (!attempt) return;
    const sale = await this.deps.store.getSale(attempt.saleId);
    if (!sale) return;
    const nowMs = this.now;

    if (attempt.state === "CREATING") {
      // The create call is in flight in this process, or it died with it: after a minute, treat
      // the outcome as unknown.
      if (nowMs - Date.parse(attempt.createdAt) > 60_000) await this.deps.store.updateAttempt(attempt.id, { state: "CREATE_FAILED" });
      return;
    }

    let snapshot: GatewayPaymentSnapshot;
    try {
      snapshot = await this.deps.gateway.getPayment(attempt.reference);
    } catch (error) {
      const status = gatewayErrorStatus(error);
      if (status === 404 && attempt.state === "CREATE_FAILED") {
        await this.deps.store.updateAttempt(attempt.id, { state: "REJECTED" });
        return;
      }
      await this.schedulePoll(attempt, nowMs, true);
      return;
    } finally {
      await this.deps.store.updateAttempt(attempt.id, { lastPolledAt: this.iso(nowMs), pollCount: attempt.pollCount + 1 });
    }

    if (attempt.state === "CREATE_FAILED") {
      // The sale already failed; a payment that exists after all must not stay open.
      await this.deps.store.updateAttempt(attempt.id, { state: snapshot.state });
      if (snapshot.state === "CREATED" || (snapshot.state === "AUTHORIZED" && snapshot.aggregate.capturedAmount.value === 0)) {
        await this.cancelAtVipps({ ...attempt, state: snapshot.state }, "superseded", source);
      }
      return;
    }

    const updated = await this.withSaleLock(sale.id, () => this.applySnapshot(attempt, snapshot, source));
    const fresh = (await this.deps.store.getAttempt(attempt.id))!;

    if (snapshot.state === "CREATED" && updated?.state === "pending" && Date.parse(attempt.expiresAt) <= nowMs) {
      await this.withSaleLock(sale.id, () => this.cancelAtVipps(fresh, "expired", "system"));
      return;
    }
    if (updated?.state === "authorized" && updated.autoCapture) {
      await this.captureSale(updated.id, source).catch(() => undefined);
    }
    await this.schedulePoll(fresh, nowMs, false);
  }

  /** Expires a QR at its deadline without waiting for the next poll. */
  async expireIfDue(attemptId: string): Promise<void> {
    const attempt = await this.deps.store.getAttempt(attemptId);
    if (attempt?.state !== "CREATED" || Date.parse(attempt.expiresAt) > this.now) return;
    const sale = await this.deps.store.getSale(attempt.saleId);
    if (sale?.state !== "pending" || sale.currentAttemptId !== attempt.id) return;
    await this.withSaleLock(sale.id, () => this.cancelAtVipps(attempt, "expired", "system"));
  }

  /**
   * About once a second while a QR is fresh (Vipps allows 120 GETs a minute per reference), then
   * slower; longer after errors so an outage is not hammered.
   */
  private async schedulePoll(attempt: PaymentAttempt, nowMs: number, failed: boolean): Promise<void> {
    const age = nowMs - Date.parse(attempt.createdAt);
    let delay = age < 3 * 60_000 ? 1000 : age < QR_LIFETIME_MS + 60_000 ? 2000 : 15_000;
    if (attempt.state === "AUTHORIZED") delay = Math.min(30_000, 2000 * 2 ** Math.min(attempt.pollCount, 4));
    if (failed) delay = Math.min(30_000, Math.max(delay, 2000) * 2);
    const sale = await this.deps.store.getSale(attempt.saleId);
    const expiry = Date.parse(attempt.expiresAt);
    // Never sleep past the QR's deadline while it is still on screen.
    if (sale?.state === "pending" && expiry > nowMs) delay = Math.min(delay, Math.max(expiry - nowMs, 50));
    await this.deps.store.updateAttempt(attempt.id, { nextPollAt: this.iso(nowMs + delay) });
  }
}

function summarizeLines(lines: SaleLine[]): string {
  return truncate(lines.map((line) => (line.quantity > 1 ? `${line.quantity} × ${line.name}` : line.name)).join(", "), 90);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

