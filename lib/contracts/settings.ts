import { z } from "zod";
import { requestComponents, responseComponents } from "./components";
import { visibleText } from "./fields";

/** The shop settings feature of the POS API (name, auto-capture, branding): what it accepts and what it answers. */

/**
 * PATCH /api/v1/settings. Only the colour's form is checked here; whether it stands out on the
 * display is the settings service's rule, so that it holds however the colour arrives.
 */
export const SettingsPatchSchema = z
  .strictObject({
    shopName: visibleText(z.string().trim().min(1).max(60), "shopName").optional(),
    autoCapture: z.boolean().optional(),
    organisationNumber: visibleText(z.string().trim().max(40), "organisationNumber")
      .optional()
      .meta({ description: "On receipts, e.g. 912 345 678 MVA; empty to leave out" }),
    address: visibleText(z.string().trim().max(120), "address")
      .optional()
      .meta({ description: "On receipts, one line, e.g. Storgata 1, 0155 Oslo; empty to leave out" }),
    timeZone: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: "The shop's IANA time zone, e.g. Europe/Oslo: receipts, closes and automatic closes" }),
    receiptQr: z
      .boolean()
      .optional()
      .meta({ description: "Show a QR of the receipt on the customer display's paid screen (on by default)" }),
    accentColor: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, "a colour as #rrggbb, e.g. #ff5b24")
      .nullable()
      .optional()
      .meta({
        description:
          "The displays' accent colour as #rrggbb; it must stand out on the display's dark background. null goes back to the default.",
      }),
  })
  .register(requestComponents, { id: "SettingsPatch" });
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const SettingsSchema = z
  .object({
    shopName: z.string().meta({ description: "Shown on the displays and in the Vipps app" }),
    autoCapture: z
      .boolean()
      .meta({ description: "Capture approved payments at once (the default); off, POST .../capture does it" }),
    organisationNumber: z.string().meta({ description: "On receipts; empty when not set" }),
    address: z.string().meta({ description: "On receipts; empty when not set" }),
    timeZone: z.string().meta({ description: "IANA time zone of the shop (default Europe/Oslo)" }),
    receiptQr: z.boolean().meta({ description: "Whether the paid screen shows a QR of the receipt" }),
    accentColor: z
      .string()
      .regex(/^#[0-9a-f]{6}$/)
      .nullable()
      .meta({ description: "The displays' accent colour, or null for the default" }),
    logo: z
      .object({
        url: z.string().meta({ description: "Where the displays load it" }),
        // The types lib/branding/logo-format.ts accepts; the settings service's return type ties the two.
        contentType: z.enum(["image/png", "image/jpeg", "image/svg+xml"]),
        size: z.number().int().meta({ description: "Bytes" }),
      })
      .nullable()
      .meta({ description: "The shop's logo on the displays (PUT /api/v1/settings/logo), or null" }),
  })
  .register(responseComponents, { id: "Settings" });
export type SettingsView = z.infer<typeof SettingsSchema>;
