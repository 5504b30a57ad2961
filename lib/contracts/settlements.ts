import { z } from "zod";
import { requestComponents, responseComponents } from "./components";
import { TimestampSchema } from "./fields";

/**
 * Settlement: Vipps MobilePay's ledger (Report API) read back and reconciled with the till's sales,
 * per ledger date and currency. Amounts are minor units; captured, refunded, fees and the payout
 * are positive numbers, and net is what the day added to the ledger before its payout.
 */

const minor = (description: string) => z.number().int().meta({ description });
const dateMessage = "must be a date as YYYY-MM-DD";
export const LedgerDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, dateMessage)
  .refine((value) => !Number.isNaN(Date.parse(value)), dateMessage)
  .meta({ description: "A ledger date, YYYY-MM-DD", example: "2026-12-05" });

const storeIdField = z.string().max(32).optional().meta({
  description:
    "Only this store's ledgers (its Vipps sales unit's MSN) and sales; without it, those of every store the caller may see",
});

/** The query of GET /api/v1/settlements/{ledgerDate}. */
export const SettlementDateQuerySchema = z
  .strictObject({ storeId: storeIdField })
  .register(requestComponents, { id: "SettlementDateQuery" });
export type SettlementDateQuery = z.infer<typeof SettlementDateQuerySchema>;

export const SettlementsQuerySchema = z
  .strictObject({
    from: LedgerDateSchema.optional().meta({ description: "First ledger date (default: 29 days before to)" }),
    to: LedgerDateSchema.optional().meta({ description: "Last ledger date, inclusive (default: today)" }),
    storeId: storeIdField,
  })
  .register(requestComponents, { id: "SettlementsQuery" });
export type SettlementsQuery = z.infer<typeof SettlementsQuerySchema>;

export const SettlementExportQuerySchema = SettlementsQuerySchema.extend({
  format: z.enum(["csv", "excel"]).optional().meta({
    description:
      '"csv": comma-separated, decimal points. "excel": ";"-separated with decimal commas and a UTF-8 byte order mark. Without it: "excel" when the admin language is Norwegian, Danish, Swedish or Finnish, else "csv".',
  }),
});

export const SETTLEMENT_DIFFERENCE_KINDS = ["missing-entry", "unmatched-entry", "amount-mismatch"] as const;

export const SettlementDifferenceSchema = z
  .object({
    kind: z.enum(SETTLEMENT_DIFFERENCE_KINDS).meta({
      description:
        "missing-entry: a sale captured over 24 hours ago has no capture in the ledger; unmatched-entry: a ledger entry names no sale of this till; amount-mismatch: the ledger's captured or refunded amount for a sale is not the sale's",
    }),
    saleId: z.string().optional().meta({ description: "The sale, when there is one" }),
    receiptNumber: z.string().optional(),
    reference: z.string().optional().meta({ description: "Vipps' reference (the sale's attempt, or the entry's)" }),
    pspReference: z.string().optional().meta({ description: "The ledger entry, when there is one" }),
    entryType: z.string().optional(),
    amount: minor("The ledger's amount (unmatched entry, mismatch) or the sale's captured amount (missing entry)"),
    expected: minor("What the sale says, for a mismatch").optional(),
    detail: z.string().meta({ description: "In words, for the person reconciling" }),
  })
  .register(responseComponents, { id: "SettlementDifference" });
export type SettlementDifference = z.infer<typeof SettlementDifferenceSchema>;

export const SettlementDaySchema = z
  .object({
    ledgerDate: LedgerDateSchema,
    currency: z.string().meta({ description: "ISO 4217, as the ledger keeps it" }),
    captured: minor("Captures on the ledger this date"),
    refunded: minor("Refunds on the ledger this date, positive"),
    fees: minor("Fees retained from the payout this date, positive"),
    other: minor("Entries of other types (corrections, types Vipps added since), signed"),
    net: minor("captured − refunded − fees + other: what the date added to the ledger"),
    payout: z
      .object({
        amount: minor("Paid out to the bank account"),
        date: LedgerDateSchema.meta({ description: "When the payout was scheduled (the shop's time zone)" }),
      })
      .nullable()
      .meta({
        description: "null until the date's payout is in the ledger (none when the date's balance is not positive)",
      }),
    status: z.enum(["open", "settled", "differences"]).meta({
      description:
        "open: the date is not over, or not all of it is imported yet; settled: closed and every entry and sale agrees; differences: see differences",
    }),
    differences: z.array(SettlementDifferenceSchema),
  })
  .register(responseComponents, { id: "SettlementDay" });
export type SettlementDayView = z.infer<typeof SettlementDaySchema>;

export const SettlementImportSchema = z
  .object({
    lagSeconds: z.number().int().nullable().meta({
      description: "Seconds since the import last reached the end of every feed; null before it ever did",
    }),
    lastImportAt: TimestampSchema.nullable(),
    error: z.string().optional().meta({ description: "Why the last read of the Report API failed, while it fails" }),
  })
  .register(responseComponents, { id: "SettlementImport" });
export type SettlementImportStatus = z.infer<typeof SettlementImportSchema>;

export const SettlementListSchema = z
  .object({
    items: z.array(SettlementDaySchema).meta({ description: "Newest ledger date first; per currency" }),
    import: SettlementImportSchema,
  })
  .register(responseComponents, { id: "SettlementList" });
export type SettlementList = z.infer<typeof SettlementListSchema>;

export const SettledSaleSchema = z
  .object({
    saleId: z.string(),
    receiptNumber: z.string(),
    reference: z.string(),
    currency: z.string(),
    captured: minor("The sale's captures on the ledger"),
    refunded: minor("The sale's refunds on the ledger, positive"),
    fee: minor("The fee retained for the sale"),
    net: minor("captured − refunded − fee"),
  })
  .register(responseComponents, { id: "SettledSale" });

export const SettlementDateSchema = z
  .object({
    ledgerDate: LedgerDateSchema,
    items: z.array(SettlementDaySchema).meta({ description: "One per currency" }),
    sales: z.array(SettledSaleSchema).meta({ description: "The sales with a capture or refund on this date" }),
  })
  .register(responseComponents, { id: "SettlementDate" });
export type SettlementDateView = z.infer<typeof SettlementDateSchema>;

/** What a captured sale's view shows once its capture is in the ledger. */
export const SaleSettlementSchema = z
  .object({
    ledgerDate: LedgerDateSchema,
    fee: minor("The fee Vipps MobilePay retained for this sale"),
    net: minor("What the sale added to the ledger: captured − refunded − fee"),
    payoutDate: LedgerDateSchema.nullable().meta({ description: "null until the ledger date's payout" }),
  })
  .register(responseComponents, { id: "SaleSettlement" });
export type SaleSettlement = z.infer<typeof SaleSettlementSchema>;
