import { z } from "zod";
import { CurrencySchema } from "./primitive-schemas";

// ---------------------------------------------------------------------------------------------
// Receipt (Order Management API 2.3.24, referenced by ePayment 1.4.1, plus today's taxRate)
// ---------------------------------------------------------------------------------------------

export const QuantityUnitSchema = z.enum(["PCS", "KG", "KM", "MINUTE", "LITRE", "KWH"]);
export type QuantityUnit = z.infer<typeof QuantityUnitSchema>;

export const UnitInfoSchema = z.object({
  /** Price per unit including tax, excluding discount, in minor units. */
  unitPrice: z.int().min(0).nullable(),
  /** Integer or decimal as a string, e.g. "2" or "0.822". Cosmetic only. */
  quantity: z
    .string()
    .max(10)
    .regex(/^\d+(\.\d{1,8})?$/, 'must be an integer or decimal string such as "2.5"'),
  quantityUnit: QuantityUnitSchema.nullable().optional(),
});
export type UnitInfo = z.infer<typeof UnitInfoSchema>;

/**
 * One receipt line. Amounts are integers in minor units.
 *
 * Tax: `taxRate` in basis points (0–10000, 2500 = 25 %) is today's field; the whole-percent
 * `taxPercentage` (0–100) is deprecated but still accepted, and one of the two must be set. Sources:
 * the live ePayment spec as generated into vippsas/deno-sdk src/generated_types/epayment/types.gen.ts
 * (one of the two must be set; taxPercentage marked deprecated), vippsas/agent-toolkit
 * plugins/vipps-developer/skills/order-management/SKILL.md, ../shared/research/VIPPS-FACTS.md. The
 * pinned Order Management 2.3.24 file still requires taxPercentage; the contract tests overlay that.
 * We send `taxRate` only. Should a caller send both, they must agree: `taxPercentageFromRate`.
 *
 * `totalAmount` includes tax, `totalAmountExcludingTax` excludes it and `totalTaxAmount` is the tax
 * (the field descriptions of the same schema), so a line must add up: the app shows totals computed
 * from the lines, and the order-management skill tells integrators to check the sums before sending.
 */
export const OrderLineSchema = z
  .object({
    name: z.string().min(1),
    id: z.string().min(1),
    /** Line total including tax and discount. */
    totalAmount: z.int(),
    totalAmountExcludingTax: z.int(),
    totalTaxAmount: z.int(),
    /** Basis points: 2500 = 25 %. */
    taxRate: z.int().min(0).max(10_000).nullable().optional(),
    /** @deprecated by Vipps: use taxRate. */
    taxPercentage: z.int().min(0).max(100).nullable().optional(),
    unitInfo: UnitInfoSchema.optional(),
    discount: z.int().min(0).nullable().optional(),
    productUrl: z.string().nullable().optional(),
    /** Counts negative towards the receipt sums. */
    isReturn: z.boolean().nullable().optional(),
    isShipping: z.boolean().nullable().optional(),
  })
  .superRefine((line, ctx) => {
    const hasRate = line.taxRate !== undefined && line.taxRate !== null;
    const hasPercentage = line.taxPercentage !== undefined && line.taxPercentage !== null;
    if (!hasRate && !hasPercentage) {
      ctx.addIssue({
        code: "custom",
        path: ["taxRate"],
        message: "taxRate (or the deprecated taxPercentage) is required",
      });
    }
    if (hasRate && hasPercentage && taxPercentageFromRate(line.taxRate!) !== line.taxPercentage) {
      ctx.addIssue({
        code: "custom",
        path: ["taxPercentage"],
        message: "taxPercentage must equal taxRate / 100, rounded",
      });
    }
    if (line.totalAmount !== line.totalAmountExcludingTax + line.totalTaxAmount) {
      ctx.addIssue({
        code: "custom",
        path: ["totalAmount"],
        message: "totalAmount must equal totalAmountExcludingTax + totalTaxAmount",
      });
    }
  });
export type OrderLine = z.infer<typeof OrderLineSchema>;

/** The deprecated whole-percent `taxPercentage` for a `taxRate` in hundredths of a percent. */
export function taxPercentageFromRate(taxRate: number): number {
  return Math.round(taxRate / 100);
}

export const BarcodeSchema = z.object({
  format: z.enum(["EAN-13", "CODE 39", "CODE 128"]).nullable(),
  data: z.string().nullable(),
});
export type Barcode = z.infer<typeof BarcodeSchema>;

export const PaymentSourcesSchema = z.object({
  giftCard: z.int().nullable().optional(),
  card: z.int().nullable().optional(),
  voucher: z.int().nullable().optional(),
  cash: z.int().nullable().optional(),
});
export type PaymentSources = z.infer<typeof PaymentSourcesSchema>;

/** @deprecated by Vipps: use an order line with `isShipping: true`. */
export const ShippingInfoSchema = z.object({
  amount: z.int().min(0).nullable(),
  amountExcludingTax: z.int().min(0).nullable(),
  taxAmount: z.int().min(0).nullable(),
  taxPercentage: z.int().min(0).max(100).nullable(),
});

export const BottomLineSchema = z.object({
  currency: CurrencySchema,
  tipAmount: z.int().min(0).nullable().optional(),
  /** Device id of the POS terminal; the counter display's id in our case. */
  posId: z.string().nullable().optional(),
  receiptNumber: z.string().nullable().optional(),
  paymentSources: PaymentSourcesSchema.optional(),
  barcode: BarcodeSchema.optional(),
  /** @deprecated use posId */
  terminalId: z.string().nullable().optional(),
  /** @deprecated */
  giftCardAmount: z.int().min(0).nullable().optional(),
  /** @deprecated computed from the order lines */
  totalAmount: z.int().nullable().optional(),
  /** @deprecated computed from the order lines */
  totalTax: z.int().min(0).nullable().optional(),
  /** @deprecated computed from the order lines */
  totalDiscount: z.int().min(0).nullable().optional(),
  /** @deprecated use an isShipping order line */
  shippingAmount: z.int().min(0).nullable().optional(),
  /** @deprecated use an isShipping order line */
  shippingInfo: ShippingInfoSchema.optional(),
});
export type BottomLine = z.infer<typeof BottomLineSchema>;

export const ReceiptSchema = z.object({
  orderLines: z.array(OrderLineSchema).min(1),
  bottomLine: BottomLineSchema,
});
export type Receipt = z.infer<typeof ReceiptSchema>;
