import { z } from "zod";

/**
 * The Report API's answers (report-v2.yaml, with today's notes in SOURCES.md), as loose as Vipps
 * may send them: fields the app does not read are let through unread, and an entry type is any
 * string, since new types appear without notice and must be kept, not refused.
 */

const minorUnits = z.number().int();

export const ReportLedgerSchema = z.object({
  ledgerId: z.string().min(1),
  currency: z.string().optional(),
  settlesForRecipientHandles: z.array(z.string()).default([]),
  payoutBankAccount: z.object({ scheme: z.string(), id: z.string() }).optional(),
  owner: z.object({ scheme: z.string(), id: z.string() }).optional(),
});
export type ReportLedger = z.infer<typeof ReportLedgerSchema>;

export const ReportLedgersResponseSchema = z.object({
  items: z.array(ReportLedgerSchema).default([]),
  cursor: z.string().nullish(),
});
export type ReportLedgersResponse = z.infer<typeof ReportLedgersResponseSchema>;

export const ReportEntrySchema = z.object({
  pspReference: z.string().min(1),
  time: z.string().min(1),
  ledgerDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD"),
  entryType: z.string().min(1),
  reference: z.string().nullish(),
  currency: z.string().min(1),
  amount: minorUnits,
  balanceBefore: minorUnits.optional(),
  balanceAfter: minorUnits,
  recipientHandle: z.string().nullish(),
});
export type ReportEntry = z.infer<typeof ReportEntrySchema>;

/** A feed page: at the end no items, the same cursor, and tryLater. */
export const ReportFeedPageSchema = z.object({
  items: z.array(ReportEntrySchema).default([]),
  cursor: z.string().min(1),
  tryLater: z.boolean().optional(),
});
export type ReportFeedPage = z.infer<typeof ReportFeedPageSchema>;

/** A page of one ledger date's report: more pages while hasMore, each after `cursor`. */
export const ReportDatePageSchema = z.object({
  items: z.array(ReportEntrySchema).default([]),
  hasMore: z.boolean().optional(),
  cursor: z.string().nullish(),
  tryLater: z.boolean().optional(),
});
export type ReportDatePage = z.infer<typeof ReportDatePageSchema>;

export const REPORT_TOPICS = ["funds", "fees"] as const;
export type ReportTopic = (typeof REPORT_TOPICS)[number];
