import { z } from "zod";
import { PaymentEventSchema } from "./payment-schemas";
import { MsnSchema, type PaymentEventName } from "./primitive-schemas";

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
