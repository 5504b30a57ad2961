import "server-only";
import type { Kysely } from "kysely";
import { KyselyCatalogueRepository } from "./catalogue-repository";
import type { StoreConnection } from "./connect";
import { KyselyCountersRepository } from "./counters-repository";
import { KyselyOperationsRepository } from "./operations-repository";
import type { CatalogueRepository, CountersRepository, OperationsRepository, Repositories, SalesRepository, SettingsRepository } from "./repositories";
import { KyselySalesRepository } from "./sales-repository";
import type { Database } from "./schema";
import { KyselySettingsRepository } from "./settings-repository";
import type { Store } from "./store";

/**
 * The repositories of one database on Kysely (SQLite or PostgreSQL), sharing its connection; and,
 * while services still take the whole Store, each repository's methods on this one object.
 * Open it with openStore (index.ts), which migrates.
 */
export class KyselyStore implements Store, Repositories {
  private readonly db: Kysely<Database>;
  readonly settings: KyselySettingsRepository;
  readonly catalogue: KyselyCatalogueRepository;
  readonly sales: KyselySalesRepository;
  readonly counters: KyselyCountersRepository;
  readonly operations: KyselyOperationsRepository;

  constructor(connection: StoreConnection) {
    this.db = connection.db;
    this.settings = new KyselySettingsRepository(connection);
    this.catalogue = new KyselyCatalogueRepository(connection);
    this.sales = new KyselySalesRepository(connection);
    this.counters = new KyselyCountersRepository(connection);
    this.operations = new KyselyOperationsRepository(connection);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // SettingsRepository
  getSetting(...args: Parameters<SettingsRepository["getSetting"]>) { return this.settings.getSetting(...args); }
  setSetting(...args: Parameters<SettingsRepository["setSetting"]>) { return this.settings.setSetting(...args); }
  nextSequence(...args: Parameters<SettingsRepository["nextSequence"]>) { return this.settings.nextSequence(...args); }

  // CatalogueRepository
  listProducts(...args: Parameters<CatalogueRepository["listProducts"]>) { return this.catalogue.listProducts(...args); }
  getProduct(...args: Parameters<CatalogueRepository["getProduct"]>) { return this.catalogue.getProduct(...args); }
  saveProduct(...args: Parameters<CatalogueRepository["saveProduct"]>) { return this.catalogue.saveProduct(...args); }
  deleteProduct(...args: Parameters<CatalogueRepository["deleteProduct"]>) { return this.catalogue.deleteProduct(...args); }

  // SalesRepository
  insertSale(...args: Parameters<SalesRepository["insertSale"]>) { return this.sales.insertSale(...args); }
  getSale(...args: Parameters<SalesRepository["getSale"]>) { return this.sales.getSale(...args); }
  getSaleByIdempotencyKey(...args: Parameters<SalesRepository["getSaleByIdempotencyKey"]>) { return this.sales.getSaleByIdempotencyKey(...args); }
  getActiveSale(...args: Parameters<SalesRepository["getActiveSale"]>) { return this.sales.getActiveSale(...args); }
  getShownSale(...args: Parameters<SalesRepository["getShownSale"]>) { return this.sales.getShownSale(...args); }
  listSales(...args: Parameters<SalesRepository["listSales"]>) { return this.sales.listSales(...args); }
  summarizeSales(...args: Parameters<SalesRepository["summarizeSales"]>) { return this.sales.summarizeSales(...args); }
  transitionSale(...args: Parameters<SalesRepository["transitionSale"]>) { return this.sales.transitionSale(...args); }
  insertAttempt(...args: Parameters<SalesRepository["insertAttempt"]>) { return this.sales.insertAttempt(...args); }
  getAttempt(...args: Parameters<SalesRepository["getAttempt"]>) { return this.sales.getAttempt(...args); }
  getAttemptByReference(...args: Parameters<SalesRepository["getAttemptByReference"]>) { return this.sales.getAttemptByReference(...args); }
  listAttempts(...args: Parameters<SalesRepository["listAttempts"]>) { return this.sales.listAttempts(...args); }
  updateAttempt(...args: Parameters<SalesRepository["updateAttempt"]>) { return this.sales.updateAttempt(...args); }
  listOpenAttempts(...args: Parameters<SalesRepository["listOpenAttempts"]>) { return this.sales.listOpenAttempts(...args); }
  clearAttemptRecheck(...args: Parameters<SalesRepository["clearAttemptRecheck"]>) { return this.sales.clearAttemptRecheck(...args); }
  saveQrImage(...args: Parameters<SalesRepository["saveQrImage"]>) { return this.sales.saveQrImage(...args); }
  getQrImage(...args: Parameters<SalesRepository["getQrImage"]>) { return this.sales.getQrImage(...args); }
  pruneQrImages(...args: Parameters<SalesRepository["pruneQrImages"]>) { return this.sales.pruneQrImages(...args); }
  appendEvent(...args: Parameters<SalesRepository["appendEvent"]>) { return this.sales.appendEvent(...args); }
  listEvents(...args: Parameters<SalesRepository["listEvents"]>) { return this.sales.listEvents(...args); }
  latestEventIdForSale(...args: Parameters<SalesRepository["latestEventIdForSale"]>) { return this.sales.latestEventIdForSale(...args); }
  countSaleEvents(...args: Parameters<SalesRepository["countSaleEvents"]>) { return this.sales.countSaleEvents(...args); }
  listRecentSaleEvents(...args: Parameters<SalesRepository["listRecentSaleEvents"]>) { return this.sales.listRecentSaleEvents(...args); }
  insertRefund(...args: Parameters<SalesRepository["insertRefund"]>) { return this.sales.insertRefund(...args); }
  updateRefund(...args: Parameters<SalesRepository["updateRefund"]>) { return this.sales.updateRefund(...args); }
  listRefunds(...args: Parameters<SalesRepository["listRefunds"]>) { return this.sales.listRefunds(...args); }

  // CountersRepository
  listTerminals(...args: Parameters<CountersRepository["listTerminals"]>) { return this.counters.listTerminals(...args); }
  getTerminal(...args: Parameters<CountersRepository["getTerminal"]>) { return this.counters.getTerminal(...args); }
  getTerminalByDisplayToken(...args: Parameters<CountersRepository["getTerminalByDisplayToken"]>) { return this.counters.getTerminalByDisplayToken(...args); }
  saveTerminal(...args: Parameters<CountersRepository["saveTerminal"]>) { return this.counters.saveTerminal(...args); }
  insertTerminal(...args: Parameters<CountersRepository["insertTerminal"]>) { return this.counters.insertTerminal(...args); }
  setDisplayToken(...args: Parameters<CountersRepository["setDisplayToken"]>) { return this.counters.setDisplayToken(...args); }
  getCart(...args: Parameters<CountersRepository["getCart"]>) { return this.counters.getCart(...args); }
  saveCart(...args: Parameters<CountersRepository["saveCart"]>) { return this.counters.saveCart(...args); }
  clearCart(...args: Parameters<CountersRepository["clearCart"]>) { return this.counters.clearCart(...args); }
  saveDevice(...args: Parameters<CountersRepository["saveDevice"]>) { return this.counters.saveDevice(...args); }
  getDeviceByTokenHash(...args: Parameters<CountersRepository["getDeviceByTokenHash"]>) { return this.counters.getDeviceByTokenHash(...args); }
  listDevices(...args: Parameters<CountersRepository["listDevices"]>) { return this.counters.listDevices(...args); }
  revokeDevice(...args: Parameters<CountersRepository["revokeDevice"]>) { return this.counters.revokeDevice(...args); }
  savePairing(...args: Parameters<CountersRepository["savePairing"]>) { return this.counters.savePairing(...args); }
  getPairingByCode(...args: Parameters<CountersRepository["getPairingByCode"]>) { return this.counters.getPairingByCode(...args); }
  getPairing(...args: Parameters<CountersRepository["getPairing"]>) { return this.counters.getPairing(...args); }
  pruneExpiredPairings(...args: Parameters<CountersRepository["pruneExpiredPairings"]>) { return this.counters.pruneExpiredPairings(...args); }
  recordDisplaySeen(...args: Parameters<CountersRepository["recordDisplaySeen"]>) { return this.counters.recordDisplaySeen(...args); }
  recordDisplayDisconnected(...args: Parameters<CountersRepository["recordDisplayDisconnected"]>) { return this.counters.recordDisplayDisconnected(...args); }
  listDisplayPresence(...args: Parameters<CountersRepository["listDisplayPresence"]>) { return this.counters.listDisplayPresence(...args); }
  pruneDisplayPresence(...args: Parameters<CountersRepository["pruneDisplayPresence"]>) { return this.counters.pruneDisplayPresence(...args); }

  // OperationsRepository
  acquireLease(...args: Parameters<OperationsRepository["acquireLease"]>) { return this.operations.acquireLease(...args); }
  releaseLease(...args: Parameters<OperationsRepository["releaseLease"]>) { return this.operations.releaseLease(...args); }
  recordRateLimitHit(...args: Parameters<OperationsRepository["recordRateLimitHit"]>) { return this.operations.recordRateLimitHit(...args); }
  countRateLimitHits(...args: Parameters<OperationsRepository["countRateLimitHits"]>) { return this.operations.countRateLimitHits(...args); }
  clearRateLimitHits(...args: Parameters<OperationsRepository["clearRateLimitHits"]>) { return this.operations.clearRateLimitHits(...args); }
  pruneRateLimitHits(...args: Parameters<OperationsRepository["pruneRateLimitHits"]>) { return this.operations.pruneRateLimitHits(...args); }
  markWebhookProcessed(...args: Parameters<OperationsRepository["markWebhookProcessed"]>) { return this.operations.markWebhookProcessed(...args); }
  forgetWebhook(...args: Parameters<OperationsRepository["forgetWebhook"]>) { return this.operations.forgetWebhook(...args); }
  pruneProcessedWebhooks(...args: Parameters<OperationsRepository["pruneProcessedWebhooks"]>) { return this.operations.pruneProcessedWebhooks(...args); }
  recordVippsRequest(...args: Parameters<OperationsRepository["recordVippsRequest"]>) { return this.operations.recordVippsRequest(...args); }
  listVippsRequests(...args: Parameters<OperationsRepository["listVippsRequests"]>) { return this.operations.listVippsRequests(...args); }
}
