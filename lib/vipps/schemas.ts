/**
 * Zod schemas and inferred types for the parts of the Vipps MobilePay ePayment (v1.4.1), Webhooks (v1)
 * and Access Token APIs that Kassa Display uses. Field rules follow ../shared/vipps/spec and
 * EPAYMENT-API.md.
 *
 * Two different postures:
 * - Request schemas (what we send) are precise, so a bad amount or reference is caught before it
 *   leaves the process. They do not reject unknown keys, so newer optional API fields can be passed.
 * - Response schemas (what Vipps or the simulator sends) are tolerant: plain `z.object`, which
 *   accepts and drops unknown fields, and optional where a missing field would do no harm.
 */
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
const TimestampSchema = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "must be an ISO 8601 date-time");

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

// ---------------------------------------------------------------------------------------------
// Create payment
// ---------------------------------------------------------------------------------------------

export const UserFlowSchema = z.enum(["PUSH_MESSAGE", "NATIVE_REDIRECT", "WEB_REDIRECT", "QR"]);
export type UserFlow = z.infer<typeof UserFlowSchema>;

export const CustomerInteractionSchema = z.enum(["CUSTOMER_PRESENT", "CUSTOMER_NOT_PRESENT"]);
export type CustomerInteraction = z.infer<typeof CustomerInteractionSchema>;

export const QrFormatSchema = z.object({
  /** TEXT/TARGETURL: `redirectUrl` is the URL to draw; the IMAGE formats return an image link. */
  format: z.enum(["TEXT/TARGETURL", "IMAGE/SVG+XML", "IMAGE/PNG"]),
  /** Square size in px; only meaningful for IMAGE/PNG. */
  size: z.int().min(100).max(2000).nullable().optional(),
});
export type QrFormat = z.infer<typeof QrFormatSchema>;

export const PaymentMethodSchema = z.object({ type: PaymentMethodTypeSchema });
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;

export const ProfileRequestSchema = z.object({
  /** Space-separated subset of: name address email phoneNumber birthDate nin. */
  scope: z.string().min(1),
});
export type ProfileRequest = z.infer<typeof ProfileRequestSchema>;

export const AirlineDataSchema = z.object({
  agencyInvoiceNumber: z.string().min(1).max(6),
  airlineCode: z.string().length(3),
  airlineDesignatorCode: z.string().length(2),
  passengerName: z.string().min(1).max(49),
  ticketNumber: z.string().min(1).max(150).optional(),
});

export const IndustryDataSchema = z.object({ airlineData: AirlineDataSchema.optional() });

/** The RFC 3339 pattern the ePayment spec puts on `expiresAt`. */
const RFC3339_PATTERN =
  /^((?:(\d{4}-\d{2}-\d{2})(T|t)(\d{2}:\d{2}:\d{2}(?:\.\d+)?))(Z|z|([+-](?:2[0-3]|[01][0-9]):[0-5][0-9])))$/;

export const CreatePaymentRequestSchema = z
  .object({
    amount: AmountSchema,
    paymentMethod: PaymentMethodSchema,
    reference: ReferenceSchema,
    userFlow: UserFlowSchema,
    /** Required for PUSH_MESSAGE. Exactly one variant. */
    customer: CustomerSchema.optional(),
    /** A physical POS must send CUSTOMER_PRESENT. Vipps defaults to CUSTOMER_NOT_PRESENT. */
    customerInteraction: CustomerInteractionSchema.optional(),
    /** Required for WEB_REDIRECT; https:// or a custom app scheme (Vipps rejects plain http://). */
    returnUrl: z.string().min(1).optional(),
    /** 3–100 chars, shown in the app, the merchant portal and settlement files. */
    paymentDescription: z.string().min(3).max(100).optional(),
    /** Long-living payment (PUSH_MESSAGE or QR only; needs `receipt`). */
    expiresAt: z.string().regex(RFC3339_PATTERN, "must be an RFC 3339 date-time").nullable().optional(),
    qrFormat: QrFormatSchema.nullable().optional(),
    receipt: ReceiptSchema.optional(),
    receiptUrl: z.string().min(1).nullable().optional(),
    metadata: MetadataSchema.optional(),
    profile: ProfileRequestSchema.optional(),
    industryData: IndustryDataSchema.optional(),
    /** Newer than the 1.4.1 spec; accepted by current Vipps. */
    minimumUserAge: z.int().min(0).nullable().optional(),
  })
  .superRefine((body, ctx) => {
    if (body.userFlow === "PUSH_MESSAGE" && !body.customer) {
      ctx.addIssue({ code: "custom", path: ["customer"], message: "customer is required for userFlow PUSH_MESSAGE" });
    }
    if (body.userFlow === "WEB_REDIRECT" && !body.returnUrl) {
      ctx.addIssue({ code: "custom", path: ["returnUrl"], message: "returnUrl is required for userFlow WEB_REDIRECT" });
    }
    if (body.paymentMethod.type === "CARD" && body.userFlow !== "WEB_REDIRECT") {
      ctx.addIssue({ code: "custom", path: ["paymentMethod"], message: "CARD only works with userFlow WEB_REDIRECT" });
    }
    if (body.expiresAt) {
      if (body.userFlow !== "PUSH_MESSAGE" && body.userFlow !== "QR") {
        ctx.addIssue({
          code: "custom",
          path: ["expiresAt"],
          message: "expiresAt is only allowed with PUSH_MESSAGE or QR",
        });
      }
      if (!body.receipt) {
        ctx.addIssue({ code: "custom", path: ["receipt"], message: "receipt is required when expiresAt is set" });
      }
    }
  });
export type CreatePaymentRequest = z.infer<typeof CreatePaymentRequestSchema>;

export const CreatePaymentResponseSchema = z.object({
  reference: ReferenceSchema,
  /** Landing page, deep link, QR image URL or QR target URL depending on userFlow/qrFormat. Absent for PUSH_MESSAGE. */
  redirectUrl: z.string().min(1).optional(),
});
export type CreatePaymentResponse = z.infer<typeof CreatePaymentResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Get payment, event log, modifications
// ---------------------------------------------------------------------------------------------

export const PaymentMethodResponseSchema = z.object({
  type: PaymentMethodTypeSchema,
  cardBin: z.string().optional(),
});
export type PaymentMethodResponse = z.infer<typeof PaymentMethodResponseSchema>;

export const ProfileResponseSchema = z.object({ sub: z.string().optional() });
export type ProfileResponse = z.infer<typeof ProfileResponseSchema>;

export const GetPaymentResponseSchema = z.object({
  reference: ReferenceSchema,
  pspReference: PspReferenceSchema,
  state: StateSchema,
  /** The originally requested amount. */
  amount: AmountSchema,
  aggregate: AggregateSchema,
  paymentMethod: PaymentMethodResponseSchema,
  /** Required by the spec; an absent profile is read as `{}` rather than rejected. */
  profile: ProfileResponseSchema.optional().default({}),
  redirectUrl: z.string().optional(),
  metadata: MetadataSchema.optional(),
  /**
   * ePayment, August 2026: until when Vipps guarantees that an authorized payment can be captured.
   * Absent from older answers and from other states.
   */
  captureGuaranteedUntil: z.string().nullish(),
});
export type GetPaymentResponse = z.infer<typeof GetPaymentResponseSchema>;

export const PaymentEventSchema = z.object({
  reference: ReferenceSchema,
  pspReference: PspReferenceSchema,
  name: PaymentEventNameSchema,
  /** Amount of this event (e.g. one partial capture), not a running total. */
  amount: AmountSchema,
  timestamp: TimestampSchema,
  /** Key of the merchant request that caused the event; null for some (e.g. a cancel after partial capture). */
  idempotencyKey: z.string().nullable().optional(),
  success: z.boolean(),
});
export type PaymentEvent = z.infer<typeof PaymentEventSchema>;

export const PaymentEventLogSchema = z.array(PaymentEventSchema);

export const ModificationRequestSchema = z.object({ modificationAmount: AmountSchema });
export type ModificationRequest = z.infer<typeof ModificationRequestSchema>;
export type CaptureModificationRequest = ModificationRequest;
export type RefundModificationRequest = ModificationRequest;

export const ModificationResponseSchema = z.object({
  amount: AmountSchema,
  state: StateSchema,
  aggregate: AggregateSchema,
  pspReference: PspReferenceSchema,
  reference: ReferenceSchema,
});
export type ModificationResponse = z.infer<typeof ModificationResponseSchema>;

/** Body of the test-only force-approve call; both fields optional. */
export const ForceApproveRequestSchema = z.object({
  customer: CustomerSchema.optional(),
  /** The `token` query value of the create response's redirectUrl. */
  token: z.string().optional(),
});
export type ForceApproveRequest = z.infer<typeof ForceApproveRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export const ExtraDetailSchema = z.object({ name: z.string(), reason: z.string() });
export type ExtraDetail = z.infer<typeof ExtraDetailSchema>;

/**
 * ePayment `Problem` (RFC 7807). `traceId` is required by the 1.4.1 spec, but Vipps is moving to
 * `instance`, so either one is accepted.
 */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    traceId: z.string().optional(),
    instance: z.string().optional(),
    extraDetails: z.array(ExtraDetailSchema).nullable().optional(),
  })
  .refine((problem) => problem.traceId !== undefined || problem.instance !== undefined, {
    message: "either traceId or instance is required",
    path: ["traceId"],
  });
export type Problem = z.infer<typeof ProblemSchema>;

/** Webhooks API `ProblemDetails`: every field nullable. */
export const WebhooksProblemDetailsSchema = z.object({
  type: z.string().nullable().optional(),
  title: z.string().nullable().optional(),
  status: z.int().nullable().optional(),
  detail: z.string().nullable().optional(),
  instance: z.string().nullable().optional(),
  traceId: z.string().nullable().optional(),
  extraDetails: z.array(ExtraDetailSchema).nullable().optional(),
});
export type WebhooksProblemDetails = z.infer<typeof WebhooksProblemDetailsSchema>;

// ---------------------------------------------------------------------------------------------
// Access token
// ---------------------------------------------------------------------------------------------

/** The spec types every field as a string (even the numbers); a bare number is tolerated and stringified. */
const NumericStringSchema = z
  .union([z.string(), z.number()])
  .transform((value) => String(value))
  .refine((value) => /^\d+$/.test(value.trim()), "must be a whole number of seconds");

export const AccessTokenResponseSchema = z
  .object({
    token_type: z.string(),
    access_token: z.string().min(1),
    /** Lifetime in seconds, e.g. "3600" (test) or "86398" (production). */
    expires_in: NumericStringSchema.optional(),
    /** Expiry as Unix epoch seconds. */
    expires_on: NumericStringSchema.optional(),
    ext_expires_in: NumericStringSchema.optional(),
    not_before: NumericStringSchema.optional(),
    resource: z.string().optional(),
  })
  .refine((token) => token.expires_in !== undefined || token.expires_on !== undefined, {
    message: "expires_in or expires_on is required",
    path: ["expires_in"],
  });
export type AccessTokenResponse = z.infer<typeof AccessTokenResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Webhooks API and the ePayment webhook payload
// ---------------------------------------------------------------------------------------------

export const EPAYMENT_WEBHOOK_EVENTS = [
  "epayments.payment.created.v1",
  "epayments.payment.aborted.v1",
  "epayments.payment.expired.v1",
  "epayments.payment.cancelled.v1",
  "epayments.payment.captured.v1",
  "epayments.payment.refunded.v1",
  "epayments.payment.authorized.v1",
  "epayments.payment.terminated.v1",
] as const;
export type EpaymentWebhookEventType = (typeof EPAYMENT_WEBHOOK_EVENTS)[number];
export const EpaymentWebhookEventTypeSchema = z.enum(EPAYMENT_WEBHOOK_EVENTS);

export const WEBHOOK_EVENT_TYPE_TO_NAME = {
  "epayments.payment.created.v1": "CREATED",
  "epayments.payment.aborted.v1": "ABORTED",
  "epayments.payment.expired.v1": "EXPIRED",
  "epayments.payment.cancelled.v1": "CANCELLED",
  "epayments.payment.captured.v1": "CAPTURED",
  "epayments.payment.refunded.v1": "REFUNDED",
  "epayments.payment.authorized.v1": "AUTHORIZED",
  "epayments.payment.terminated.v1": "TERMINATED",
} as const satisfies Record<EpaymentWebhookEventType, PaymentEventName>;

export const PAYMENT_EVENT_NAME_TO_WEBHOOK_EVENT_TYPE = {
  CREATED: "epayments.payment.created.v1",
  ABORTED: "epayments.payment.aborted.v1",
  EXPIRED: "epayments.payment.expired.v1",
  CANCELLED: "epayments.payment.cancelled.v1",
  CAPTURED: "epayments.payment.captured.v1",
  REFUNDED: "epayments.payment.refunded.v1",
  AUTHORIZED: "epayments.payment.authorized.v1",
  TERMINATED: "epayments.payment.terminated.v1",
} as const satisfies Record<PaymentEventName, EpaymentWebhookEventType>;

export const RegisterWebhookRequestSchema = z.object({
  /** Public HTTPS URL on a common port (80, 443, 8080) that answers 2xx without redirecting. */
  url: z.url(),
  events: z.array(z.string().min(1)).min(1),
});
export type RegisterWebhookRequest = z.infer<typeof RegisterWebhookRequestSchema>;

export const RegisterWebhookResponseSchema = z.object({
  id: z.string().min(1),
  /** HMAC key for verifying deliveries. Only ever returned here: store it. */
  secret: z.string().min(1),
});
export type RegisterWebhookResponse = z.infer<typeof RegisterWebhookResponseSchema>;

export const WebhookRegistrationSchema = z.object({
  id: z.string().min(1),
  url: z.string(),
  events: z.array(z.string()),
});
export type WebhookRegistration = z.infer<typeof WebhookRegistrationSchema>;

export const ListWebhooksResponseSchema = z.object({ webhooks: z.array(WebhookRegistrationSchema) });
export type ListWebhooksResponse = z.infer<typeof ListWebhooksResponseSchema>;

/**
 * Payload of every `epayments.payment.*.v1` webhook delivery: an entry of the payment's event log
 * and the merchant's MSN. Only `name` differs between event types, and AUTHORIZED carries the
 * capture guarantee too.
 */
export const WebhookEventSchema = z.object({
  msn: MsnSchema,
  ...PaymentEventSchema.shape,
  /** On AUTHORIZED (ePayment, August 2026): as on GET payment. */
  captureGuaranteedUntil: z.string().nullish(),
});
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;
