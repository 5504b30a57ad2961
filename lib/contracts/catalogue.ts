import { z } from "zod";
import { requestComponents, responseComponents } from "./components";
import { CurrencySchema, listOf, minorUnits, taxRateDescription, visibleText } from "./fields";

/** The catalogue feature of the POS API (the products the till offers): what it accepts and what it answers. */

const productFields = {
  name: visibleText(z.string().trim().min(1).max(100), "name"),
  unitPrice: minorUnits("unitPrice").min(1, "unitPrice must be at least 1"),
  currency: CurrencySchema,
  taxRate: z.number().int().min(0).max(10_000),
};

export const ProductInputSchema = z
  .strictObject({
    ...productFields,
    currency: productFields.currency.default("NOK"),
    taxRate: productFields.taxRate.default(2500),
  })
  .register(requestComponents, { id: "ProductInput" });
export type ProductInput = z.infer<typeof ProductInputSchema>;

/** Only what is sent changes: no defaults here, or a new price would reset the currency and tax rate. */
export const ProductPatchSchema = z
  .strictObject(productFields)
  .partial()
  .register(requestComponents, { id: "ProductPatch" });
export type ProductPatch = z.infer<typeof ProductPatchSchema>;

export const ProductSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    unitPrice: z.number().int().meta({ description: "Minor units, tax included" }),
    currency: CurrencySchema,
    taxRate: z.number().int().meta({ description: taxRateDescription }),
  })
  .register(responseComponents, { id: "Product" });
export type ProductView = z.infer<typeof ProductSchema>;

export const ProductListSchema = listOf(ProductSchema).register(responseComponents, { id: "ProductList" });
