import { z } from "zod";
import {
  AggregateSchema,
  AmountSchema,
  CustomerSchema,
  MetadataSchema,
  PaymentEventNameSchema,
  PaymentMethodTypeSchema,
  PspReferenceSchema,
  ReferenceSchema,
  StateSchema,
  TimestampSchema,
} from "./primitive-schemas";
import { ReceiptSchema } from "./receipt-schemas";

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
