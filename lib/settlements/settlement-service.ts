import "server-only";
import type { Clock } from "@/lib/clock";
import type {
  SaleSettlement,
  SettlementDateView,
  SettlementDayView,
  SettlementImportStatus,
  SettlementList,
  SettlementsQuery,
} from "@/lib/contracts/settlements";
import { DomainError } from "@/lib/errors";
import type { Principal } from "@/lib/entities/principal";
import { FIRST_STORE_ID } from "@/lib/entities/retail-store";
import type { SettlementEntry } from "@/lib/entities/settlement";
import type { CsvFormat } from "@/lib/reports/csv";
import type { SalesRepository, SettlementsRepository, StoresRepository } from "@/lib/store/repositories";
import { addDays, dateIn, isDate } from "./ledger-dates";
import { capturedAt, payoutDatesOf, reconcileDays, type SaleForSettlement, settlementOfSale } from "./reconcile";
import { settlementCsv } from "./settlement-csv";
import { type SettlementScope, settlementScopeOf } from "./settlement-scope";

/** The longest span one request may cover: a year of ledger dates. */
export const MAX_SPAN_DAYS = 366;
const DAY_MS = 86_400_000;

export interface SettlementServiceDeps {
  settlements: SettlementsRepository;
  sales: SalesRepository;
  /** Whose ledgers a caller sees: the MSNs of their stores. */
  stores: Pick<StoresRepository, "listStores">;
  clock: Clock;
  /** The shop's time zone (Settings): the business day when the ledgers of several stores are shown at once. */
  timeZone: () => Promise<string>;
  /** The importers' own failures (listing the ledgers fails before any feed is read). */
  importErrors?: () => string[];
}

/** Everything one range of ledger dates needs, read once. */
interface RangeData {
  from: string;
  to: string;
  timeZone: string;
  scope: SettlementScope;
  entries: SettlementEntry[];
  sales: SaleForSettlement[];
  saleEntries: SettlementEntry[];
  importedThrough: string | undefined;
}

/**
 * The day's reconciliation: the Report API's ledger, as the importer stored it, set against the
 * till's sales, per ledger date and currency; the export the accountant books; and each sale's
 * own settlement for its view. Each caller sees the ledgers (MSNs) and sales of their stores only
 * (settlement-scope.ts); one store's figures are in its own time zone.
 */
export class SettlementService {
  constructor(private readonly deps: SettlementServiceDeps) {}

  async list(query: SettlementsQuery, by: Principal): Promise<SettlementList> {
    const data = await this.read(await this.range(query, by));
    return { items: this.days(data), import: await this.importStatus() };
  }

  async date(ledgerDate: string, by: Principal, storeId?: string): Promise<SettlementDateView> {
    const scope = await this.scope(by, storeId);
    if (!isDate(ledgerDate))
      throw new DomainError("validation", "The ledger date is not a date", {
        errors: [{ field: "ledgerDate", reason: "must be a date as YYYY-MM-DD" }],
      });
    const data = await this.read({ from: ledgerDate, to: ledgerDate, timeZone: await this.timeZoneOf(scope), scope });
    const sales = data.sales.flatMap(({ sale, reference }) => {
      const own = data.saleEntries.filter((entry) => entry.saleId === sale.id && entry.topic === "funds");
      const onDate = own.filter((entry) => entry.ledgerDate === ledgerDate);
      if (onDate.length === 0) return [];
      const ofKind = (kind: SettlementEntry["kind"]) =>
        onDate.filter((entry) => entry.kind === kind).reduce((total, entry) => total + entry.amount, 0);
      const captured = ofKind("capture");
      const refunded = 0 - ofKind("refund");
      const fee = 0 - ofKind("fee");
      return [
        {
          saleId: sale.id,
          receiptNumber: sale.receiptNumber,
          reference,
          currency: sale.currency,
          captured,
          refunded,
          fee,
          net: captured - refunded - fee,
        },
      ];
    });
    return { ledgerDate, items: this.days(data), sales };
  }

  /** A captured sale's settlement, once its capture is in the ledger. */
  async saleSettlement(saleId: string): Promise<SaleSettlement | undefined> {
    const entries = await this.deps.settlements.listEntries({ saleIds: [saleId] });
    const capture = entries.find((entry) => entry.kind === "capture");
    if (!capture) return undefined;
    const sameDate = await this.deps.settlements.listEntries({
      fromDate: capture.ledgerDate,
      toDate: capture.ledgerDate,
      msns: [capture.msn],
    });
    return settlementOfSale(entries, payoutDatesOf(sameDate, await this.deps.timeZone()));
  }

  async exportCsv(
    query: SettlementsQuery,
    by: Principal,
    format: CsvFormat = "csv",
  ): Promise<{ filename: string; body: string }> {
    const data = await this.read(await this.range(query, by));
    return {
      filename: `kassa-settlements-${data.from}-${data.to}.csv`,
      body: settlementCsv({ ...data, payoutDates: payoutDatesOf(data.entries, data.timeZone) }, format),
    };
  }

  /** How far behind the import is: since when every feed was last read to its end. */
  async importStatus(): Promise<SettlementImportStatus> {
    const feeds = await this.deps.settlements.listFeeds();
    const now = this.deps.clock.now();
    const lastImportAt = feeds
      .map((feed) => feed.lastImportAt)
      .filter((at): at is string => at !== undefined)
      .sort()
      .at(-1);
    const caughtUp = feeds.map((feed) => feed.caughtUpAt);
    const oldest = caughtUp.includes(undefined) ? undefined : (caughtUp as string[]).sort()[0];
    const errors = [
      ...(this.deps.importErrors?.() ?? []),
      ...feeds.flatMap((feed) => (feed.lastError ? [`${feed.ledgerId} ${feed.topic}: ${feed.lastError}`] : [])),
    ];
    return {
      lagSeconds: oldest === undefined ? null : Math.max(0, Math.round((now - Date.parse(oldest)) / 1000)),
      lastImportAt: lastImportAt ?? null,
      ...(errors.length > 0 ? { error: errors.join("; ") } : {}),
    };
  }

  /** For the go-live checklist: whether every funds feed was read to its end after yesterday's ledger date was over. */
  async goLiveProgress(): Promise<{ reached: boolean; importedThrough?: string; error?: string }> {
    const timeZone = await this.deps.timeZone();
    const through = importedThrough(await this.deps.settlements.listFeeds(), timeZone);
    const yesterday = addDays(dateIn(this.deps.clock.now(), timeZone), -1);
    const { error } = await this.importStatus();
    return {
      reached: through !== undefined && through >= yesterday,
      ...(through ? { importedThrough: through } : {}),
      ...(error ? { error } : {}),
    };
  }

  private days(data: RangeData): SettlementDayView[] {
    return reconcileDays({ ...data, now: this.deps.clock.now() });
  }

  private async scope(by: Principal, storeId: string | undefined): Promise<SettlementScope> {
    return settlementScopeOf(by, storeId, await this.deps.stores.listStores());
  }

  private async timeZoneOf(scope: SettlementScope): Promise<string> {
    return scope.timeZone ?? (await this.deps.timeZone());
  }

  private async range(
    query: SettlementsQuery,
    by: Principal,
  ): Promise<{ from: string; to: string; timeZone: string; scope: SettlementScope }> {
    const scope = await this.scope(by, query.storeId);
    const timeZone = await this.timeZoneOf(scope);
    const to = query.to ?? dateIn(this.deps.clock.now(), timeZone);
    const from = query.from ?? addDays(to, -29);
    const span = (Date.parse(to) - Date.parse(from)) / DAY_MS;
    if (span < 0 || span >= MAX_SPAN_DAYS)
      throw new DomainError("validation", "The date range is not valid", {
        errors: [{ field: "from", reason: `must be on or before to, and at most ${MAX_SPAN_DAYS} days before it` }],
      });
    return { from, to, timeZone, scope };
  }

  private async read(range: {
    from: string;
    to: string;
    timeZone: string;
    scope: SettlementScope;
  }): Promise<RangeData> {
    const { settlements, sales } = this.deps;
    const { msns, storeIds } = range.scope;
    const entries = await settlements.listEntries({ fromDate: range.from, toDate: range.to, msns });
    const found = new Map<string, SaleForSettlement>();
    const remember = async (sale: NonNullable<Awaited<ReturnType<SalesRepository["getSale"]>>>) => {
      if (found.has(sale.id) || sale.capturedAmount <= 0) return;
      if (storeIds && !storeIds.includes(sale.storeId ?? FIRST_STORE_ID)) return;
      const attempt = await sales.getAttempt(sale.currentAttemptId);
      found.set(sale.id, { sale, reference: attempt?.reference ?? "" });
    };
    // Sales captured in the range (a day on either side covers any time zone), then any sale an entry names.
    const window = {
      from: new Date(Date.parse(range.from) - DAY_MS).toISOString(),
      to: new Date(Date.parse(range.to) + 2 * DAY_MS).toISOString(),
    };
    let cursor: string | undefined;
    do {
      const page = await sales.listSales({ ...window, cursor, limit: 200 });
      for (const sale of page.items) {
        const day = dateIn(capturedAt(sale), range.timeZone);
        if (day >= range.from && day <= range.to) await remember(sale);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    for (const saleId of new Set(entries.flatMap((entry) => (entry.saleId ? [entry.saleId] : [])))) {
      if (found.has(saleId)) continue;
      const sale = await sales.getSale(saleId);
      if (sale) await remember(sale);
    }
    const saleList = [...found.values()];
    const saleEntries = await settlements.listEntries({ saleIds: saleList.map(({ sale }) => sale.id), msns });
    const feeds = (await settlements.listFeeds()).filter((feed) => !msns || msns.includes(feed.msn));
    return {
      ...range,
      entries,
      sales: saleList,
      saleEntries,
      importedThrough: importedThrough(feeds, range.timeZone),
    };
  }
}

/** The last ledger date wholly imported: the day before the oldest time every funds feed reached its end. */
function importedThrough(
  feeds: Awaited<ReturnType<SettlementsRepository["listFeeds"]>>,
  timeZone: string,
): string | undefined {
  const funds = feeds.filter((feed) => feed.topic === "funds");
  if (funds.length === 0 || funds.some((feed) => !feed.caughtUpAt)) return undefined;
  const oldest = funds.map((feed) => feed.caughtUpAt!).sort()[0]!;
  return addDays(dateIn(Date.parse(oldest), timeZone), -1);
}
