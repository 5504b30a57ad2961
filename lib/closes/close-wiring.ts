import "server-only";
import { Lease } from "@/lib/background/lease";
import type { Clock } from "@/lib/clock";
import type { TerminalClose } from "@/lib/entities/close";
import { FIRST_STORE_ID } from "@/lib/entities/retail-store";
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
  store: Pick<Repositories, "closes" | "counters" | "settings" | "operations" | "stores">;
  clock: Clock;
  log: Logger;
  /** The shop's time zone (Settings): a terminal's close follows its store's, this when the store has none. */
  timeZone: () => Promise<string>;
  onClosed?: (close: TerminalClose) => Promise<void>;
}): { closes: CloseService; start: () => Promise<void> } {
  const { store, clock, log } = deps;
  const timeZone = (terminalId: string) => terminalTimeZone(store, terminalId, deps.timeZone);
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

/** A terminal's business day is its store's: the store's time zone, else the shop's. */
export async function terminalTimeZone(
  store: Pick<Repositories, "counters" | "stores">,
  terminalId: string,
  shopTimeZone: () => Promise<string>,
): Promise<string> {
  const terminal = await store.counters.getTerminal(terminalId);
  const retail = await store.stores.getStore(terminal?.storeId ?? FIRST_STORE_ID);
  return retail?.timeZone || shopTimeZone();
}
