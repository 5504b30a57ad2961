import "server-only";
import type { Clock } from "@/lib/clock";
import { DomainError, isStoreError } from "@/lib/errors";
import type { Store } from "@/lib/store/store";
import { isQrLive } from "./payment-rules";
import type { ListSalesQuery } from "./sale-input";
import type { Money, Sale, SaleView } from "./types";

/** Sales as the POS API and the admin page read them. */
export class SaleViews {
  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  async view(sale: Sale): Promise<SaleView> {
    const attempt = await this.deps.store.getAttempt(sale.currentAttemptId);
    const money = (value: number): Money => ({ value, currency: sale.currency });
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
      qr: isQrLive(sale, attempt, this.deps.clock.now()) ? { url: attempt.qrUrl, expiresAt: attempt.expiresAt } : null,
      autoCapture: sale.autoCapture,
      attemptCount: sale.attemptCount,
      failureReason: sale.failureReason,
      createdAt: sale.createdAt,
      updatedAt: sale.updatedAt,
      endedAt: sale.endedAt,
    };
  }

  async get(id: string): Promise<SaleView> {
    const sale = await this.deps.store.getSale(id);
    if (!sale) throw new DomainError("notFound", `No sale with id ${id}`);
    return this.view(sale);
  }

  async list(query: ListSalesQuery): Promise<{ items: SaleView[]; nextCursor: string | null }> {
    try {
      const page = await this.deps.store.listSales(query);
      return { items: await Promise.all(page.items.map((sale) => this.view(sale))), nextCursor: page.nextCursor };
    } catch (error) {
      if (isStoreError(error, "invalidCursor")) {
        throw new DomainError("validation", "cursor is not one this API returned", { errors: [{ field: "cursor", reason: "unknown cursor" }] });
      }
      throw error;
    }
  }

  /** The sale's audit log, oldest first, with its attempts and refunds. */
  async history(id: string) {
    const { store } = this.deps;
    if (!(await store.getSale(id))) throw new DomainError("notFound", `No sale with id ${id}`);
    const [events, attempts, refunds] = await Promise.all([store.listEvents(id), store.listAttempts(id), store.listRefunds(id)]);
    return {
      items: events.map(({ saleId: _saleId, ...event }) => event),
      attempts: attempts.map((a) => ({ id: a.id, reference: a.reference, state: a.state, createdAt: a.createdAt, expiresAt: a.expiresAt, pollCount: a.pollCount })),
      refunds,
    };
  }
}
