import { z } from "zod";
import { POS_EVENT_TYPES } from "@/lib/entities/pos-event";
import { requestComponents, responseComponents } from "./components";
import { listOf, MoneySchema, TimestampSchema, visibleText } from "./fields";
import { SaleSchema } from "./sales";
import { TerminalCloseSchema } from "./closes";

/** The POS's events: its webhook endpoints, what each delivery carries, and the event feed. */

export const PosEventTypeSchema = z.enum(POS_EVENT_TYPES).meta({
  description:
    "sale.created, sale.authorized (approved in the app), sale.captured (money taken: register the sale on this one), sale.cancelled, sale.expired, sale.failed (declined or failed), sale.refunded (each refund), terminal.closed (a day close)",
});

const SALE_EVENT_TYPES = POS_EVENT_TYPES.filter((type) => type !== "terminal.closed") as [string, ...string[]];

// ——— Webhook endpoints ———

export const WebhookEndpointInputSchema = z
  .strictObject({
    url: z.string().trim().min(1, "url is required").max(2048, "url is at most 2048 characters").meta({
      description:
        "Where the events are POSTed. Outside the simulator: https, and the host must not resolve to a loopback, private or link-local address (unless KASSA_WEBHOOK_ALLOW_PRIVATE=on)",
    }),
    events: z
      .array(PosEventTypeSchema)
      .min(1, "events needs at least one event type")
      .refine((types) => new Set(types).size === types.length, "events lists an event type twice")
      .optional()
      .meta({ description: "The event types to send; every type when left out" }),
    description: visibleText(
      z.string().trim().max(200, "description is at most 200 characters"),
      "description",
    ).optional(),
  })
  .register(requestComponents, { id: "WebhookEndpointInput" });
export type WebhookEndpointInput = z.infer<typeof WebhookEndpointInputSchema>;

export const WebhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(PosEventTypeSchema),
    description: z.string(),
    createdAt: TimestampSchema,
  })
  .register(responseComponents, { id: "WebhookEndpoint" });
export type WebhookEndpointView = z.infer<typeof WebhookEndpointSchema>;

export const WebhookEndpointWithSecretSchema = WebhookEndpointSchema.extend({
  secret: z.string().meta({
    description:
      "The signing secret (whsec_ + base64), shown only in this answer: verify each delivery with it (Standard Webhooks)",
  }),
}).register(responseComponents, { id: "WebhookEndpointWithSecret" });
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecretSchema>;

export const WebhookEndpointListSchema = listOf(WebhookEndpointSchema).register(responseComponents, {
  id: "WebhookEndpointList",
});

export const WebhookDeliverySchema = z
  .object({
    id: z.string().meta({ description: "The endpoint's id and the event's position, for sending it again" }),
    endpointId: z.string(),
    eventId: z.string().meta({ description: "The webhook-id of every try" }),
    eventType: PosEventTypeSchema,
    subject: z.string().meta({ description: "The sale (or terminal) the event is about" }),
    state: z.enum(["pending", "delivered", "failed"]),
    attempts: z.number().int(),
    createdAt: TimestampSchema,
    lastAttemptAt: TimestampSchema.optional(),
    nextAttemptAt: TimestampSchema.optional().meta({ description: "While pending: the next try" }),
    lastStatus: z.number().int().optional().meta({ description: "The HTTP status of the last answer" }),
    lastError: z.string().optional().meta({ description: "Why the last try got no answer" }),
    lastResponse: z.string().optional().meta({ description: "At most 1 KiB of the last answer" }),
    deliveredAt: TimestampSchema.optional(),
  })
  .register(responseComponents, { id: "WebhookDelivery" });
export type WebhookDeliveryView = z.infer<typeof WebhookDeliverySchema>;

export const WebhookDeliveryListSchema = listOf(WebhookDeliverySchema).register(responseComponents, {
  id: "WebhookDeliveryList",
});

export const WebhookDeliveriesQuerySchema = z.strictObject({
  endpointId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

// ——— What an event carries ———

export const RefundDataSchema = z
  .object({
    id: z.string().optional(),
    amount: MoneySchema.meta({ description: "What this refund gave back" }),
    createdAt: TimestampSchema.optional(),
  })
  .register(responseComponents, { id: "RefundData" });

export const SaleEventDataSchema = SaleSchema.extend({
  refund: RefundDataSchema.optional().meta({ description: "sale.refunded only: the refund this event is about" }),
})
  .meta({ description: "The sale as GET /api/v1/sales/{id} returns it, as the event left it" })
  .register(responseComponents, { id: "SaleEventData" });

const saleEventFields = {
  id: z.string().meta({ description: "Stable: the webhook-id of its deliveries and the feed's id" }),
  type: z.enum(SALE_EVENT_TYPES),
  data: SaleEventDataSchema,
};
/** The day close, exactly as the close endpoints return it (lib/contracts/closes.ts). */
const closeData = TerminalCloseSchema;

export const PosEventSchema = z
  .union([
    z.object({ ...saleEventFields, createdAt: TimestampSchema }),
    z.object({ id: z.string(), type: z.literal("terminal.closed"), createdAt: TimestampSchema, data: closeData }),
  ])
  .register(responseComponents, { id: "PosEvent" });

export const EventFeedQuerySchema = z.strictObject({
  after: z
    .string()
    .max(20)
    .optional()
    .meta({ description: "`next` of the previous page; from the oldest event when left out" }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(25)
    .default(0)
    .meta({ description: "Seconds to wait for an event when there is none after the cursor" }),
});
export type EventFeedQuery = z.infer<typeof EventFeedQuerySchema>;

export const EventFeedPageSchema = z
  .object({
    items: z.array(PosEventSchema),
    next: z.string().meta({ description: "The cursor to ask with next (after=…); the same one when items is empty" }),
  })
  .register(responseComponents, { id: "EventFeedPage" });
export type EventFeedPage = { items: { id: string; type: string; createdAt: string; data: unknown }[]; next: string };

/** The body of a webhook delivery (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature). */
export const WebhookPayloadSchema = z
  .union([
    z.object({ type: z.enum(SALE_EVENT_TYPES), timestamp: TimestampSchema, data: SaleEventDataSchema }),
    z.object({ type: z.literal("terminal.closed"), timestamp: TimestampSchema, data: closeData }),
  ])
  .register(responseComponents, { id: "WebhookPayload" });
