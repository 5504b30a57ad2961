import { z } from "zod";
import { SaleSettlementSchema } from "./settlements";
import { requestComponents, responseComponents } from "./components";
import {
  CurrencySchema,
  MoneySchema,
  minorUnits,
  SaleStateSchema,
  TimestampSchema,
  taxRateDescription,
  visibleText,
} from "./fields";

/** The sales feature of the POS API: what it accepts and what it answers. */

// ——— Requests ———

export const MAX_LINES = 100;

export const SaleLineInputSchema = z
  .strictObject({
    name: visibleText(z.string().trim().min(1, "name is required").max(100, "name is at most 100 characters"), "name"),
    quantity: z
      .number()
      .int("quantity must be a whole number")
      .min(1, "quantity must be at least 1")
      .max(10_000, "quantity is at most 10000"),
    unitPrice: minorUnits("unitPrice"),
    taxRate: z
      .number()
      .int("taxRate is in basis points, a whole number (2500 = 25 %)")
      .min(0)
      .max(10_000)
      .default(2500),
    productId: z.string().max(64).optional(),
  })
  .meta({ description: "One order line. Prices include tax; taxRate is in basis points (2500 = 25 %)." });

/**
 * The customer's mobile number as the cashier types it: with its country code (+47 412 34 567,
 * 4741234567) or without, when the shop's currency says the country (lib/sales/phone-number.ts).
 * Spaces, dashes and brackets are dropped here; the digits are checked there.
 */
const PhoneNumberSchema = z
  .string({ error: "Type the customer's mobile number, e.g. 412 34 567" })
  .max(24, "A mobile number is at most 15 digits with its country code")
  .regex(/^\s*(\+|00)?[0-9][0-9\s().-]*$/, "Type only the digits of the customer's mobile number, e.g. 412 34 567")
  .meta({ example: "+47 412 34 567" });

/** The content of the customer's personal QR in their app, as the till's barcode scanner read it: sent whole. */
const PersonalQrSchema = z
  .string({ error: "Scan the customer's QR code in their app" })
  .min(5, "A personal QR code is 5 to 255 characters")
  .max(255, "A personal QR code is 5 to 255 characters")
  .meta({ example: "https://qr.vipps.no/28/2/01/031/4791234567" });

/** Send the payment request to this customer's phone (push) instead of showing a QR code. */
const CustomerSchema = z
  .strictObject({ phoneNumber: PhoneNumberSchema.optional(), personalQr: PersonalQrSchema.optional() })
  .refine((customer) => (customer.phoneNumber === undefined) !== (customer.personalQr === undefined), {
    message: "Give exactly one of phoneNumber and personalQr",
  })
  .meta({
    description:
      "The customer's phone, for a payment request pushed to the Vipps or MobilePay app instead of a QR code: " +
      "exactly one of the number typed or the personal QR scanned from their app.",
  });

/** The POS's own reference (its receipt number): kept on the sale and sent to Vipps as the receipt's receiptNumber. */
const PosReferenceSchema = visibleText(
  z.string().min(1, "posReference is 1 to 64 characters").max(64, "posReference is 1 to 64 characters"),
  "posReference",
)
  .refine((text) => text.trim() === text, { message: "posReference may not start or end with a space" })
  .meta({ description: "The POS's own reference for the sale, e.g. its receipt number: 1–64 printable characters" });

const LinesSaleSchema = z.strictObject({
  terminalId: z.string().min(1, "terminalId is required").max(64),
  currency: CurrencySchema,
  lines: z
    .array(SaleLineInputSchema)
    .min(1, "at least one line is required")
    .max(MAX_LINES, `at most ${MAX_LINES} lines`),
  description: visibleText(z.string().trim().min(3).max(90), "description").optional(),
  customer: CustomerSchema.optional(),
  posReference: PosReferenceSchema.optional(),
});

/** A typed amount ("charge 250 kr for repairs") without catalogue lines. */
const AmountSaleSchema = z.strictObject({
  terminalId: z.string().min(1, "terminalId is required").max(64),
  currency: CurrencySchema,
  amount: minorUnits("amount"),
  description: visibleText(
    z.string().trim().min(3, "description must be at least 3 characters").max(90),
    "description",
  ),
  taxRate: z.number().int().min(0).max(10_000).default(2500),
  customer: CustomerSchema.optional(),
  posReference: PosReferenceSchema.optional(),
});

export const CreateSaleRequestSchema = z
  .union([LinesSaleSchema, AmountSaleSchema])
  .meta({ description: "Either order lines, or an amount with a description." })
  .register(requestComponents, { id: "CreateSaleRequest" });

export type CreateSaleRequest = z.infer<typeof CreateSaleRequestSchema>;

/**
 * The schema a given body is checked against: a union's error would only say "matches neither",
 * while the cashier or POS developer needs to hear which field of their chosen shape is wrong.
 */
export function createSaleSchemaFor(body: unknown): typeof LinesSaleSchema | typeof AmountSaleSchema {
  const isAmountSale = typeof body === "object" && body !== null && "amount" in body && !("lines" in body);
  return isAmountSale ? AmountSaleSchema : LinesSaleSchema;
}

export const RefundRequestSchema = z
  .strictObject({
    amount: minorUnits("amount").min(1, "amount must be at least 1").optional(),
    approval: z
      .strictObject({
        username: z.string().min(1).max(64),
        pin: z.string().regex(/^[0-9]{4,6}$/, "pin is 4 to 6 digits"),
      })
      .optional()
      .meta({
        description:
          "A cashier's refund needs a manager of the sale's store to approve it on the spot: their username and PIN",
      }),
  })
  .register(requestComponents, { id: "RefundRequest" });

/** The query of GET /api/v1/sales; the summary and the CSV export take parts of it. */
export const ListSalesQuerySchema = z.strictObject({
  terminalId: z.string().max(64).optional(),
  storeId: z.string().max(32).optional().meta({ description: "Only the sales of this store (Vipps sales unit)" }),
  state: SaleStateSchema.optional(),
  from: z.iso.datetime({ offset: true, error: "from must be an ISO 8601 date-time" }).optional(),
  to: z.iso.datetime({ offset: true, error: "to must be an ISO 8601 date-time" }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
export type ListSalesQuery = z.infer<typeof ListSalesQuerySchema>;

export const SalesSummaryQuerySchema = ListSalesQuerySchema.pick({
  terminalId: true,
  storeId: true,
  from: true,
  to: true,
});
export const SalesExportQuerySchema = ListSalesQuerySchema.omit({ cursor: true, limit: true }).extend({
  format: z.enum(["csv", "excel"]).optional().meta({
    description:
      '"csv": comma-separated, decimal points. "excel": ";"-separated with decimal commas and a UTF-8 byte order mark, as Excel in a Nordic locale opens it. Without it: "excel" when the admin language is Norwegian, Danish, Swedish or Finnish, else "csv".',
  }),
});

// ——— Responses ———

export const SaleLineSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    quantity: z.number().int(),
    unitPrice: z.number().int(),
    taxRate: z.number().int().meta({ description: taxRateDescription }),
    totalAmount: z.number().int(),
    taxAmount: z.number().int(),
    productId: z.string().optional(),
  })
  .meta({ description: "An order line as priced by the server. Amounts in minor units, tax included." })
  .register(responseComponents, { id: "SaleLine" });

export const SaleSchema = z
  .object({
    id: z.string(),
    terminalId: z.string(),
    storeId: z.string().meta({ description: "The store whose terminal made the sale" }),
    msn: z.string().optional().meta({ description: "The Vipps sales unit (MSN) that took the payment" }),
    receiptNumber: z.string(),
    reference: z.string().meta({ description: "Vipps ePayment reference of the current attempt" }),
    state: SaleStateSchema,
    amount: MoneySchema,
    capturedAmount: MoneySchema,
    refundedAmount: MoneySchema,
    description: z.string(),
    lines: z.array(SaleLineSchema),
    posReference: z.string().optional().meta({
      description: "The POS's own reference for the sale, as sent; Vipps gets it as the receipt's receiptNumber",
    }),
    receiptUrl: z.url().optional().meta({
      description:
        "The customer's receipt page (public, unguessable address); it shows the receipt once the sale is paid",
    }),
    flow: z
      .enum(["qr", "push"])
      .meta({ description: "qr: a QR code on the display; push: a payment request sent to the customer's phone" }),
    phoneEnding: z.string().optional().meta({
      description: "Push sales: the last two digits of the phone the request went to (never the whole number)",
    }),
    expiresAt: TimestampSchema.optional().meta({
      description: "While the sale is pending: when the payment request (QR or push) runs out",
    }),
    qr: z
      .object({
        url: z.string().meta({ description: "Exactly what the display encodes in the QR" }),
        expiresAt: TimestampSchema,
        imageUrl: z
          .url()
          .optional()
          .meta({ description: "With KASSA_QR_SOURCE=vipps: Vipps' own image of this QR, served by the app" }),
      })
      .nullable()
      .meta({ description: "Only while the QR can be scanned; null otherwise" }),
    autoCapture: z.boolean(),
    captureDeadline: TimestampSchema.nullable().meta({
      description:
        "While the sale is approved but not captured: when Vipps MobilePay's reservation runs out (180 days for NOK, 14 for DKK and EUR); null in every other state",
    }),
    attemptCount: z.number().int().meta({ description: "1, plus one for each new QR" }),
    failureReason: z.string().optional(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
    endedAt: TimestampSchema.optional(),
    settlement: SaleSettlementSchema.optional().meta({
      description:
        "A captured sale, once its capture is in Vipps MobilePay's ledger (Report API): the ledger date, the fee retained, what it added net, and the payout date",
    }),
  })
  .register(responseComponents, { id: "Sale" });

/** A sale as the POS API and the admin page see it. */
export type SaleView = z.infer<typeof SaleSchema>;

export const SaleListSchema = z
  .object({
    items: z.array(SaleSchema),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next page; null on the last page" }),
  })
  .register(responseComponents, { id: "SaleList" });
export type SaleList = z.infer<typeof SaleListSchema>;

export const SaleEventSchema = z.object({
  id: z.number().int(),
  attemptId: z.string().optional(),
  type: z.string().meta({ description: "e.g. sale.created, payment.authorized, payment.captured, payment.refunded" }),
  source: z.enum(["api", "cashier", "webhook", "poll", "system"]),
  fromState: SaleStateSchema.optional(),
  toState: SaleStateSchema.optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
  at: TimestampSchema,
});

export const SaleHistorySchema = z
  .object({
    items: z.array(SaleEventSchema).meta({ description: "The audit log, oldest first" }),
    attempts: z
      .array(
        z.object({
          id: z.string(),
          reference: z.string(),
          state: z
            .string()
            .meta({ description: "The Vipps payment's state, e.g. CREATED, AUTHORIZED, TERMINATED, EXPIRED" }),
          createdAt: TimestampSchema,
          expiresAt: TimestampSchema,
          pollCount: z.number().int(),
        }),
      )
      .meta({ description: "One Vipps payment per QR shown" }),
    refunds: z.array(
      z.object({
        id: z.string(),
        saleId: z.string(),
        amount: z.number().int(),
        state: z.enum(["pending", "done", "failed"]),
        createdAt: TimestampSchema,
      }),
    ),
  })
  .register(responseComponents, { id: "SaleHistory" });
export type SaleHistory = z.infer<typeof SaleHistorySchema>;

export const SalesSummarySchema = z
  .object({
    items: z.array(
      z.object({
        state: SaleStateSchema,
        currency: z.string(),
        count: z.number().int(),
        amount: z.number().int().meta({ description: "Sum of the sales' amounts, minor units" }),
        refunded: z.number().int().meta({ description: "Sum refunded of these sales, minor units" }),
        net: z
          .number()
          .int()
          .meta({ description: "What these sales kept: captured less refunded, minor units (0 for unpaid sales)" }),
      }),
    ),
  })
  .register(responseComponents, { id: "SalesSummary" });
export type SalesSummary = z.infer<typeof SalesSummarySchema>;
