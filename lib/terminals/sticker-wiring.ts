import "server-only";
import type { Logger } from "@/lib/log";
import type { CheckInOutcome } from "@/lib/sales/sale-check-in";
import type { CountersRepository, SettingsRepository } from "@/lib/store/repositories";
import type { CheckInEvent, MerchantQrApi } from "@/lib/vipps/qr-client";
import { TerminalStickers } from "./terminal-stickers";

/**
 * The sticker at the till, wired: the stickers themselves, and what a check-in (a customer scanned
 * one) does: the terminal's waiting sale goes to their phone, or its display asks them to wait.
 */
export function buildStickers(deps: {
  counters: CountersRepository;
  settings: SettingsRepository;
  qrOf: (storeId: string) => Promise<MerchantQrApi>;
  log: Logger;
  sendToCheckedInCustomer: (terminalId: string, checkIn: CheckInEvent) => Promise<CheckInOutcome>;
  /** The display says "wait for the cashier" for a moment. */
  showCheckIn: (terminalId: string) => void;
}): {
  stickers: TerminalStickers;
  onCheckIn: (checkIn: CheckInEvent) => Promise<CheckInOutcome | "unknown-sticker">;
} {
  const stickers = new TerminalStickers(deps);
  return {
    stickers,
    async onCheckIn(checkIn) {
      const terminalId = await stickers.terminalOf(checkIn.merchantQrId);
      if (!terminalId) return "unknown-sticker";
      const outcome = await deps.sendToCheckedInCustomer(terminalId, checkIn);
      if (outcome === "no-sale-waiting") deps.showCheckIn(terminalId);
      deps.log.info("A customer scanned the till's sticker", { terminalId, outcome });
      return outcome;
    },
  };
}
