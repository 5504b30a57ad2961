/**
 * The test controls of the simulated Report API: PUT /_sim/report/config sets how entries are made
 * (fees, paging, lag, cut-off, withheld references) and POST /_sim/report/entries adds any entry by
 * hand. Both bodies are checked here; a bad one is a 400 problem naming each field and why.
 *
 * Defaults, chosen to look like a Norwegian ePayment sales unit on net settlement:
 *   feeBps 175 (1.75 % of each capture), feeFixed 0: a plausible percentage-only price for a Nordic
 *     wallet payment, so fees are visible and odd amounts round; a stand-in, not Vipps' price list
 *     (which depends on the merchant's agreement). Refunds carry no fee, as the guide says of Vipps.
 *   pageSize 1000: the row limit per response the Report API guide gave ("right now this is 1000").
 *   lagMs 0: entries are readable at once (the real API is usually a second behind, hours in incidents).
 *   cutoff "00:00": ledger dates run midnight to midnight, Europe/Oslo.
 *   withholdReferences []: every capture and refund is reported.
 */
import { z } from "zod";
import { type ExtraDetail, badRequest } from "./http";
import { cutoffMinutes } from "./report-calendar";
import { type Db, getMeta, setMeta } from "./store";
import { CURRENCIES, MSN_PATTERN } from "./validation-fields";

export const REPORT_TOPICS = ["funds", "fees"] as const;
export type ReportTopic = (typeof REPORT_TOPICS)[number];

/** A day: longer than any incident the guide describes, short enough that a test cannot lose data for good. */
export const MAX_LAG_MS = 24 * 60 * 60 * 1000;
export const MAX_PAGE_SIZE = 1000;
const MAX_WITHHELD = 1000;

const intRange = (name: string, min: number, max: number) => {
  const message = `${name} must be an integer from ${min} to ${max}.`;
  return z.int({ error: message }).min(min, { error: message }).max(max, { error: message });
};

const reportConfigSchema = z.strictObject({
  feeBps: intRange("feeBps", 0, 10_000).default(175),
  feeFixed: intRange("feeFixed", 0, 100_000).default(0),
  pageSize: intRange("pageSize", 1, MAX_PAGE_SIZE).default(MAX_PAGE_SIZE),
  lagMs: intRange("lagMs", 0, MAX_LAG_MS).default(0),
  cutoff: z
    .string({ error: 'cutoff must be a local time "HH:MM" from 00:00 to 23:59.' })
    .refine((value) => cutoffMinutes(value) !== undefined, {
      error: 'cutoff must be a local time "HH:MM" from 00:00 to 23:59.',
    })
    .default("00:00"),
  withholdReferences: z
    .array(z.string({ error: "Each withheld reference must be a string." }).min(1).max(64), {
      error: "withholdReferences must be an array of references.",
    })
    .max(MAX_WITHHELD, { error: `At most ${MAX_WITHHELD} withheld references.` })
    .default([]),
});

export type ReportConfig = z.infer<typeof reportConfigSchema>;

const entryInputSchema = z.strictObject({
  topic: z.enum(REPORT_TOPICS, { error: 'topic must be "funds" or "fees".' }).default("funds"),
  // Any type at all: the point is to show an importer the types Vipps may add without notice.
  entryType: z
    .string({ error: "entryType is required: a string such as capture, correction or a new type." })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, {
      error: "entryType must be 1 to 64 letters, digits, '.', '_', ':' or '-'.",
    }),
  amount: z
    .int({ error: "amount is required: an integer in minor units, negative for money out of the ledger." })
    .min(-1_000_000_000, { error: "amount must be within ±1000000000 minor units." })
    .max(1_000_000_000, { error: "amount must be within ±1000000000 minor units." }),
  reference: z.string().min(1).max(100, { error: "reference must be 1 to 100 characters." }).nullable().optional(),
  pspReference: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,40}$/, { error: "pspReference must be 1 to 40 letters, digits or '-'." })
    .optional(),
  msn: z.string().regex(MSN_PATTERN, { error: "msn must be 4 to 6 digits." }).optional(),
  currency: z.enum(CURRENCIES, { error: `currency must be one of ${CURRENCIES.join(", ")}.` }).default("NOK"),
  recipientHandle: z.string().min(1).max(40).nullable().optional(),
});

export type ReportEntryInput = z.infer<typeof entryInputSchema>;

function issuesOf(error: z.ZodError, known: readonly string[]): ExtraDetail[] {
  return error.issues.flatMap((issue): ExtraDetail[] => {
    const at = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        name: [...at, key].join("."),
        reason: `Unknown property "${key}"; use ${known.join(", ")}.`,
      }));
    }
    return [{ name: at.length > 0 ? at.join(".") : "body", reason: issue.message }];
  });
}

export function parseReportEntryInput(raw: unknown): ReportEntryInput {
  const parsed = entryInputSchema.safeParse(raw);
  if (!parsed.success)
    throw badRequest("Invalid report entry.", issuesOf(parsed.error, Object.keys(entryInputSchema.shape)));
  return parsed.data;
}

const CONFIG_KEY = "report_config";

/** The configuration, kept in the simulator database like the faults, so a restart keeps it. */
export class ReportConfigStore {
  constructor(private readonly db: Db) {}

  current(): ReportConfig {
    const raw = getMeta(this.db, CONFIG_KEY);
    // Parsed again so that a value stored by an older simulator gains the defaults of newer fields.
    return reportConfigSchema.parse(raw ? (JSON.parse(raw) as unknown) : {});
  }

  /** PUT semantics: the body is the whole configuration; a field left out takes its default. */
  replace(raw: unknown): ReportConfig {
    const parsed = reportConfigSchema.safeParse(raw);
    if (!parsed.success)
      throw badRequest(
        "Invalid Report API configuration.",
        issuesOf(parsed.error, Object.keys(reportConfigSchema.shape)),
      );
    setMeta(this.db, CONFIG_KEY, JSON.stringify(parsed.data));
    return parsed.data;
  }
}
