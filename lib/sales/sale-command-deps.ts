import "server-only";
import type { Clock } from "@/lib/clock";
import { DomainError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import type { CountersRepository, SalesRepository, SettingsRepository } from "@/lib/store/repositories";
import type { PaymentGateway } from "./payment-gateway";
import type { SaleTransitions } from "./sale-transitions";
import type { SaleViews } from "./sale-views";
import type { Sale } from "./types";
import type { VippsAvailability } from "./vipps-availability";

/**
 * What SaleCommands is built with, shared by the paths it delegates to (create, cancel, refund),
 * so that each of them can live in a module of its own without importing SaleCommands back.
 */
export interface SaleCommandsDeps {
  sales: SalesRepository;
  /** The terminal a sale is made at, and its cart; settings hands out the receipt numbers. */
  counters: CountersRepository;
  settings: SettingsRepository;
  gateway: PaymentGateway;
  transitions: SaleTransitions;
  views: SaleViews;
  clock: Clock;
  log: Logger;
  publicUrl: string;
  /** Whether new sales are captured as soon as they are approved (a shop setting). */
  autoCapture: () => Promise<boolean>;
  saleChanged: (terminalId: string) => Promise<void>;
  /** Counts failed creates and refuses new sales at once while Vipps is out; absent in some tests. */
  availability?: VippsAvailability;
  /** KASSA_QR_SOURCE: "vipps" asks Vipps for its own QR image instead of the link. */
  qrSource?: "app" | "vipps";
  /** Fetches Vipps' QR image (KASSA_QR_SOURCE=vipps); global fetch when not given. */
  fetchImage?: typeof fetch;
  /**
   * The store a terminal sells for and its sales unit's MSN, stamped on each new sale so that every
   * later Vipps call about it goes through that unit; the sale keeps the terminal's store alone when not given.
   */
  salesUnitOf?: (storeId: string | undefined) => Promise<{ storeId: string; msn: string }>;
}

/** The clock's time (or the given one) as the ISO timestamp the store keeps. */
export function isoAt(deps: Pick<SaleCommandsDeps, "clock">, ms = deps.clock.now()): string {
  return new Date(ms).toISOString();
}

export async function getSaleOrThrow(deps: Pick<SaleCommandsDeps, "sales">, id: string): Promise<Sale> {
  const sale = await deps.sales.getSale(id);
  if (!sale) throw new DomainError("notFound", `No sale with id ${id}`);
  return sale;
}

export function terminalBusy(terminalId: string, activeSaleId: string): DomainError {
  return new DomainError(
    "terminalBusy",
    `Terminal ${terminalId} already shows sale ${activeSaleId}; finish or cancel it first`,
    { extra: { activeSaleId } },
  );
}
