import { z } from "zod";
import { requestComponents, responseComponents } from "./components";
import { CurrencySchema, TimestampSchema, taxRateDescription } from "./fields";

/**
 * The day close of a terminal (the terminal report a POS reconciles against its Z report): what
 * the POS API accepts and answers. A close is numbered 1, 2, 3… per terminal, never changes, and
 * counts each capture and each refund of the terminal's sales exactly once, in the close taken
 * after it happened; the preview (X report) has the same figures without closing.
 */

const count = z.number().int().min(0);
const minor = (description: string) => z.number().int().meta({ description });

export const CloseVatLineSchema = z
  .object({
    rate: z.number().int().meta({ description: taxRateDescription }),
    base: minor("Amount without VAT at this rate, minor units; base + tax is the gross at this rate exactly"),
    tax: minor(
      "VAT at this rate: gross × rate / (10000 + rate), rounded half away from zero once per rate and close; negative when refunds outweigh captures",
    ),
  })
  .register(responseComponents, { id: "CloseVatLine" });

export const CloseCurrencySchema = z
  .object({
    currency: CurrencySchema,
    captured: z.object({ count, amount: minor("Captured, minor units") }),
    refunded: z.object({ count, amount: minor("Refunded, minor units") }),
    net: minor("captured.amount − refunded.amount"),
    vat: z.array(CloseVatLineSchema).meta({
      description:
        "The net by tax rate (rates ascending). A capture or refund is split over the sale's rates in proportion to each rate's part of the sale (largest remainder), so a refund reduces each rate's VAT proportionally and the rates add up to net.",
    }),
  })
  .register(responseComponents, { id: "CloseCurrency" });

const closeFields = {
  terminalId: z.string(),
  number: z.number().int().min(1).meta({ description: "1, 2, 3… per terminal; never reused" }),
  openedAt: TimestampSchema.meta({
    description: "The previous close's closedAt (the terminal's creation for its first)",
  }),
  closedAt: TimestampSchema,
  currencies: z.array(CloseCurrencySchema),
  cancelled: z.object({ count }).meta({ description: "Sales that ended unpaid (cancelled, expired, declined)" }),
  failed: z.object({ count }),
  sales: z
    .array(z.string())
    .meta({ description: "Ids of the sales with a capture, refund or unpaid end in this close, in order" }),
  operators: z
    .array(z.object({ operator: z.string(), count }))
    .optional()
    .meta({
      description:
        "Those sales per operator (the staff member or API key that created each); absent from closes made before staff existed",
    }),
};

export const TerminalCloseSchema = z
  .object({ id: z.string(), ...closeFields })
  .register(responseComponents, { id: "TerminalClose" });
export type TerminalCloseView = z.infer<typeof TerminalCloseSchema>;

export const ClosePreviewSchema = z
  .object({
    preview: z.literal(true).meta({ description: "An X report: nothing was closed" }),
    ...closeFields,
    closedAt: TimestampSchema.meta({ description: "Now: the close would end here" }),
    number: z.number().int().min(1).meta({ description: "The number the next close will get" }),
  })
  .register(responseComponents, { id: "ClosePreview" });
export type ClosePreviewView = z.infer<typeof ClosePreviewSchema>;

export const CloseListSchema = z
  .object({
    items: z.array(TerminalCloseSchema).meta({ description: "Newest first" }),
    nextBefore: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Pass as `before` for the next (older) page; null on the last page" }),
  })
  .register(responseComponents, { id: "CloseList" });
export type CloseListView = z.infer<typeof CloseListSchema>;

export const ListClosesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  before: z.coerce.number().int().min(1).optional().meta({ description: "Closes numbered below this" }),
});
export type ListClosesQuery = z.infer<typeof ListClosesQuerySchema>;

/** "HH:MM", 24-hour. */
export const CLOCK_TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

export const CloseScheduleRequestSchema = z
  .strictObject({
    time: z.string().regex(CLOCK_TIME, "time is HH:MM, 24-hour, e.g. 23:30").nullable().meta({
      description: "Close the terminal every day at this time in the shop's time zone; null: never by itself",
    }),
  })
  .register(requestComponents, { id: "CloseScheduleRequest" });

export const CloseScheduleSchema = z
  .object({
    terminalId: z.string(),
    time: z.string().nullable().meta({ description: "HH:MM in timeZone, or null when the terminal is closed by hand" }),
    timeZone: z.string().meta({ description: "The shop's time zone (Settings), e.g. Europe/Oslo" }),
    nextCloseAt: TimestampSchema.nullable(),
  })
  .register(responseComponents, { id: "CloseSchedule" });
export type CloseScheduleView = z.infer<typeof CloseScheduleSchema>;
