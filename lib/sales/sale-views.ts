import "server-only";
import { FIRST_STORE_ID } from "@/lib/entities/retail-store";
import type { Clock } from "@/lib/clock";
import { DomainError, isStoreError } from "@/lib/errors";
import type { SalesRepository } from "@/lib/store/repositories";
import { isPushSale, isQrLive, phoneEnding, qrImagePath, receiptUrlOf } from "./payment-rules";
import type { ListSalesQuery, SaleHistory, SaleList } from "@/lib/contracts/sales";
import type { SaleSettlement } from "@/lib/contracts/settlements";
import type { Currency, Money, PaymentAttempt, Sale, SaleEvent, SaleView } from "./types";

/**
 * How long Vipps MobilePay keeps a reservation (an approved, uncaptured payment) before it cancels it,
 * per market. A wallet payment's currency must be that of the sales unit's country (error 5040), so
 * the currency names the market: NOK Norway, DKK Denmark, EUR Finland. Sources: Vipps' "Payment
 * capture deadlines" (ePayment capture page, knowledge base "Payment rules") and its own summary in
 * vippsas/agent-toolkit skills/payment-lifecycle: 180 days in Norway; 14 days in Denmark and Finland
 * unless the sales unit has "late capture" (up to 180 days, not guaranteed), which we cannot see, so
 * we count 14. No source gives a Swedish deadline, and SEK is not an ePayment currency here.
 */
export const CAPTURE_DEADLINES: Record<Currency, { market: "NO" | "DK" | "FI"; days: number }> = {
  NOK: { market: "NO", days: 180 },
  DKK: { market: "DK", days: 14 },
  EUR: { market: "FI", days: 14 },
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** When a reservation made at `authorizedAt` in `currency` must be captured by. */
export function captureDeadlineOf(currency: Currency, authorizedAt: string): string {
  return new Date(Date.parse(authorizedAt) + CAPTURE_DEADLINES[currency].days * DAY_MS).toISOString();
}

/**
 * Until when an approved sale can be captured: Vipps' own `captureGuaranteedUntil` when the
 * approval came with one (ePayment, August 2026), else our count from the approval: the newest
 * event that moved it to "authorized" (an approval Vipps' GET overruled and a later one count
 * from the later), else its last change. Read only for approved sales, which are few.
 */
export function captureDeadlineFromEvents(
  sale: Sale,
  events: readonly SaleEvent[],
): { authorizedAt: string; captureDeadline: string } {
  const approval = events.findLast((event) => event.toState === "authorized");
  const authorizedAt = approval?.at ?? sale.updatedAt;
  const guaranteed = approval?.detail?.captureGuaranteedUntil;
  return {
    authorizedAt,
    captureDeadline: typeof guaranteed === "string" ? guaranteed : captureDeadlineOf(sale.currency, authorizedAt),
  };
}

/** Sales as the POS API and the admin page read them. */
export class SaleViews {
  constructor(
    private readonly deps: {
      sales: SalesRepository;
      clock: Clock /** Set with KASSA_QR_SOURCE=vipps. */;
      qrImageBase?: string;
      /** The app's public origin, for the receipt's address (receiptUrl). */
      publicUrl?: string;
      /** A captured sale's settlement once the ledger has its capture (lib/settlements). */
      settlementOf?: (saleId: string) => Promise<SaleSettlement | undefined>;
    },
  ) {}

  /**
   * Vipps' own QR image of a live attempt, as fetched when the payment was created; when it could
   * not be fetched then, Vipps' address of it (which answers while the payment lives).
   */
  async qrImage(attemptId: string): Promise<{ contentType: string; body: string } | { redirect: string }> {
    const attempt = await this.deps.sales.getAttempt(attemptId);
    const sale = attempt ? await this.deps.sales.getSale(attempt.saleId) : undefined;
    if (!attempt || !sale || !isQrLive(sale, attempt, this.deps.clock.now()))
      throw new DomainError("notFound", "This QR code has expired or does not exist.");
    return (await this.deps.sales.getQrImage(attemptId)) ?? { redirect: attempt.qrUrl };
  }

  async view(sale: Sale): Promise<SaleView> {
    const [attempt, settlement] = await Promise.all([
      this.deps.sales.getAttempt(sale.currentAttemptId),
      sale.capturedAmount > 0 ? this.deps.settlementOf?.(sale.id) : undefined,
    ]);
    const qr = isQrLive(sale, attempt, this.deps.clock.now())
      ? {
          url: attempt.qrUrl,
          expiresAt: attempt.expiresAt,
          ...(this.deps.qrImageBase ? { imageUrl: `${this.deps.qrImageBase}${qrImagePath(attempt.id)}` } : {}),
        }
      : null;
    const captureDeadline =
      sale.state === "authorized"
        ? captureDeadlineFromEvents(sale, await this.deps.sales.listEvents(sale.id)).captureDeadline
        : null;
    return this.present(sale, attempt, qr, captureDeadline, settlement);
  }

  /**
   * The sale as it was at `at`, given its row as it was then: a POS event's `data`, which is
   * rendered when a consumer first reads the event (maybe long after) and must say what GET said
   * at the event. The rest of the view is the row's, or the attempt's parts that never change
   * (reference, expiry), with three exceptions. The QR is null: the only POS event of a pending sale
   * is sale.created, written in the transaction that inserts the sale with its first attempt,
   * before Vipps is asked for the payment, so before there is a QR. The capture deadline counts
   * from the log as it was at `at`, not from an approval that came after. And there is no
   * settlement: that is the ledger's word on the sale, which comes a day or more after the capture
   * and changes on (a payout), not something an event left.
   */
  async viewAt(sale: Sale, at: string): Promise<SaleView> {
    const attempt = await this.deps.sales.getAttempt(sale.currentAttemptId);
    const atMs = Date.parse(at);
    const captureDeadline =
      sale.state === "authorized"
        ? captureDeadlineFromEvents(
            sale,
            (await this.deps.sales.listEvents(sale.id)).filter((event) => Date.parse(event.at) <= atMs),
          ).captureDeadline
        : null;
    return this.present(sale, attempt, null, captureDeadline, undefined);
  }

  private present(
    sale: Sale,
    attempt: PaymentAttempt | undefined,
    qr: SaleView["qr"],
    captureDeadline: string | null,
    settlement: SaleSettlement | undefined,
  ): SaleView {
    const money = (value: number): Money => ({ value, currency: sale.currency });
    return {
      id: sale.id,
      terminalId: sale.terminalId,
      storeId: sale.storeId ?? FIRST_STORE_ID,
      ...(sale.msn ? { msn: sale.msn } : {}),
      receiptNumber: sale.receiptNumber,
      reference: attempt?.reference ?? "",
      state: sale.state,
      amount: money(sale.amount),
      capturedAmount: money(sale.capturedAmount),
      refundedAmount: money(sale.refundedAmount),
      description: sale.description,
      lines: sale.lines,
      ...(sale.posReference ? { posReference: sale.posReference } : {}),
      ...(sale.receiptId && this.deps.publicUrl
        ? { receiptUrl: receiptUrlOf(this.deps.publicUrl, sale.receiptId) }
        : {}),
      flow: isPushSale(sale) ? "push" : "qr",
      ...(sale.customerPhone ? { phoneEnding: phoneEnding(sale.customerPhone) } : {}),
      qr,
      ...(sale.state === "pending" && attempt ? { expiresAt: attempt.expiresAt } : {}),
      autoCapture: sale.autoCapture,
      captureDeadline,
      attemptCount: sale.attemptCount,
      failureReason: sale.failureReason,
      createdAt: sale.createdAt,
      updatedAt: sale.updatedAt,
      endedAt: sale.endedAt,
      ...(settlement ? { settlement } : {}),
    };
  }

  async get(id: string): Promise<SaleView> {
    const sale = await this.deps.sales.getSale(id);
    if (!sale) throw new DomainError("notFound", `No sale with id ${id}`);
    return this.view(sale);
  }

  async list(query: ListSalesQuery): Promise<SaleList> {
    try {
      const page = await this.deps.sales.listSales(query);
      return { items: await Promise.all(page.items.map((sale) => this.view(sale))), nextCursor: page.nextCursor };
    } catch (error) {
      if (isStoreError(error, "invalidCursor")) {
        throw new DomainError("validation", "cursor is not one this API returned", {
          errors: [{ field: "cursor", reason: "unknown cursor" }],
        });
      }
      throw error;
    }
  }

  /** The sale's audit log, oldest first, with its attempts and refunds. */
  async history(id: string): Promise<SaleHistory> {
    const { sales } = this.deps;
    if (!(await sales.getSale(id))) throw new DomainError("notFound", `No sale with id ${id}`);
    const [events, attempts, refunds] = await Promise.all([
      sales.listEvents(id),
      sales.listAttempts(id),
      sales.listRefunds(id),
    ]);
    return {
      items: events.map(({ saleId: _saleId, ...event }) => event),
      attempts: attempts.map((a) => ({
        id: a.id,
        reference: a.reference,
        state: a.state,
        createdAt: a.createdAt,
        expiresAt: a.expiresAt,
        pollCount: a.pollCount,
      })),
      refunds,
    };
  }
}
