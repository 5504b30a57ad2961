import { z } from "zod";
import { TERMINAL_ID_PATTERN } from "@/lib/entities/terminal-ids";
import { requestComponents, responseComponents } from "./components";
import { CurrencySchema, LanguageSchema, listOf, TimestampSchema, visibleText } from "./fields";
import { MAX_LINES, SaleLineInputSchema } from "./sales";

/** The terminals feature of the POS API (counters, their displays and live carts): what it accepts and what it answers. */

// ——— Requests ———

const TerminalNameSchema = visibleText(
  z.string().trim().min(1, "name is required").max(60, "name is at most 60 characters"),
  "name",
);
const PosIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[A-Za-z0-9._-]+$/, "posId may contain letters, digits, . _ -");

export const TerminalCreateSchema = z
  .strictObject({
    id: z
      .string()
      .regex(TERMINAL_ID_PATTERN, "id is 1 to 32 lower-case letters, digits or -, starting with a letter or digit")
      .optional()
      .meta({ description: "Left out: the next free pos-N" }),
    name: TerminalNameSchema,
    posId: PosIdSchema.optional().meta({ description: "The POS's own name for this till; defaults to the id" }),
    language: LanguageSchema.default("nb"),
    currency: CurrencySchema.default("NOK"),
    storeId: z
      .string()
      .min(1)
      .max(32)
      .optional()
      .meta({ description: "The store (Vipps sales unit) the terminal sells for; left out: the first store" }),
  })
  .meta({ description: "A new terminal (counter). Its display link gets a fresh random token." })
  .register(requestComponents, { id: "TerminalCreate" });
export type TerminalCreateRequest = z.infer<typeof TerminalCreateSchema>;

export const TerminalPatchSchema = z
  .strictObject({
    name: TerminalNameSchema.optional(),
    posId: PosIdSchema.optional(),
    language: LanguageSchema.optional(),
    currency: CurrencySchema.optional(),
    chime: z
      .boolean({ error: "chime must be true or false" })
      .optional()
      .meta({ description: "Whether the customer display plays a short chime when a payment is through." }),
  })
  .register(requestComponents, { id: "TerminalPatch" });
export type TerminalPatchRequest = z.infer<typeof TerminalPatchSchema>;

/** The cashier types the code a display shows; the label names that display in the terminal's list. */
export const PairRequestSchema = z
  .object({
    code: z.string().trim().min(4).max(16),
    label: visibleText(z.string().trim().min(1).max(80), "label").optional(),
  })
  .register(requestComponents, { id: "PairRequest" });

/** The live cart a till or POS shows on the customer display before charging (PUT /api/v1/terminals/{id}/cart). */
export const CartRequestSchema = z
  .strictObject({
    currency: CurrencySchema,
    lines: z.array(SaleLineInputSchema.omit({ productId: true })).max(MAX_LINES, `at most ${MAX_LINES} lines`),
  })
  .meta({ description: "What the till is ringing up. An empty list of lines shows an empty basket; DELETE clears it." })
  .register(requestComponents, { id: "CartRequest" });
export type CartRequest = z.infer<typeof CartRequestSchema>;

/** A new name for a paired display, as the terminal's list of displays shows it. */
export const DeviceRenameSchema = z
  .strictObject({
    label: visibleText(
      z.string().trim().min(1, "label is required").max(60, "label is at most 60 characters"),
      "label",
    ).meta({ description: "What the display is called in the terminal's list, e.g. Screen by the door" }),
  })
  .register(requestComponents, { id: "DeviceRename" });
export type DeviceRenameRequest = z.infer<typeof DeviceRenameSchema>;

// ——— Responses ———

export const DisplayHealthSchema = z
  .object({
    id: z.string().meta({ description: "The display's own id, kept in its browser" }),
    kind: z.enum(["link", "paired"]).meta({ description: "Opened with the display link, or paired by code" }),
    online: z.boolean().meta({ description: "Its stream is open and it was heard from within the last minute" }),
    lastSeenAt: TimestampSchema,
    connectedAt: TimestampSchema,
    userAgent: z.string(),
    screen: z.string().nullable().meta({ description: "Width x height in CSS pixels, e.g. 1920x1080" }),
  })
  .meta({ description: "A customer display of the terminal seen in the last day" })
  .register(responseComponents, { id: "DisplayHealth" });
export type DisplayHealth = z.infer<typeof DisplayHealthSchema>;

export const TerminalSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    posId: z.string(),
    language: LanguageSchema,
    currency: CurrencySchema,
    storeId: z.string().meta({ description: "The store (Vipps sales unit) whose MSN the terminal's sales go through" }),
    chime: z.boolean().meta({ description: "The display plays a short chime when a payment is through" }),
    displayUrl: z.url().meta({ description: "Opens the customer display; its token is a secret" }),
    activeSaleId: z.string().nullable(),
    displays: z.array(DisplayHealthSchema),
  })
  .register(responseComponents, { id: "Terminal" });
/** A terminal as the API shows it, with the display link that carries its secret token. */
export type TerminalView = z.infer<typeof TerminalSchema>;

export const TerminalListSchema = listOf(TerminalSchema).register(responseComponents, { id: "TerminalList" });

export const DeviceSchema = z
  .object({ id: z.string(), label: z.string(), createdAt: TimestampSchema, revokedAt: TimestampSchema.nullable() })
  .register(responseComponents, { id: "Device" });
/** A paired display as the API shows it: never its token hash. */
export type DeviceView = z.infer<typeof DeviceSchema>;

export const DeviceListSchema = listOf(DeviceSchema).register(responseComponents, { id: "DeviceList" });

export const PairResultSchema = z
  .object({ paired: z.literal(true), terminalId: z.string(), deviceId: z.string() })
  .register(responseComponents, { id: "PairResult" });
export type PairResult = z.infer<typeof PairResultSchema>;

/** The terminal's sticker: Vipps' merchant callback QR for its till, to print and put by the till. */
export const TerminalStickerSchema = z
  .object({
    merchantQrId: z
      .string()
      .meta({ description: "The id Vipps knows the sticker by; the same for the terminal for good" }),
    qrContent: z.string().meta({ description: "What the sticker's QR code holds; print it as a QR code" }),
  })
  .register(responseComponents, { id: "TerminalSticker" });
export type TerminalStickerView = z.infer<typeof TerminalStickerSchema>;

export const CartSchema = z
  .object({
    terminalId: z.string(),
    currency: CurrencySchema,
    lines: z.array(
      z.object({
        name: z.string(),
        quantity: z.number().int(),
        unitPrice: z.number().int(),
        totalAmount: z.number().int(),
      }),
    ),
    total: z.number().int().meta({ description: "Minor units" }),
    updatedAt: TimestampSchema,
  })
  .meta({ description: "The live cart: what the customer display shows while the till rings items up" })
  .register(responseComponents, { id: "Cart" });
export type CartView = z.infer<typeof CartSchema>;

export const LiveCartSchema = z
  .object({ cart: CartSchema.nullable() })
  .meta({ description: "The terminal's live cart, or null when there is none" })
  .register(responseComponents, { id: "LiveCart" });
