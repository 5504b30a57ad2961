/** The building blocks the other Vipps schemas share: amounts, references, states, the customer. */
import { z } from "zod";
import { MAX_PAYMENT_AMOUNT, MSN_PATTERN, PAYMENT_STATES, REFERENCE_PATTERN, VIPPS_CURRENCIES } from "./facts";

// ---------------------------------------------------------------------------------------------
// Shared primitives
// ---------------------------------------------------------------------------------------------

export const CurrencySchema = z.enum(VIPPS_CURRENCIES);
export type Currency = z.infer<typeof CurrencySchema>;

/** Largest amount the ePayment API accepts, in minor units (NOK 650 000.00). */
export const MAX_AMOUNT_MINOR_UNITS = MAX_PAYMENT_AMOUNT;

/** Amount in minor units (øre/cents): NOK 10.00 is `{ value: 1000, currency: "NOK" }`. */
export const AmountSchema = z.object({
  value: z.int().min(0).max(MAX_AMOUNT_MINOR_UNITS),
  currency: CurrencySchema,
});
export type Amount = z.infer<typeof AmountSchema>;

export { REFERENCE_PATTERN };
/** Merchant's payment reference: 8–64 ASCII letters, digits and `-` (ePayment 1.7); unique per MSN, never reusable. */
export const ReferenceSchema = z.string().regex(REFERENCE_PATTERN, "must be 8-64 characters of [a-zA-Z0-9-]");
export type Reference = z.infer<typeof ReferenceSchema>;

export const MsnSchema = z.string().regex(MSN_PATTERN, "must be 4 to 6 digits");
export type Msn = z.infer<typeof MsnSchema>;

/** Vipps' own reference. Opaque, and not stable across events of the same payment. */
export const PspReferenceSchema = z.string();
export type PspReference = z.infer<typeof PspReferenceSchema>;

export const StateSchema = z.enum(PAYMENT_STATES);
export type State = z.infer<typeof StateSchema>;

export const PaymentEventNameSchema = z.enum([
  "CREATED",
  "ABORTED",
  "EXPIRED",
  "CANCELLED",
  "CAPTURED",
  "REFUNDED",
  "AUTHORIZED",
  "TERMINATED",
]);
export type PaymentEventName = z.infer<typeof PaymentEventNameSchema>;

export const PaymentMethodTypeSchema = z.enum(["WALLET", "CARD"]);
export type PaymentMethodType = z.infer<typeof PaymentMethodTypeSchema>;

/** ISO 8601 / RFC 3339 timestamps from responses. Lenient about fraction digits and offsets. */
export const TimestampSchema = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), "must be an ISO 8601 date-time");

/** Key-value pairs echoed back in GetPaymentResponse: at most 5, key ≤ 100 chars, value ≤ 500 chars. */
export const MetadataSchema = z
  .record(z.string().max(100), z.string().max(500))
  .refine((value) => Object.keys(value).length <= 5, "must have at most 5 key-value pairs")
  .nullable();
export type Metadata = z.infer<typeof MetadataSchema>;

export const AggregateSchema = z.object({
  authorizedAmount: AmountSchema,
  cancelledAmount: AmountSchema,
  capturedAmount: AmountSchema,
  refundedAmount: AmountSchema,
});
export type Aggregate = z.infer<typeof AggregateSchema>;

// ---------------------------------------------------------------------------------------------
// Customer (exactly one variant)
// ---------------------------------------------------------------------------------------------

/** MSISDN, digits only with country code and no `+`, e.g. `4791234567`. */
export const CustomerPhoneNumberSchema = z.strictObject({ phoneNumber: z.string().regex(/^\d{10,15}$/) });
export const PersonalQrCodeSchema = z.strictObject({ personalQr: z.string().min(5).max(255) });
export const CustomerTokenSchema = z.strictObject({ customerToken: z.string().min(1) });
/** Strict objects make a body with two variants (e.g. phoneNumber and personalQr) fail, as Vipps would. */
export const CustomerSchema = z.union([CustomerPhoneNumberSchema, PersonalQrCodeSchema, CustomerTokenSchema]);
export type Customer = z.infer<typeof CustomerSchema>;
