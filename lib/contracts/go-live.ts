import { z } from "zod";
import { responseComponents } from "./components";
import { MoneySchema, SaleStateSchema, TimestampSchema } from "./fields";

/** The go-live feature of the POS API (Vipps MobilePay's checklist and its evidence): what it answers. */

const EnvironmentSchema = z
  .enum(["simulator", "test", "production"])
  .meta({ description: "The Vipps environment the evidence comes from" });

export const GoLiveItemSchema = z
  .object({
    id: z.string().meta({ description: "e.g. endpoint-create, webhook-registration, customer-present, test-captured" }),
    title: z.string(),
    ok: z.boolean().meta({ description: "Met" }),
    evidence: z.record(z.string(), z.unknown()).meta({ description: "What shows it, as recorded by the app" }),
  })
  .register(responseComponents, { id: "GoLiveItem" });
export type GoLiveItem = z.infer<typeof GoLiveItemSchema>;

const StoreCheckSchema = z.object({
  ok: z.boolean(),
  detail: z.string().nullable().meta({ description: "What was found, or why it failed" }),
});

export const GoLiveStoreSchema = z
  .object({
    storeId: z.string(),
    name: z.string(),
    msn: z.string().meta({ description: "The store's sales unit (Merchant-Serial-Number)" }),
    keys: z.enum(["own", "partner"]).meta({ description: "Its own API keys, or the deployment's with its MSN" }),
    ok: z.boolean().meta({ description: "Every check of the store met" }),
    checks: z.object({
      msn: StoreCheckSchema.meta({ description: "The MSN is set and well formed" }),
      keys: StoreCheckSchema.meta({ description: "Vipps answered a call made with the store's keys and MSN" }),
      webhook: StoreCheckSchema.meta({
        description: "The webhook registration that delivers the store's events is at Vipps",
      }),
    }),
  })
  .meta({ description: "One store's (Vipps sales unit's) own go-live checks" })
  .register(responseComponents, { id: "GoLiveStore" });
export type GoLiveStore = z.infer<typeof GoLiveStoreSchema>;

export const GoLiveReportSchema = z
  .object({
    generatedAt: TimestampSchema,
    environment: EnvironmentSchema,
    items: z.array(GoLiveItemSchema),
    stores: z.array(GoLiveStoreSchema).meta({ description: "Each store's sales unit, checked on its own" }),
  })
  .meta({ description: "The Vipps MobilePay go-live checklist, each item met or not" })
  .register(responseComponents, { id: "GoLiveReport" });
export type GoLiveReport = z.infer<typeof GoLiveReportSchema>;

const WebhookRegistrationSchema = z.object({
  state: z.enum(["registered", "pending", "failing"]),
  registered: z.boolean().meta({ description: "Our registration was at Vipps at the last successful check" }),
  url: z.string(),
  lastCheckedAt: TimestampSchema.nullable(),
  lastRegisteredAt: TimestampSchema.nullable(),
  lastError: z.string().nullable().meta({ description: "Why the last check failed; null when it succeeded" }),
});

/** One event of Vipps' own log of a payment, as Vipps gave it. */
const VippsPaymentEventSchema = z.object({
  name: z.string(),
  success: z.boolean(),
  timestamp: z.string(),
  amount: z.object({ value: z.number().int(), currency: z.string() }),
});

const TestReferenceSchema = z.object({
  outcome: z.enum(["captured", "refunded", "cancelled"]),
  reference: z.string(),
  saleId: z.string(),
  receiptNumber: z.string(),
  amount: MoneySchema,
  state: SaleStateSchema,
  createdAt: TimestampSchema,
  endedAt: TimestampSchema.nullable(),
  eventLog: z
    .array(
      z.object({
        type: z.string(),
        source: z.string(),
        fromState: SaleStateSchema.nullable(),
        toState: SaleStateSchema.nullable(),
        at: TimestampSchema,
      }),
    )
    .meta({ description: "The app's own log of the sale" }),
  vippsEventLog: z
    .union([z.object({ events: z.array(VippsPaymentEventSchema) }), z.object({ error: z.string() })])
    .nullable()
    .meta({
      description:
        "Vipps' log of the payment (GET .../events), or why it could not be read; null where the app does not ask Vipps",
    }),
});

const VippsRequestSampleSchema = z.object({
  id: z.number().int(),
  operation: z
    .string()
    .meta({ description: "The client's name for the call: createPayment, getPayment, capturePayment, …" }),
  method: z.string(),
  path: z.string().meta({ description: "Below the API's origin, e.g. /epayment/v1/payments/kd-…/capture" }),
  reference: z.string().optional(),
  attempt: z
    .number()
    .int()
    .meta({ description: "Which try of one logical call this was: 1, then 2, 3, … for retries" }),
  systemHeaders: z
    .record(z.string(), z.string())
    .meta({ description: "The Vipps-System-* headers the request carried" }),
  summary: z
    .record(z.string(), z.unknown())
    .meta({ description: "What a reviewer asks about the request (flow, receipt, amounts), never personal data" }),
  at: TimestampSchema,
});

export const GoLiveEvidenceSchema = z
  .object({
    generatedAt: TimestampSchema,
    environment: EnvironmentSchema,
    merchantSerialNumber: z.string(),
    system: z
      .object({ name: z.string(), version: z.string(), pluginName: z.string(), pluginVersion: z.string() })
      .meta({ description: "The Vipps-System-* header values the app sends" }),
    summary: z.object({ met: z.number().int(), total: z.number().int() }),
    items: z.array(GoLiveItemSchema),
    stores: z.array(GoLiveStoreSchema),
    webhookRegistration: WebhookRegistrationSchema,
    testReferences: z
      .array(TestReferenceSchema)
      .meta({ description: "The test payments, each with the app's and Vipps' event logs" }),
    requests: z.array(VippsRequestSampleSchema).meta({ description: "The Vipps API requests kept as samples" }),
  })
  .meta({ description: "Everything behind the checklist, for Vipps MobilePay's go-live review. Holds no secret." })
  .register(responseComponents, { id: "GoLiveEvidence" });
export type GoLiveEvidence = z.infer<typeof GoLiveEvidenceSchema>;
