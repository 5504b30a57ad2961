import { z } from "zod";
import { CURRENCIES, MAXIMUM_PAYMENT } from "@/lib/entities/money";
import { SALE_STATES } from "@/lib/entities/sale";
import { LANGUAGES } from "@/lib/entities/terminal";
import { responseComponents } from "./components";

/** Building blocks the features' contracts share: enumerations, money, times and the rules for text a person reads. */

export const CurrencySchema = z.enum(CURRENCIES);
export const LanguageSchema = z.enum(LANGUAGES);
export const SaleStateSchema = z.enum(SALE_STATES);

/** Every time the API answers with is an ISO 8601 UTC instant, as Date.toISOString() writes it. */
export const TimestampSchema = z.iso
  .datetime()
  .meta({ description: "An instant in UTC, ISO 8601, e.g. 2026-12-05T10:00:02.346Z" })
  .register(responseComponents, { id: "Timestamp" });

export const MoneySchema = z
  .object({
    value: z.number().int().meta({ description: "Minor units (øre, cents)" }),
    currency: CurrencySchema,
  })
  .register(responseComponents, { id: "Money" });

/** Tax rates are basis points: 2500 = 25 %. */
export const taxRateDescription = "Basis points: 2500 = 25 %";

/** A list answer: `{ items: [...] }`. */
export const listOf = <Item extends z.ZodType>(item: Item) => z.object({ items: z.array(item) });

/**
 * Characters a name shown to cashiers and customers may not contain: control characters (C0, DEL,
 * C1; a name is one line), line and paragraph separators, lone surrogates, and format characters
 * (Cf). Cf holds the bidi embeddings, overrides, isolates and marks that make "ev\u202Eil" display
 * as "live", and invisible characters that make two different names look the same (zero-width
 * space, word joiner, soft hyphen, BOM, invisible tag characters). ZWNJ and ZWJ (U+200C, U+200D)
 * are Cf too but stay allowed: Persian and Indic spellings and emoji sequences need them, and they
 * reorder nothing.
 */
const HIDDEN_CHARACTER = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

const codePoint = (character: string) =>
  `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;

/** A display text: refused, with the offending code point named, if it hides or reorders characters. */
export const visibleText = (schema: z.ZodString, field: string) =>
  schema.superRefine((text, context) => {
    const hidden = HIDDEN_CHARACTER.exec(text);
    if (hidden) {
      context.addIssue({
        code: "custom",
        message: `${field} may not contain control, line-break or invisible formatting characters (found ${codePoint(hidden[0])})`,
      });
    }
  });

/** An amount a client sends: whole minor units, at most one payment's maximum. */
export const minorUnits = (what: string) =>
  z
    .number({ error: `${what} must be a number in minor units (øre/cents)` })
    .int(`${what} must be a whole number of minor units (øre/cents), not a decimal`)
    .min(0, `${what} cannot be negative`)
    .max(MAXIMUM_PAYMENT, `${what} cannot exceed ${MAXIMUM_PAYMENT}`);
