import "server-only";
/**
 * Typed client for the Vipps MobilePay Report API: the ledgers a sales unit's keys can see, and
 * each ledger's funds and fees, as a feed from a cursor or as one ledger date's report. It uses
 * the same keys, access token, headers and retries as the ePayment client (createVippsTransport),
 * so the simulator and Vipps are reached the same way. Every call here only reads: all are safe
 * to repeat.
 */
import { type VippsClientOptions, createVippsTransport } from "./client";
import { VippsApiError, VippsRequestError } from "./errors";
import {
  type ReportDatePage,
  type ReportFeedPage,
  type ReportLedger,
  type ReportTopic,
  REPORT_TOPICS,
  ReportDatePageSchema,
  ReportFeedPageSchema,
  ReportLedgersResponseSchema,
} from "./report-schemas";

export interface ReportClient {
  readonly baseUrl: string;
  /** Every ledger these keys can see (all pages). */
  listLedgers(): Promise<ReportLedger[]>;
  /** The page after `cursor` (the feed's start without one). At the end: no items, the same cursor. */
  feed(ledgerId: string, topic: ReportTopic, cursor?: string): Promise<ReportFeedPage>;
  /** One page of a ledger date's report; undefined while the date is not complete (the API's 404). */
  datePage(
    ledgerId: string,
    topic: ReportTopic,
    ledgerDate: string,
    cursor?: string,
  ): Promise<ReportDatePage | undefined>;
}

const withCursor = (path: string, cursor: string | undefined) =>
  cursor ? `${path}?cursor=${encodeURIComponent(cursor)}` : path;

function checkTopic(operation: string, topic: string): void {
  if (!(REPORT_TOPICS as readonly string[]).includes(topic))
    throw new VippsRequestError(operation, `topic must be one of ${REPORT_TOPICS.join(", ")}`);
}

export function createReportClient(options: VippsClientOptions): ReportClient {
  const { baseUrl, execute } = createVippsTransport(options);

  const ledgerPath = (operation: string, ledgerId: string, topic: ReportTopic) => {
    if (typeof ledgerId !== "string" || ledgerId.length === 0)
      throw new VippsRequestError(operation, "ledgerId is required");
    checkTopic(operation, topic);
    return `/report/v2/ledgers/${encodeURIComponent(ledgerId)}/${topic}`;
  };

  return {
    baseUrl,

    async listLedgers() {
      const ledgers: ReportLedger[] = [];
      let cursor: string | undefined;
      // The cursor is empty (or absent) when there are no more ledgers; a bound stops a server that never says so.
      for (let page = 0; page < 100; page++) {
        const answer = await execute({
          name: "listLedgers",
          method: "GET",
          path: withCursor("/settlement/v1/ledgers", cursor),
          replaySafe: true,
          expect: { kind: "json", schema: ReportLedgersResponseSchema },
        });
        ledgers.push(...answer.items);
        if (!answer.cursor || answer.cursor === cursor) break;
        cursor = answer.cursor;
      }
      return ledgers;
    },

    async feed(ledgerId, topic, cursor) {
      const path = ledgerPath("reportFeed", ledgerId, topic);
      return execute({
        name: "reportFeed",
        method: "GET",
        path: withCursor(`${path}/feed`, cursor),
        replaySafe: true,
        expect: { kind: "json", schema: ReportFeedPageSchema },
      });
    },

    async datePage(ledgerId, topic, ledgerDate, cursor) {
      const path = ledgerPath("reportDate", ledgerId, topic);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(ledgerDate))
        throw new VippsRequestError("reportDate", "ledgerDate must be YYYY-MM-DD");
      try {
        return await execute({
          name: "reportDate",
          method: "GET",
          path: withCursor(`${path}/dates/${ledgerDate}`, cursor),
          replaySafe: true,
          expect: { kind: "json", schema: ReportDatePageSchema },
        });
      } catch (error) {
        // 404 is the API's "not yet": the date is not closed, or not all its entries are in.
        if (error instanceof VippsApiError && error.status === 404) return undefined;
        throw error;
      }
    },
  };
}
