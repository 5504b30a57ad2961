import "server-only";
import { randomBytes } from "node:crypto";
import type { Clock } from "@/lib/clock";
import type {
  CloseListView,
  ClosePreviewView,
  CloseScheduleView,
  ListClosesQuery,
  TerminalCloseView,
} from "@/lib/contracts/closes";
import type { TerminalClose } from "@/lib/entities/close";
import type { EventSource } from "@/lib/entities/sale";
import { DomainError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import { csvRow, decimalAmount } from "@/lib/reports/csv";
import type { ClosesRepository, CountersRepository, SettingsRepository } from "@/lib/store/repositories";
import { composeClose } from "./close-report";
import { nextAfter } from "./zoned-time";

export interface CloseServiceDeps {
  closes: ClosesRepository;
  counters: CountersRepository;
  settings: SettingsRepository;
  clock: Clock;
  log: Logger;
  /** The time zone of the terminal's store (the shop's, Settings, when it has none), for its automatic close. */
  timeZone: (terminalId: string) => Promise<string>;
  /**
   * Told of every close once it is committed (the store wrote its terminal.closed event with it;
   * the composition root rings the POS events' dispatcher and feed here). A failure is logged; the
   * close stands, and the dispatcher finds the event within a second anyway.
   */
  onClosed?: (close: TerminalClose) => Promise<void>;
}

/** A terminal's automatic close: the time of day, and when it was set (a close is due only after that). */
export interface StoredSchedule {
  time: string;
  setAt: string;
}

const scheduleKey = (terminalId: string) => `closes.schedule.${terminalId}`;

/** Each terminal's day close (Z report), its preview (X report), the list, CSV and the automatic close's time. */
export class CloseService {
  constructor(private readonly deps: CloseServiceDeps) {}

  private iso(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  private async terminalOrThrow(terminalId: string) {
    const terminal = await this.deps.counters.getTerminal(terminalId);
    if (!terminal) throw new DomainError("notFound", `No terminal with id ${terminalId}`);
    return terminal;
  }

  /** The X report: what a close now would hold, without closing. */
  async preview(terminalId: string): Promise<ClosePreviewView> {
    const input = await this.deps.closes.openCloseInput(terminalId);
    if (!input) throw new DomainError("notFound", `No terminal with id ${terminalId}`);
    const { id: _id, ...close } = composeClose(input, { id: "", closedAt: this.iso() }).close;
    return { preview: true, ...close };
  }

  /** The Z report: closes everything since the terminal's previous close. */
  async close(terminalId: string, source: EventSource): Promise<TerminalCloseView> {
    const closedAt = this.iso();
    const close = await this.deps.closes.closeTerminal(terminalId, (input) =>
      composeClose(input, { id: `close_${randomBytes(12).toString("base64url")}`, closedAt }),
    );
    if (!close) throw new DomainError("notFound", `No terminal with id ${terminalId}`);
    this.deps.log.info("Terminal closed", { terminalId, number: close.number, closeId: close.id, via: source });
    try {
      await this.deps.onClosed?.(close);
    } catch (error) {
      this.deps.log.warn("Reporting a close failed; the close stands", { closeId: close.id, err: error });
    }
    return close;
  }

  async list(terminalId: string, query: ListClosesQuery): Promise<CloseListView> {
    await this.terminalOrThrow(terminalId);
    const limit = query.limit ?? 50;
    const items = await this.deps.closes.listCloses(terminalId, {
      limit: limit + 1,
      ...(query.before ? { beforeNumber: query.before } : {}),
    });
    const page = items.slice(0, limit);
    return { items: page, nextBefore: items.length > limit ? (page.at(-1)?.number ?? null) : null };
  }

  async get(id: string): Promise<TerminalCloseView> {
    const close = await this.deps.closes.getClose(id);
    if (!close) throw new DomainError("notFound", `No close with id ${id}`);
    return close;
  }

  /** The close as CSV: one row per figure, amounts as decimals, for the shop's books. */
  async csv(id: string): Promise<{ filename: string; body: string }> {
    const close = await this.get(id);
    const head = [close.id, close.terminalId, close.number, close.openedAt, close.closedAt];
    let body = csvRow([
      "close_id",
      "terminal_id",
      "number",
      "opened_at",
      "closed_at",
      "currency",
      "figure",
      "tax_rate_percent",
      "count",
      "amount",
      "base",
      "tax",
    ]);
    for (const c of close.currencies) {
      body += csvRow([...head, c.currency, "captured", "", c.captured.count, decimalAmount(c.captured.amount), "", ""]);
      body += csvRow([...head, c.currency, "refunded", "", c.refunded.count, decimalAmount(c.refunded.amount), "", ""]);
      body += csvRow([...head, c.currency, "net", "", "", decimalAmount(c.net), "", ""]);
      for (const v of c.vat) {
        const gross = decimalAmount(v.base + v.tax);
        body += csvRow([
          ...head,
          c.currency,
          "vat",
          v.rate / 100,
          "",
          gross,
          decimalAmount(v.base),
          decimalAmount(v.tax),
        ]);
      }
    }
    body += csvRow([...head, "", "cancelled", "", close.cancelled.count, "", "", ""]);
    body += csvRow([...head, "", "failed", "", close.failed.count, "", "", ""]);
    for (const { operator, count } of close.operators ?? []) {
      body += csvRow([...head, "", `operator:${operator}`, "", count, "", "", ""]);
    }
    return { filename: `kassa-close-${close.terminalId}-${close.number}.csv`, body };
  }

  async schedule(terminalId: string): Promise<CloseScheduleView> {
    await this.terminalOrThrow(terminalId);
    const [stored, timeZone] = await Promise.all([this.storedSchedule(terminalId), this.deps.timeZone(terminalId)]);
    return {
      terminalId,
      time: stored?.time ?? null,
      timeZone,
      nextCloseAt: stored ? new Date(nextAfter(stored.time, timeZone, this.deps.clock.now())).toISOString() : null,
    };
  }

  async setSchedule(terminalId: string, time: string | null): Promise<CloseScheduleView> {
    await this.terminalOrThrow(terminalId);
    const value: StoredSchedule | null = time ? { time, setAt: this.iso() } : null;
    await this.deps.settings.setSetting(scheduleKey(terminalId), value ? JSON.stringify(value) : "");
    return this.schedule(terminalId);
  }

  async storedSchedule(terminalId: string): Promise<StoredSchedule | undefined> {
    const raw = await this.deps.settings.getSetting(scheduleKey(terminalId));
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as StoredSchedule;
      return typeof parsed.time === "string" && typeof parsed.setAt === "string" ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
}
