import { z } from "zod";
import { ROLES, SCOPES } from "@/lib/entities/principal";
import { requestComponents, responseComponents } from "./components";
import { listOf, TimestampSchema, visibleText } from "./fields";

/** Staff, their sessions, API keys and the audit: what the POS API accepts and answers for them. */

const UsernameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, "username is 2 to 32 lower-case letters, digits, . _ -");
const PasswordSchema = z.string().min(10, "password is at least 10 characters").max(200);
const PinSchema = z.string().regex(/^[0-9]{4,6}$/, "pin is 4 to 6 digits");
const StoreIdsSchema = z.array(z.string().min(1).max(64)).max(100);
const RoleSchema = z.enum(ROLES);
const ScopeSchema = z.enum(SCOPES);

export const StaffCreateSchema = z
  .strictObject({
    username: UsernameSchema,
    name: visibleText(z.string().trim().min(1).max(80), "name"),
    role: RoleSchema,
    storeIds: StoreIdsSchema.meta({ description: "The stores this person works in (ignored for an owner)" }),
    password: PasswordSchema.optional(),
    pin: PinSchema.optional(),
  })
  .register(requestComponents, { id: "StaffCreate" });
export type StaffCreateRequest = z.infer<typeof StaffCreateSchema>;

export const StaffPatchSchema = z
  .strictObject({
    name: visibleText(z.string().trim().min(1).max(80), "name").optional(),
    role: RoleSchema.optional(),
    storeIds: StoreIdsSchema.optional(),
    password: PasswordSchema.optional(),
    pin: PinSchema.nullable()
      .optional()
      .meta({ description: "A new PIN (also unlocks a locked one); null removes the PIN" }),
  })
  .register(requestComponents, { id: "StaffPatch" });
export type StaffPatchRequest = z.infer<typeof StaffPatchSchema>;

export const StaffSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    name: z.string(),
    role: RoleSchema,
    storeIds: z.array(z.string()),
    hasPassword: z.boolean(),
    hasPin: z.boolean(),
    pinLocked: z.boolean().meta({ description: "Locked after too many wrong PINs, until a manager resets it" }),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .register(responseComponents, { id: "Staff" });
export type StaffView = z.infer<typeof StaffSchema>;
export const StaffListSchema = listOf(StaffSchema).register(responseComponents, { id: "StaffList" });

export const SessionSchema = z
  .object({
    id: z.string(),
    current: z.boolean().meta({ description: "The session this request came with" }),
    createdAt: TimestampSchema,
    lastSeenAt: TimestampSchema.meta({ description: "Updated at most once a minute" }),
    device: z.string(),
  })
  .register(responseComponents, { id: "Session" });
export const SessionListSchema = listOf(SessionSchema).register(responseComponents, { id: "SessionList" });

export const ApiKeyCreateSchema = z
  .strictObject({
    name: visibleText(z.string().trim().min(1).max(80), "name"),
    storeIds: StoreIdsSchema.optional().meta({ description: "Left out: every store" }),
    scopes: z.array(ScopeSchema).min(1).max(SCOPES.length),
  })
  .register(requestComponents, { id: "ApiKeyCreate" });
export type ApiKeyCreateRequest = z.infer<typeof ApiKeyCreateSchema>;

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(ScopeSchema),
    storeIds: z.array(z.string()).nullable().meta({ description: "null: every store" }),
    createdAt: TimestampSchema,
    revokedAt: TimestampSchema.nullable(),
  })
  .register(responseComponents, { id: "ApiKey" });
export type ApiKeyView = z.infer<typeof ApiKeySchema>;
export const ApiKeyListSchema = listOf(ApiKeySchema).register(responseComponents, { id: "ApiKeyList" });
export const ApiKeySecretSchema = z
  .object({
    id: z.string(),
    key: z.string().meta({ description: "The key itself, shown in this answer only; only its hash is kept" }),
  })
  .register(responseComponents, { id: "ApiKeySecret" });

export const AuditQuerySchema = z.strictObject({
  saleId: z.string().max(64).optional(),
  storeId: z
    .string()
    .max(32)
    .optional()
    .meta({ description: "Only the entries about this store (its sales, terminals, closes and the store itself)" }),
  actor: z.string().max(80).optional().meta({ description: "A username or an API key's name" }),
  from: z.iso.datetime({ offset: true, error: "from must be an ISO 8601 date-time" }).optional(),
  to: z.iso.datetime({ offset: true, error: "to must be an ISO 8601 date-time" }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditEntrySchema = z
  .object({
    at: TimestampSchema,
    action: z.string().meta({ description: "e.g. sale.create, sale.refund, settings.update, staff.create" }),
    actor: z.union([
      z.object({ type: z.literal("staff"), username: z.string() }),
      z.object({ type: z.literal("api-key"), name: z.string() }),
    ]),
    target: z.string().meta({ description: "What was acted on, e.g. sale:sale_x, staff:anna, settings" }),
    storeId: z.string().nullable().meta({
      description:
        "The store the entry is about; null: deployment-wide (settings, staff, API keys, products), which a manager sees only when they made it",
    }),
    saleId: z.string().optional(),
    device: z.string().optional(),
    address: z.string(),
  })
  .register(responseComponents, { id: "AuditEntry" });
export type AuditEntryView = z.infer<typeof AuditEntrySchema>;
export const AuditListSchema = listOf(AuditEntrySchema).register(responseComponents, { id: "AuditList" });

export const MeSchema = z
  .union([
    z.object({
      type: z.literal("staff"),
      id: z.string(),
      username: z.string(),
      role: RoleSchema,
      storeIds: z.array(z.string()),
    }),
    z.object({
      type: z.literal("api-key"),
      id: z.string(),
      name: z.string(),
      scopes: z.array(ScopeSchema),
      storeIds: z.array(z.string()).nullable(),
    }),
  ])
  .register(responseComponents, { id: "Me" });
export type MeView = z.infer<typeof MeSchema>;
