import { MIN_PAYMENT_AMOUNT } from "@/lib/vipps/facts";
import type { CreateSaleInput } from "./sale-input";
import type { Currency, SaleLine } from "./types";

/** Vipps' own per-currency minimum for a payment, in minor units. */
export const MINIMUM_PAYMENT: Record<Currency, number> = MIN_PAYMENT_AMOUNT;
// The contracts share the maximum too, so it lives with the entities (below both).
export { MAXIMUM_PAYMENT } from "@/lib/entities/money";

export interface PricedLine {
  quantity: number;
  unitPrice: number;
  taxRate: number;
}

/**
 * Prices include tax (shelf prices). The tax part of a gross amount at rate r (basis points) is
 * gross * r / (10000 + r), rounded half away from zero, so the net and tax always add up to the total.
 */
export function lineTotals(line: PricedLine): { totalAmount: number; taxAmount: number; netAmount: number } {
  const totalAmount = line.quantity * line.unitPrice;
  const taxAmount = Math.round((totalAmount * line.taxRate) / (10_000 + line.taxRate));
  return { totalAmount, taxAmount, netAmount: totalAmount - taxAmount };
}

const MINOR_DIGITS: Record<Currency, number> = { NOK: 2, DKK: 2, EUR: 2 };

export function formatMoney(value: number, currency: Currency, locale = "nb-NO"): string {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: MINOR_DIGITS[currency],
  }).format(value / 10 ** MINOR_DIGITS[currency]);
}

/** The sale's lines as asked for, numbered and with their totals and tax worked out. */
export function priceLines(lines: CreateSaleInput["lines"]): SaleLine[] {
  return lines.map((line, index) => {
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
}
