import type { AdminMessageKey } from "@/lib/i18n/admin-messages";
import type { SaleEventView } from "./types";

/** Each event of a sale's log as the sentence a shop owner reads; unknown types keep their name. */
const SENTENCES: Record<string, AdminMessageKey> = {
  "sale.created": "evSaleCreated",
  "sale.new-qr": "evSaleNewQr",
  "sale.cancelled": "evSaleCancelled",
  "payment.created": "evPaymentCreated",
  "payment.create-failed": "evPaymentCreateFailed",
  "payment.create-lost": "evPaymentCreateLost",
  "payment.authorized": "evPaymentAuthorized",
  "payment.captured": "evPaymentCaptured",
  "payment.capture-failed": "evPaymentCaptureFailed",
  "payment.refunded": "evPaymentRefunded",
  "payment.refund-failed": "evPaymentRefundFailed",
  "payment.expired": "evPaymentExpired",
  "payment.aborted": "evPaymentAborted",
  "payment.terminated": "evPaymentTerminated",
  "payment.released": "evPaymentReleased",
  "payment.approval-contradicted": "evPaymentApprovalContradicted",
};

/** Who or what the event came from, in words. */
export const SOURCE_LABELS: Record<string, AdminMessageKey> = {
  webhook: "evSourceWebhook",
  poll: "evSourcePoll",
  cashier: "evSourceCashier",
  api: "evSourceApi",
  system: "evSourceSystem",
};

interface Formatters {
  t: (key: AdminMessageKey, values?: Record<string, string>) => string;
  money: (minor: number, currency: string) => string;
  time: (iso: string) => string;
}

const numberIn = (detail: Record<string, unknown> | undefined, key: string) =>
  typeof detail?.[key] === "number" ? (detail[key] as number) : undefined;

export function eventSentence(event: SaleEventView, currency: string, { t, money, time }: Formatters): string {
  const key = SENTENCES[event.type];
  if (!key) return event.type.replace(/[._]/g, " ");
  const detail = event.detail ?? undefined;
  const amountOf = (name: string) => {
    const value = numberIn(detail, name);
    return value === undefined ? "" : money(value, currency);
  };
  const expiresAt = typeof detail?.expiresAt === "string" ? time(detail.expiresAt) : "";
  const error = typeof detail?.error === "string" ? detail.error : "";
  const text = t(key, {
    amount: amountOf(event.type === "payment.captured" ? "capturedAmount" : "amount"),
    time: expiresAt,
    error,
  });
  // A sentence whose value the event did not carry loses the empty part, not the sentence.
  return text
    .replace(/\s*\(\)/g, "")
    .replace(/:\s*\./g, ".")
    .replace(/\s+\./g, ".");
}
