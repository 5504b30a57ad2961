import { z } from "zod";
import { CURRENCIES, LANGUAGES, SALE_STATES } from "./types";
import { MAXIMUM_PAYMENT } from "./money";
import { TERMINAL_ID_PATTERN } from "@/lib/terminals/terminal-ids";

/** Request schemas of the POS API. The OpenAPI document is generated from these same schemas. */

export const MAX_LINES = 100;

/**
 * Characters a name shown to cashiers and customers may not contain: control characters (C0, DEL,
 * C1; a name is one line), line and paragraph separators, lone surrogates, and format characters
 * (Cf). Cf holds the bidi embeddings, overrides, isolates and marks that make "ev\u202Eil" display
 * as "live", and invisible characters that make two different names look the same (zero-width
 * space, word joiner, soft hyphen, BOM, invisible tag characters). ZWNJ and ZWJ (U+200C, U+200D)
 * are Cf too but stay allowed: Persian and Indic spellings and emoji sequences need them, and they
 * reorder nothing.
 */
const HIDDEN_CHARACTER = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

const codePoint = (character: string) => `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;

/** A display text: refused, with the offending code point named, if it hides or reorders characters. */
const visibleText = (schema: z.ZodString, field: string) =>
  schema.superRefine((text, context) => {
    const hidden = HIDDEN_CHARACTER.exec(text);
    if (hidden) {
      context.addIssue({
        code: "custom",
        message: `${field} may not contain control, line-break or invisible formatting characters (found ${codePoint(hidden[0])})`,
      });
    }
  });

const minorUnits = (what: string) =>
  z
    .number({ error: `${what} must be a number in minor units (øre/cents)` })
    .int(`${what} must be a whole number of minor units (øre/cents), not a decimal`)
    .min(0, `${what} cannot be negative`)
    .max(MAXIMUM_PAYMENT, `${what} cannot exceed ${MAXIMUM_PAYMENT}`);

export const SaleLineInputSchema = z
  .strictObject({
    name: visibleText(z.string().trim().min(1, "name is required").max(100, "name is at most 100 characters"), "name"),
    quantity: z.number().int("quantity must be a whole number").min(1, "quantity must be at least 1").max(10_000, "quantity is at most 10000"),
    unitPrice: minorUnits("unitPrice"),
    taxRate: z.number().int("taxRate is in basis points, a whole number (2500 = 25 %)").min(0).max(10_000).default(2500),
    productId: z.string().max(64).optional(),
  })
  .meta({ description: "One order line. Prices include tax; taxRate is in basis points (2500 = 25 %)." });

const CurrencySchema = z.enum(CURRENCIES);

/**
 * The customer's mobile number with its country code, as Vipps takes it (4791234567). Spaces, a
 * leading + or 00 are accepted and dropped; what is left must be 10 to 15 digits.
 */
const PhoneNumberSchema = z
  .string({ error: "phoneNumber must be a string like 4791234567" })
  .max(24, "phoneNumber is at most 15 digits with its country code")
  .transform((raw) => raw.replace(/[\s-]/g, "").replace(/^(\+|00)/, ""))
  .refine((digits) => /^[1-9][0-9]{9,14}$/.test(digits), {
    message: "phoneNumber must be the mobile number with its country code, 10 to 15 digits (4791234567)",
  });

/** Send the payment request to this customer's phone (push) instead of showing a QR code. */
const CustomerSchema = z
  .strictObject({ phoneNumber: PhoneNumberSchema })
  .meta({ description: "The customer's phone, for a payment request pushed to the Vipps or MobilePay app instead of a QR code." });

const LinesSaleSchema = z.strictObject({
  terminalId: z.string().min(1, "terminalId is required").max(64),
  currency: CurrencySchema,
  lines: z.array(SaleLineInputSchema).min(1, "at least one line is required").max(MAX_LINES, `at most ${MAX_LINES} lines`),
  description: visibleText(z.string().trim().min(3).max(90), "description").optional(),
  customer: CustomerSchema.optional(),
});

/** The live cart a till or POS shows on the customer display before charging (PUT /api/v1/terminals/{id}/cart). */
export const CartRequestSchema = z
  .strictObject({
    currency: CurrencySchema,
    lines: z.array(SaleLineInputSchema.omit({ productId: true })).max(MAX_LINES, `at most ${MAX_LINES} lines`),
  })
  .meta({ description: "What the till is ringing up. An empty list of lines shows an empty basket; DELETE clears it." });

/** A typed amount ("charge 250 kr for repairs") without catalogue lines. */
const AmountSaleSchema = z.strictObject({
  terminalId: z.string().min(1, "terminalId is required").max(64),
  currency: CurrencySchema,
  amount: minorUnits("amount"),
  description: visibleText(z.string().trim().min(3, "description must be at least 3 characters").max(90), "description"),
  taxRate: z.number().int().min(0).max(10_000).default(2500),
  customer: CustomerSchema.optional(),
});

export const CreateSaleRequestSchema = z
  .union([LinesSaleSchema, AmountSaleSchema])
  .meta({ id: "CreateSaleRequest", description: "Either order lines, or an amount with a description." });

export type CreateSaleRequest = z.infer<typeof CreateSaleRequestSchema>;

/**
 * The schema a given body is checked against: a union's error would only say "matches neither",
 * while the cashier or POS developer needs to hear which field of their chosen shape is wrong.
 */
export function createSaleSchemaFor(body: unknown): typeof LinesSaleSchema | typeof AmountSaleSchema {
  const isAmountSale = typeof body === "object" && body !== null && "amount" in body && !("lines" in body);
  return isAmountSale ? AmountSaleSchema : LinesSaleSchema;
}

export interface CreateSaleInput {
  terminalId: string;
  currency: (typeof CURRENCIES)[number];
  lines: { name: string; quantity: number; unitPrice: number; taxRate: number; productId?: string }[];
  description?: string;
  /** Push the payment request to this phone (MSISDN with country code) instead of showing a QR. */
  customerPhone?: string;
}

export function toCreateSaleInput(request: CreateSaleRequest): CreateSaleInput {
  const customerPhone = request.customer?.phoneNumber;
  if ("lines" in request) {
    const { customer: _customer, ...rest } = request;
    return { ...rest, ...(customerPhone ? { customerPhone } : {}) };
  }
  return {
    terminalId: request.terminalId,
    currency: request.currency,
    description: request.description,
    lines: [{ name: request.description, quantity: 1, unitPrice: request.amount, taxRate: request.taxRate }],
    ...(customerPhone ? { customerPhone } : {}),
  };
}

export const RefundRequestSchema = z.strictObject({
  amount: minorUnits("amount").min(1, "amount must be at least 1").optional(),
});

export const ListSalesQuerySchema = z.strictObject({
  terminalId: z.string().max(64).optional(),
  state: z.enum(SALE_STATES).optional(),
  from: z.iso.datetime({ offset: true, error: "from must be an ISO 8601 date-time" }).optional(),
  to: z.iso.datetime({ offset: true, error: "to must be an ISO 8601 date-time" }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

const productFields = {
  name: visibleText(z.string().trim().min(1).max(100), "name"),
  unitPrice: minorUnits("unitPrice").min(1, "unitPrice must be at least 1"),
  currency: CurrencySchema,
  taxRate: z.number().int().min(0).max(10_000),
};

export const ProductInputSchema = z.strictObject({
  ...productFields,
  currency: productFields.currency.default("NOK"),
  taxRate: productFields.taxRate.default(2500),
});

/** Only what is sent changes: no defaults here, or a new price would reset the currency and tax rate. */
export const ProductPatchSchema = z.strictObject(productFields).partial();

const TerminalNameSchema = visibleText(z.string().trim().min(1, "name is required").max(60, "name is at most 60 characters"), "name");
const PosIdSchema = z.string().trim().min(1).max(50).regex(/^[A-Za-z0-9._-]+$/, "posId may contain letters, digits, . _ -");

export const TerminalCreateSchema = z
  .strictObject({
    id: z
      .string()
      .regex(TERMINAL_ID_PATTERN, "id is 1 to 32 lower-case letters, digits or -, starting with a letter or digit")
      .optional()
      .meta({ description: "Left out: the next free pos-N" }),
    name: TerminalNameSchema,
    posId: PosIdSchema.optional().meta({ description: "The POS's own name for this till; defaults to the id" }),
    language: z.enum(LANGUAGES).default("nb"),
    currency: CurrencySchema.default("NOK"),
  })
  .meta({ description: "A new terminal (counter). Its display link gets a fresh random token." });

export type TerminalCreateRequest = z.infer<typeof TerminalCreateSchema>;

export const TerminalPatchSchema = z.strictObject({
  name: TerminalNameSchema.optional(),
  posId: PosIdSchema.optional(),
  language: z.enum(LANGUAGES).optional(),
  currency: CurrencySchema.optional(),
  chime: z.boolean({ error: "chime must be true or false" }).optional().meta({ description: "Whether the customer display plays a short chime when a payment is through." }),
});

export const SettingsPatchSchema = z.strictObject({
  shopName: visibleText(z.string().trim().min(1).max(60), "shopName").optional(),
  autoCapture: z.boolean().optional(),
});

/** The cashier types the code a display shows; the label names that display in the terminal's list. */
export const PairRequestSchema = z.object({
  code: z.string().trim().min(4).max(16),
  label: visibleText(z.string().trim().min(1).max(80), "label").optional(),
});

export type TerminalPatchRequest = z.infer<typeof TerminalPatchSchema>;
export type ProductInput = z.infer<typeof ProductInputSchema>;
export type ProductPatch = z.infer<typeof ProductPatchSchema>;
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;
export type ListSalesQuery = z.infer<typeof ListSalesQuerySchema>;
