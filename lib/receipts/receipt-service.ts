import "server-only";
import { grossByRate, vatOf } from "@/lib/closes/close-report";
import type { CloseVatLine } from "@/lib/entities/close";
import type { Currency } from "@/lib/entities/money";
import type { Language } from "@/lib/entities/terminal";
import { DomainError } from "@/lib/errors";
import type { CountersRepository, SalesRepository } from "@/lib/store/repositories";
import { type WalletBrandName, walletBrandAt, walletBrandName } from "@/lib/vipps/brand";

/** A receipt as its public page (/r/{id}) shows it: who sold what, when, for how much, and how it was paid. */
export interface ReceiptView {
  seller: { shopName: string; organisationNumber: string; address: string };
  /** When the payment was taken (the capture), and the zone the page writes it in. */
  paidAt: string;
  timeZone: string;
  language: Language;
  terminal: { id: string; name: string };
  receiptNumber: string;
  posReference?: string;
  currency: Currency;
  lines: { name: string; quantity: number; unitPrice: number; totalAmount: number; taxRate: number }[];
  /** VAT by rate of the total, worked out as a close does (rounded once per rate; base + tax = gross). */
  vat: CloseVatLine[];
  total: number;
  paymentMethod: WalletBrandName;
  vippsReference: string;
  /** Refunds made, oldest first, and their sum. */
  refunds: { amount: number; at: string }[];
  refunded: number;
}

/** Receipt ids are 144 random bits in base64url (older sales': 36 hex digits or more); anything else is no receipt. */
const RECEIPT_ID = /^[A-Za-z0-9_-]{24,80}$/;

/** The customer's receipt for a paid sale, found by its unguessable id; no sign-in. */
export class ReceiptService {
  constructor(
    private readonly deps: {
      sales: SalesRepository;
      counters: CountersRepository;
      seller: () => Promise<{ shopName: string; organisationNumber: string; address: string; timeZone: string }>;
      brandSwitchAtMs: number;
    },
  ) {}

  async get(receiptId: string): Promise<ReceiptView> {
    const { sales, counters } = this.deps;
    const sale = RECEIPT_ID.test(receiptId) ? await sales.getSaleByReceiptId(receiptId) : undefined;
    // A sale never paid has no receipt: the page does not say whether the id exists.
    if (!sale || sale.capturedAmount === 0) throw new DomainError("notFound", "No receipt with this address");
    const [terminal, attempt, events, refunds, seller] = await Promise.all([
      counters.getTerminal(sale.terminalId),
      sales.getAttempt(sale.currentAttemptId),
      sales.listEvents(sale.id),
      sales.listRefunds(sale.id),
      this.deps.seller(),
    ]);
    const paidAt = events.find((event) => event.type === "payment.captured")?.at ?? sale.endedAt ?? sale.updatedAt;
    const done = refunds.filter((refund) => refund.state === "done");
    const recorded = done.reduce((sum, refund) => sum + refund.amount, 0);
    // A refund Vipps reports that Kassa did not make (in the merchant portal) shows as one more line.
    const outside = sale.refundedAmount - recorded;
    const { timeZone, ...shop } = seller;
    return {
      seller: shop,
      paidAt,
      timeZone,
      language: terminal?.language ?? "nb",
      terminal: { id: sale.terminalId, name: terminal?.name ?? sale.terminalId },
      receiptNumber: sale.receiptNumber,
      ...(sale.posReference ? { posReference: sale.posReference } : {}),
      currency: sale.currency,
      lines: sale.lines.map(({ name, quantity, unitPrice, totalAmount, taxRate }) => ({
        name,
        quantity,
        unitPrice,
        totalAmount,
        taxRate,
      })),
      vat: [...grossByRate(sale.lines).entries()].sort(([a], [b]) => a - b).map(([rate, gross]) => vatOf(gross, rate)),
      total: sale.amount,
      paymentMethod: walletBrandName(walletBrandAt(Date.parse(paidAt), this.deps.brandSwitchAtMs)),
      vippsReference: attempt?.reference ?? "",
      refunds: [
        ...done.map((refund) => ({ amount: refund.amount, at: refund.createdAt })),
        ...(outside > 0 ? [{ amount: outside, at: sale.updatedAt }] : []),
      ],
      refunded: sale.refundedAmount,
    };
  }
}
