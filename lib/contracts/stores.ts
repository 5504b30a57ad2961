import { z } from "zod";
import { requestComponents, responseComponents } from "./components";
import { CurrencySchema, LanguageSchema, listOf, TimestampSchema, visibleText } from "./fields";

/** The stores feature of the POS API (a chain's Vipps sales units): what it accepts and what it answers. */

// ——— Requests ———

const StoreNameSchema = visibleText(
  z.string().trim().min(1, "name is required").max(80, "name is at most 80 characters"),
  "name",
);
const MsnFieldSchema = z
  .string()
  .regex(/^\d{4,6}$/, "msn is the sales unit's merchant serial number: 4 to 6 digits")
  .meta({ description: "Merchant serial number of the store's Vipps MobilePay sales unit" });
const TimeZoneSchema = z
  .string()
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "timeZone must be an IANA time zone such as Europe/Oslo")
  .meta({ description: "IANA time zone of the store's business day" });
const secretText = (field: string) =>
  z.string().trim().min(1, `${field} is required`).max(200, `${field} is at most 200 characters`);

export const StoreVippsKeysSchema = z
  .strictObject({
    clientId: secretText("clientId"),
    clientSecret: secretText("clientSecret"),
    subscriptionKey: secretText("subscriptionKey"),
  })
  .meta({
    description:
      "The store's own Vipps MobilePay API keys. Stored sealed and never shown again. Left out: the deployment's partner keys, with the store's MSN",
  })
  .register(requestComponents, { id: "StoreVippsKeys" });

const AddressSchema = visibleText(z.string().trim().max(200, "address is at most 200 characters"), "address");
const OrganisationNumberSchema = visibleText(
  z.string().trim().max(40, "organisationNumber is at most 40 characters"),
  "organisationNumber",
);

export const StoreCreateSchema = z
  .strictObject({
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{0,31}$/,
        "id is 1 to 32 lower-case letters, digits or -, starting with a letter or digit",
      )
      .optional()
      .meta({ description: "Left out: the next free store-N" }),
    name: StoreNameSchema,
    msn: MsnFieldSchema,
    currency: CurrencySchema,
    timeZone: TimeZoneSchema.default("Europe/Oslo"),
    language: LanguageSchema.default("nb"),
    address: AddressSchema.optional(),
    organisationNumber: OrganisationNumberSchema.optional(),
    vipps: StoreVippsKeysSchema.optional(),
  })
  .meta({ description: "A new store: one Vipps MobilePay sales unit with its own terminals and sales" })
  .register(requestComponents, { id: "StoreCreate" });
export type StoreCreateRequest = z.infer<typeof StoreCreateSchema>;

export const StorePatchSchema = z
  .strictObject({
    name: StoreNameSchema.optional(),
    msn: MsnFieldSchema.optional(),
    currency: CurrencySchema.optional(),
    timeZone: TimeZoneSchema.optional(),
    language: LanguageSchema.optional(),
    address: AddressSchema.optional(),
    organisationNumber: OrganisationNumberSchema.optional(),
    vipps: StoreVippsKeysSchema.nullable()
      .optional()
      .meta({ description: "New keys of the store's own; null: use the deployment's partner keys from now on" }),
    accentColor: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, "accentColor is a colour as #rrggbb")
      .nullable()
      .optional()
      .meta({
        description:
          "The accent of this store's displays, over the shop's (#rrggbb, legible on the dark display); null: the shop's again",
      }),
  })
  .meta({ description: "Changes to a store. Sales made before keep the MSN that took their payment." })
  .register(requestComponents, { id: "StorePatch" });
export type StorePatchRequest = z.infer<typeof StorePatchSchema>;

// ——— Responses ———

export const StoreSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    msn: z.string(),
    currency: CurrencySchema,
    timeZone: z.string(),
    language: LanguageSchema,
    address: z.string().nullable(),
    organisationNumber: z.string().nullable(),
    vipps: z
      .object({
        keys: z.enum(["own", "partner"]).meta({
          description: "own: the store's own API keys; partner: the deployment's keys with the store's MSN",
        }),
        clientId: z.string().meta({ description: "The client id the store's Vipps calls use" }),
        hasSecret: z.boolean().meta({ description: "A client secret and subscription key are held (never shown)" }),
      })
      .meta({ description: "Which Vipps keys the store uses; secrets are never returned" }),
    accentColor: z
      .string()
      .nullable()
      .meta({ description: "The store's own display accent; null: its displays show the shop's" }),
    logo: z
      .object({
        url: z.string().meta({ description: "The logo's public address, as the store's displays load it" }),
        contentType: z.enum(["image/png", "image/jpeg", "image/svg+xml"]),
        size: z.number().int().meta({ description: "Bytes" }),
      })
      .nullable()
      .meta({
        description:
          "The store's own logo (PUT /api/v1/stores/{id}/logo); null: its displays show the shop's logo, if any",
      }),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .register(responseComponents, { id: "Store" });
/** A store as the API shows it: its keys' client id, never a secret. */
export type StoreView = z.infer<typeof StoreSchema>;

export const StoreListSchema = listOf(StoreSchema).register(responseComponents, { id: "StoreList" });
