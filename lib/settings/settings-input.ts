import "server-only";
import { z } from "zod";
import { SettingsPatchSchema } from "@/lib/sales/sale-input";

/**
 * PATCH /api/v1/settings: the shop's name and auto-capture (lib/sales/sale-input.ts) and its
 * accent colour. Only the form is checked here; whether the colour stands out on the display is
 * the settings service's rule, so that it holds however the colour arrives.
 */
export const ShopSettingsPatchSchema = SettingsPatchSchema.extend({
  accentColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "a colour as #rrggbb, e.g. #ff5b24")
    .nullable()
    .optional(),
});
