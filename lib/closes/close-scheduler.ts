import "server-only";
import type { Lease } from "@/lib/background/lease";
import type { Clock } from "@/lib/clock";
import type { Logger } from "@/lib/log";
import type { ClosesRepository, CountersRepository } from "@/lib/store/repositories";
import type { CloseService } from "./close-service";
import { latestAtOrBefore } from "./zoned-time";

/** How often the holder looks for a terminal whose closing time has come. */
export const AUTO_CLOSE_TICK_MS = 30_000;

/**
 * The automatic day close: where the "auto-close" lease is held (one instance at a time), each
 * terminal with a closing time is closed once that time of day has come in its store's time zone,
 * unless it was closed since (by hand or by an earlier tick) or the time was set after it. An
 * instance that was down at the time closes on its first tick after: late, never twice.
 */
export class CloseScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly deps: {
      closes: CloseService;
      closeRecords: ClosesRepository;
      counters: CountersRepository;
      clock: Clock;
      log: Logger;
      lease: Lease;
      /** The terminal's store's time zone (the shop's when the store has none). */
      timeZone: (terminalId: string) => Promise<string>;
    },
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), AUTO_CLOSE_TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Closes the terminals that are due; returns their ids. Only where the lease is held. */
  async tick(): Promise<string[]> {
    if (!this.deps.lease.held || this.running) return [];
    this.running = true;
    const closed: string[] = [];
    try {
      const now = this.deps.clock.now();
      for (const terminal of await this.deps.counters.listTerminals()) {
        const schedule = await this.deps.closes.storedSchedule(terminal.id);
        if (!schedule) continue;
        const timeZone = await this.deps.timeZone(terminal.id);
        const due = latestAtOrBefore(schedule.time, timeZone, now);
        const last = await this.deps.closeRecords.lastClosedAt(terminal.id);
        if (Date.parse(schedule.setAt) > due || (last && Date.parse(last) >= due)) continue;
        try {
          await this.deps.closes.close(terminal.id, "system");
          closed.push(terminal.id);
        } catch (error) {
          this.deps.log.warn("The automatic close failed; the next tick tries again", {
            terminalId: terminal.id,
            err: error,
          });
        }
      }
    } catch (error) {
      this.deps.log.warn("Looking for automatic closes failed", { err: error });
    } finally {
      this.running = false;
    }
    return closed;
  }
}
