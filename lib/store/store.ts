import "server-only";
import type { CatalogueRepository, CountersRepository, OperationsRepository, Repositories, SalesRepository, SettingsRepository } from "./repositories";

/** The store's repositories, and each one's methods on the store itself for the services that still take it whole. */
export interface Store extends Repositories, SettingsRepository, CatalogueRepository, SalesRepository, CountersRepository, OperationsRepository {
  close(): Promise<void>;
}

export type { DisplayDevice, DisplayKind, DisplayPairing, DisplayPresence, DisplayPresenceSeen } from "@/lib/entities/display";
export type { EventSource, NewSaleEvent, SaleEventCount, SaleFilter, SaleSummary } from "@/lib/entities/sale";
export type { NewVippsRequestRecord, VippsRequestRecord } from "@/lib/entities/vipps-request";
