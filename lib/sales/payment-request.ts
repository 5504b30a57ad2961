import { createHash, randomBytes } from "node:crypto";
import type { CreatePaymentRequest } from "@/lib/vipps/schemas";
import { FIRST_POLL_DELAY_MS, QR_LIFETIME_MS } from "./payment-rules";
import type { PaymentAttempt, Sale, SaleLine, Terminal } from "./types";

/**
 * What we send Vipps to create a QR payment for a sale, and the identifiers around it. Pure apart
 * from randomness, so the request shape is unit-tested without HTTP.
 */

/**
 * Unique per MSN forever, also across a wiped data dir, and within Vipps' [a-zA-Z0-9-]{8,64}: under
 * 30 characters, so also within the 50 that ePayment allowed before 1.7.
 */
export function newReference(nowMs: number): string {
  return `kd-${nowMs.toString(36)}-${randomBytes(8).toString("hex")}`;
}

/** Our own ids: a readable prefix and random letters and digits. */
export function randomId(prefix: string, bytes = 10): string {
  return `${prefix}_${randomBytes(bytes).toString("base64url").replace(/[-_]/g, "x")}`;
}

/** A receipt page's id: 144 random bits, base64url; the page is public, so its address is the secret. */
export function newReceiptId(): string {
  return randomBytes(18).toString("base64url");
}

/**
 * A refund's id for a client's Idempotency-Key: a hash of the whole key, with the sale's id since
 * keys count per sale, so two long keys that differ only towards the end are two refunds. 24 hex
 * digits (96 bits) keep the Vipps key made of it (`refund-<id>`, 34 characters) within the 50 Vipps
 * allows. Refund ids had this form already: a refund retried across an upgrade finds its first try.
 */
export function refundIdFor(saleId: string, idempotencyKey: string): string {
  return `rf_${createHash("sha256").update(`${saleId}:${idempotencyKey}`).digest("hex").slice(0, 24)}`;
}

/** The Idempotency-Key Vipps gets for a refund: one per refund, however often it is retried. */
export const refundVippsKey = (refundId: string) => `refund-${refundId}`;

/** Fingerprint of a request body, so a replayed Idempotency-Key with another body is caught. */
export function requestHash(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "2 × Coffee, Bun": what a sale without its own description is called. */
export function summarizeLines(lines: readonly Pick<SaleLine, "name" | "quantity">[]): string {
  return truncate(
    lines.map((line) => (line.quantity > 1 ? `${line.quantity} × ${line.name}` : line.name)).join(", "),
    90,
  );
}

export function buildCreatePaymentRequest(params: {
  sale: Sale;
  terminal: Terminal;
  attempt: PaymentAttempt;
  publicUrl: string;
  qrSource?: "app" | "vipps";
}): CreatePaymentRequest {
  const { sale, terminal, attempt, publicUrl } = params;
  // "vipps": Vipps draws the code (an SVG image we fetch once); "app": Vipps gives the link and the
  // display draws it, plain black on white.
  const qrFormat =
    params.qrSource === "vipps" ? ({ format: "IMAGE/SVG+XML" } as const) : ({ format: "TEXT/TARGETURL" } as const);
  // Vipps refuses plain http return URLs; on a LAN-only install there is no https origin to give.
  const returnUrl = publicUrl.startsWith("https://") ? `${publicUrl}/thanks?sale=${sale.id}` : undefined;
  return {
    amount: { value: sale.amount, currency: sale.currency },
    paymentMethod: { type: "WALLET" },
    reference: attempt.reference,
    // At the counter either way: a QR on the display, or a request pushed to the customer's phone.
    customerInteraction: "CUSTOMER_PRESENT",
    ...(sale.customerPhone
      ? { userFlow: "PUSH_MESSAGE" as const, customer: { phoneNumber: sale.customerPhone } }
      : sale.pushCustomer
        ? { userFlow: "PUSH_MESSAGE" as const, customer: sale.pushCustomer }
        : { userFlow: "QR" as const, qrFormat }),
    // What the customer reads in the app and the shop finds in its settlement report.
    // The app already shows the merchant's name above it, so this names the purchase itself.
    paymentDescription: truncate(`${truncate(sale.description, 88)} (#${sale.receiptNumber})`, 100),
    ...(returnUrl ? { returnUrl } : {}),
    receipt: {
      orderLines: sale.lines.map((line) => ({
        name: truncate(line.name, 100),
        id: line.id,
        totalAmount: line.totalAmount,
        totalAmountExcludingTax: line.totalAmount - line.taxAmount,
        totalTaxAmount: line.taxAmount,
        // Basis points, as the sale line keeps it; the whole-percent taxPercentage is deprecated.
        taxRate: line.taxRate,
        unitInfo: { unitPrice: line.unitPrice, quantity: String(line.quantity), quantityUnit: "PCS" },
      })),
      // The POS's own receipt number when it sent one, so the customer's Vipps receipt matches the
      // register's; else our sale number (which paymentDescription carries either way).
      bottomLine: {
        currency: sale.currency,
        posId: terminal.posId,
        receiptNumber: sale.posReference ?? sale.receiptNumber,
      },
    },
    metadata: { saleId: sale.id, terminalId: terminal.id },
  };
}

/** A sale's next payment attempt, made at `nowMs`: a fresh reference, to be created at Vipps. */
export function newAttempt(saleId: string, nowMs: number): PaymentAttempt {
  return {
    id: randomId("att"),
    saleId,
    reference: newReference(nowMs),
    state: "CREATING",
    createdAt: new Date(nowMs).toISOString(),
    expiresAt: new Date(nowMs + QR_LIFETIME_MS).toISOString(),
    nextPollAt: new Date(nowMs + FIRST_POLL_DELAY_MS).toISOString(),
    pollCount: 0,
  };
}
