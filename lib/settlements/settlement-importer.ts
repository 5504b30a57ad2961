import "server-only";
import { createHash } from "node:crypto";
import type { Clock } from "@/lib/clock";
import {
  entryKindOf,
  type NewSettlementEntry,
  SETTLEMENT_TOPICS,
  type SettlementTopic,
} from "@/lib/entities/settlement";
import type { Logger } from "@/lib/log";
import type { SettlementFeedKey, SettlementsRepository } from "@/lib/store/repositories";
import type { ReportClient } from "@/lib/vipps/report-client";
import type { ReportEntry, ReportLedger } from "@/lib/vipps/report-schemas";

/** How many pages one run reads of a feed at most before it lets the next run go on. */
const MAX_PAGES_PER_RUN = 500;

/**
 * The Report API gives an entry no id of its own. Within a ledger's feed, this tuple names one
 * entry: its running balance after it differs from every other entry's with the same pspReference,
 * type and time unless the amount is 0 (which moves no money, so counting such a twin once is harmless).
 */
export function entryIdOf(ledgerId: string, topic: SettlementTopic, entry: ReportEntry): string {
  return createHash("sha256")
    .update(
      [ledgerId, topic, entry.pspReference, entry.entryType, entry.time, entry.amount, entry.balanceAfter].join("|"),
    )
    .digest("hex")
    .slice(0, 40);
}

export function toNewEntry(
  msn: string,
  ledgerId: string,
  topic: SettlementTopic,
  entry: ReportEntry,
): NewSettlementEntry {
  return {
    id: entryIdOf(ledgerId, topic, entry),
    msn,
    ledgerId,
    topic,
    entryType: entry.entryType,
    kind: entryKindOf(topic, entry.entryType),
    pspReference: entry.pspReference,
    ...(entry.reference ? { reference: entry.reference } : {}),
    currency: entry.currency,
    amount: entry.amount,
    balanceAfter: entry.balanceAfter,
    time: entry.time,
    ledgerDate: entry.ledgerDate,
  };
}

export interface ImportRun {
  /** Entries stored by this run (an entry stored before, or by another instance, is not counted). */
  stored: number;
  /** Whether every feed reached its end. */
  caughtUp: boolean;
}

/** The ledgers of a sales unit: those that settle for its MSN ("api:<msn>"), else every one its keys see. */
export function ledgersOf(msn: string, ledgers: readonly ReportLedger[]): ReportLedger[] {
  const handle = `api:${msn}`;
  const own = ledgers.filter((ledger) => ledger.settlesForRecipientHandles.includes(handle));
  return own.length > 0 ? own : [...ledgers];
}

/**
 * Reads one sales unit's (MSN's) ledgers into the store: for each ledger, its funds and its fees
 * feed, page after page from the stored cursor. Each page is stored with its cursor move in one
 * transaction (SettlementsRepository.importPage), so a process killed at any point has stored
 * either the whole page and the new cursor or neither, and reads the page again on its next run.
 * A page another instance stored first (the cursor moved under us) ends this feed's run quietly.
 */
export class SettlementImporter {
  constructor(
    private readonly deps: {
      msn: string;
      report: ReportClient;
      settlements: SettlementsRepository;
      clock: Clock;
      log: Logger;
      /** Called between a page's read and its storing: tests stop a run there (a crash before the commit). */
      beforeStore?: (page: { feed: SettlementFeedKey; entries: number }) => void | Promise<void>;
    },
  ) {}

  get msn(): string {
    return this.deps.msn;
  }

  /** One pass over every feed of the MSN's ledgers. Throws on the first failed read, after noting it on its feed. */
  async run(): Promise<ImportRun> {
    const { report, settlements, msn } = this.deps;
    const ledgers = ledgersOf(msn, await report.listLedgers());
    const feeds = new Map((await settlements.listFeeds(msn)).map((feed) => [`${feed.ledgerId}|${feed.topic}`, feed]));
    let stored = 0;
    let caughtUp = true;
    for (const ledger of ledgers) {
      for (const topic of SETTLEMENT_TOPICS) {
        const key: SettlementFeedKey = { msn, ledgerId: ledger.ledgerId, topic, currency: ledger.currency ?? "NOK" };
        const result = await this.readFeed(key, feeds.get(`${ledger.ledgerId}|${topic}`)?.cursor);
        stored += result.stored;
        caughtUp &&= result.caughtUp;
      }
    }
    // A sale made after its entries were read (never in practice; a restore, a slow create) still finds them.
    await settlements.matchUnmatched();
    return { stored, caughtUp };
  }

  private async readFeed(feed: SettlementFeedKey, start: string | undefined): Promise<ImportRun> {
    const { report, settlements, clock } = this.deps;
    let cursor = start;
    let stored = 0;
    for (let page = 0; page < MAX_PAGES_PER_RUN; page++) {
      let answer: Awaited<ReturnType<ReportClient["feed"]>>;
      try {
        answer = await report.feed(feed.ledgerId, feed.topic, cursor);
      } catch (error) {
        await settlements.recordFeedError(feed, failureText(error), new Date(clock.now()).toISOString());
        throw error;
      }
      const entries = answer.items.map((item) => toNewEntry(feed.msn, feed.ledgerId, feed.topic, item));
      const atEnd = entries.length === 0 || answer.tryLater === true;
      await this.deps.beforeStore?.({ feed, entries: entries.length });
      const result = await settlements.importPage({
        feed,
        fromCursor: cursor,
        toCursor: answer.cursor,
        entries,
        at: new Date(clock.now()).toISOString(),
        caughtUp: atEnd,
      });
      if (result.moved) {
        this.deps.log.info("Another instance read this settlement page first", {
          msn: feed.msn,
          ledgerId: feed.ledgerId,
          topic: feed.topic,
        });
        return { stored, caughtUp: false };
      }
      stored += result.stored;
      if (atEnd || answer.cursor === cursor) return { stored, caughtUp: true };
      cursor = answer.cursor;
    }
    return { stored, caughtUp: false };
  }
}

function failureText(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500);
}
