import "server-only";
import { DomainError } from "@/lib/errors";
import { cashierTextForErrorCode, gatewayErrorCode, gatewayErrorStatus, gatewayErrorSummary } from "./payment-gateway";
import { buildCreatePaymentRequest } from "./payment-request";
import { isPushSale } from "./payment-rules";
import { getSaleOrThrow, isoAt, type SaleCommandsDeps } from "./sale-command-deps";
import type { EventSource, PaymentAttempt, Sale, Terminal } from "./types";

const QR_IMAGE_TIMEOUT_MS = 5_000;
const QR_IMAGE_MAX_CHARS = 256 * 1024;

/**
 * Asks Vipps to create the payment of one attempt (a new sale's, a new QR's, or a create resumed
 * after a crash) and records the outcome on the sale. It also knows which creates this process is
 * waiting on, so that the reconciler leaves those alone.
 */
export class PaymentAttempts {
  private readonly creating = new Set<string>();

  constructor(private readonly deps: SaleCommandsDeps) {}

  private iso(ms?: number): string {
    return isoAt(this.deps, ms);
  }

  /** Whether this process is waiting for the answer to the attempt's create call right now. */
  isCreating(attemptId: string): boolean {
    return this.creating.has(attemptId);
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

  async start(sale: Sale, terminal: Terminal, attempt: PaymentAttempt, source: EventSource): Promise<Sale> {
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
      const push = isPushSale(sale);
      if (!created.redirectUrl && !push) throw new Error("Vipps returned no QR URL for a QR payment");
      await this.deps.sales.updateAttempt(attempt.id, {
        state: "CREATED",
        ...(created.redirectUrl && !push ? { qrUrl: created.redirectUrl } : {}),
      });
      // Cancelled (by a cashier, here or on another instance) while Vipps was creating it: the
      // payment exists now and must not stay open. A cancel reads the attempt after writing the
      // sale, and this reads the sale after writing the attempt, so one of the two sees the other.
      const now = await getSaleOrThrow(this.deps, sale.id);
      if (now.state !== "pending" || now.currentAttemptId !== attempt.id) {
        await this.endCreatedTooLate(attempt, source);
        return now;
      }
      if (this.deps.qrSource === "vipps" && created.redirectUrl && !push)
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
  async endCreatedTooLate(attempt: PaymentAttempt, source: EventSource): Promise<void> {
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
}
