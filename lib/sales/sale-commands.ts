import "server-only";
import { DomainError } from "@/lib/errors";
import { PaymentAttempts } from "./payment-attempts";
import { getSaleOrThrow, type SaleCommandsDeps } from "./sale-command-deps";
import { SaleCancellation } from "./sale-cancel";
import { type CheckInOutcome, SaleCheckIn } from "./sale-check-in";
import { SaleCreation } from "./sale-create";
import type { CreateSaleInput } from "./sale-input";
import { SaleRefunds } from "./sale-refund";
import type { EventSource, Sale, SaleView } from "./types";

export type { SaleCommandsDeps } from "./sale-command-deps";
export { REFUND_QUEUE_WAIT_MS, REFUND_RECHECK_AFTER_MS } from "./sale-refund";

/**
 * What a cashier or POS asks of a sale: create, new QR, cancel, capture, refund. Each checks the
 * request against the sale's state and answers with the sale as clients see it, or a DomainError
 * they can act on; the moving of money itself is SaleTransitions'. The create, cancel and refund
 * paths live in modules of their own (sale-create, sale-cancel, sale-refund) and this class
 * delegates to them, so that callers see one object.
 */
export class SaleCommands {
  private readonly attempts: PaymentAttempts;
  private readonly creation: SaleCreation;
  private readonly cancellation: SaleCancellation;
  private readonly refunds: SaleRefunds;
  private readonly checkIns: SaleCheckIn;

  constructor(private readonly deps: SaleCommandsDeps) {
    this.attempts = new PaymentAttempts(deps);
    this.creation = new SaleCreation(deps, this.attempts);
    this.cancellation = new SaleCancellation(deps, this.attempts);
    this.refunds = new SaleRefunds(deps);
    this.checkIns = new SaleCheckIn(deps, this.attempts);
  }

  async createSale(
    input: CreateSaleInput,
    options: { source: EventSource; idempotencyKey?: string; operator?: string },
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

  /** The till's sticker was scanned: its waiting sale goes to the scanning customer's phone (sale-check-in.ts). */
  async sendToCheckedInCustomer(
    terminalId: string,
    checkIn: { customerToken: string; merchantQrId: string },
  ): Promise<CheckInOutcome> {
    return this.checkIns.sendToCheckedInCustomer(terminalId, checkIn);
  }

  async getSaleOrThrow(id: string): Promise<Sale> {
    return getSaleOrThrow(this.deps, id);
  }

  async create(
    input: CreateSaleInput,
    options: { source: EventSource; idempotencyKey?: string; operator?: string },
  ): Promise<{ sale: Sale; replayed: boolean }> {
    return this.creation.create(input, options);
  }

  /** Finishes an attempt whose create call's answer was lost with its process (see SaleCreation). */
  async resumeCreate(attemptId: string, source: EventSource): Promise<void> {
    return this.creation.resumeCreate(attemptId, source);
  }

  /** Whether this process is waiting for the answer to the attempt's create call right now. */
  isCreating(attemptId: string): boolean {
    return this.attempts.isCreating(attemptId);
  }

  async newQr(saleId: string, source: EventSource): Promise<Sale> {
    return this.creation.newQr(saleId, source);
  }

  async capture(saleId: string, source: EventSource): Promise<Sale> {
    const sale = await getSaleOrThrow(this.deps, saleId);
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
    return this.cancellation.cancel(saleId, source);
  }

  async refund(
    saleId: string,
    amount: number | undefined,
    source: EventSource,
    idempotencyKey?: string,
  ): Promise<Sale> {
    return this.refunds.refund(saleId, amount, source, idempotencyKey);
  }
}
