import "server-only";
import { Lease } from "@/lib/background/lease";
import type { Clock } from "@/lib/clock";
import type { TerminalClose } from "@/lib/entities/close";
import type { Logger } from "@/lib/log";
import type { Repositories } from "@/lib/store/repositories";
import { CloseScheduler } from "./close-scheduler";
import { CloseService } from "./close-service";

export type { CloseService };

/**
 * The closes as the composition root builds them: the service, and the automatic close, which runs
 * where the "auto-close" lease is held. `onClosed` is where a close is reported onwards (the POS
 * event feed's terminal.closed).
 */
export function buildCloses(deps: {
  store: Pick<Repositories, "closes" | "counters" | "settings" | "operations">;
  clock: Clock;
  log: Logger;
  timeZone: () => Promise<string>;
  onClosed?: (close: TerminalClose) => Promise<void>;
}): { closes: CloseService; start: () => Promise<void> } {
  const { store, clock, log, timeZone } = deps;
  const closes = new CloseService({
    closes: store.closes,
    counters: store.counters,
    settings: store.settings,
    clock,
    log,
    timeZone,
    ...(deps.onClosed ? { onClosed: deps.onClosed } : {}),
  });
  const lease = new Lease({ operations: store.operations, log, name: "auto-close" });
  const scheduler = new CloseScheduler({
    closes,
    closeRecords: store.closes,
    counters: store.counters,
    clock,
    log,
    lease,
    timeZone,
  });
  return {
    closes,
    start: async () => {
      await lease.start();
      scheduler.start();
      lease.onAcquired(() => void scheduler.tick());
    },
  };
}
