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
