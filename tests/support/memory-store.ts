import type Database from "better-sqlite3";
import { connectSqlite, type StoreConnection } from "@/lib/store/connect";
import { KyselyStore, openMigrated } from "@/lib/store/index";
import type {
  CatalogueRepository,
  ClosesRepository,
  CountersRepository,
  OperationsRepository,
  PosEventsRepository,
  SalesRepository,
  SettingsRepository,
} from "@/lib/store/repositories";

/**
 * The real store with every repository's methods on one object, so that a test can hand it to a
 * service as any repository it takes, and spy on a method or override it in a subclass wherever
 * the service calls it.
 */
export class TestStore
  implements
    CatalogueRepository,
    ClosesRepository,
    CountersRepository,
    OperationsRepository,
    PosEventsRepository,
    SalesRepository,
    SettingsRepository
{
  readonly repositories: KyselyStore;

  constructor(connection: StoreConnection) {
    this.repositories = new KyselyStore(connection);
  }

  close() {
    return this.repositories.close();
  }

  // SettingsRepository
  getSetting(...args: Parameters<SettingsRepository["getSetting"]>) {
    return this.repositories.settings.getSetting(...args);
  }
  setSetting(...args: Parameters<SettingsRepository["setSetting"]>) {
    return this.repositories.settings.setSetting(...args);
  }
  nextSequence(...args: Parameters<SettingsRepository["nextSequence"]>) {
    return this.repositories.settings.nextSequence(...args);
  }

  // CatalogueRepository
  listProducts(...args: Parameters<CatalogueRepository["listProducts"]>) {
    return this.repositories.catalogue.listProducts(...args);
  }
  getProduct(...args: Parameters<CatalogueRepository["getProduct"]>) {
    return this.repositories.catalogue.getProduct(...args);
  }
  saveProduct(...args: Parameters<CatalogueRepository["saveProduct"]>) {
    return this.repositories.catalogue.saveProduct(...args);
  }
  deleteProduct(...args: Parameters<CatalogueRepository["deleteProduct"]>) {
    return this.repositories.catalogue.deleteProduct(...args);
  }

  // SalesRepository
  insertSale(...args: Parameters<SalesRepository["insertSale"]>) {
    return this.repositories.sales.insertSale(...args);
  }
  getSale(...args: Parameters<SalesRepository["getSale"]>) {
    return this.repositories.sales.getSale(...args);
  }
  getSaleByIdempotencyKey(...args: Parameters<SalesRepository["getSaleByIdempotencyKey"]>) {
    return this.repositories.sales.getSaleByIdempotencyKey(...args);
  }
  getSaleByReceiptId(...args: Parameters<SalesRepository["getSaleByReceiptId"]>) {
    return this.repositories.sales.getSaleByReceiptId(...args);
  }
  getActiveSale(...args: Parameters<SalesRepository["getActiveSale"]>) {
    return this.repositories.sales.getActiveSale(...args);
  }
  getShownSale(...args: Parameters<SalesRepository["getShownSale"]>) {
    return this.repositories.sales.getShownSale(...args);
  }
  listSales(...args: Parameters<SalesRepository["listSales"]>) {
    return this.repositories.sales.listSales(...args);
  }
  summarizeSales(...args: Parameters<SalesRepository["summarizeSales"]>) {
    return this.repositories.sales.summarizeSales(...args);
  }
  transitionSale(...args: Parameters<SalesRepository["transitionSale"]>) {
    return this.repositories.sales.transitionSale(...args);
  }
  insertAttempt(...args: Parameters<SalesRepository["insertAttempt"]>) {
    return this.repositories.sales.insertAttempt(...args);
  }
  getAttempt(...args: Parameters<SalesRepository["getAttempt"]>) {
    return this.repositories.sales.getAttempt(...args);
  }
  getAttemptByReference(...args: Parameters<SalesRepository["getAttemptByReference"]>) {
    return this.repositories.sales.getAttemptByReference(...args);
  }
  listAttempts(...args: Parameters<SalesRepository["listAttempts"]>) {
    return this.repositories.sales.listAttempts(...args);
  }
  updateAttempt(...args: Parameters<SalesRepository["updateAttempt"]>) {
    return this.repositories.sales.updateAttempt(...args);
  }
  listOpenAttempts(...args: Parameters<SalesRepository["listOpenAttempts"]>) {
    return this.repositories.sales.listOpenAttempts(...args);
  }
  clearAttemptRecheck(...args: Parameters<SalesRepository["clearAttemptRecheck"]>) {
    return this.repositories.sales.clearAttemptRecheck(...args);
  }
  saveQrImage(...args: Parameters<SalesRepository["saveQrImage"]>) {
    return this.repositories.sales.saveQrImage(...args);
  }
  getQrImage(...args: Parameters<SalesRepository["getQrImage"]>) {
    return this.repositories.sales.getQrImage(...args);
  }
  pruneQrImages(...args: Parameters<SalesRepository["pruneQrImages"]>) {
    return this.repositories.sales.pruneQrImages(...args);
  }
  appendEvent(...args: Parameters<SalesRepository["appendEvent"]>) {
    return this.repositories.sales.appendEvent(...args);
  }
  listEvents(...args: Parameters<SalesRepository["listEvents"]>) {
    return this.repositories.sales.listEvents(...args);
  }
  latestEventIdForSale(...args: Parameters<SalesRepository["latestEventIdForSale"]>) {
    return this.repositories.sales.latestEventIdForSale(...args);
  }
  countSaleEvents(...args: Parameters<SalesRepository["countSaleEvents"]>) {
    return this.repositories.sales.countSaleEvents(...args);
  }
  listRecentSaleEvents(...args: Parameters<SalesRepository["listRecentSaleEvents"]>) {
    return this.repositories.sales.listRecentSaleEvents(...args);
  }
  insertRefund(...args: Parameters<SalesRepository["insertRefund"]>) {
    return this.repositories.sales.insertRefund(...args);
  }
  updateRefund(...args: Parameters<SalesRepository["updateRefund"]>) {
    return this.repositories.sales.updateRefund(...args);
  }
  listRefunds(...args: Parameters<SalesRepository["listRefunds"]>) {
    return this.repositories.sales.listRefunds(...args);
  }

  // CountersRepository
  listTerminals(...args: Parameters<CountersRepository["listTerminals"]>) {
    return this.repositories.counters.listTerminals(...args);
  }
  getTerminal(...args: Parameters<CountersRepository["getTerminal"]>) {
    return this.repositories.counters.getTerminal(...args);
  }
  getTerminalByDisplayToken(...args: Parameters<CountersRepository["getTerminalByDisplayToken"]>) {
    return this.repositories.counters.getTerminalByDisplayToken(...args);
  }
  saveTerminal(...args: Parameters<CountersRepository["saveTerminal"]>) {
    return this.repositories.counters.saveTerminal(...args);
  }
  insertTerminal(...args: Parameters<CountersRepository["insertTerminal"]>) {
    return this.repositories.counters.insertTerminal(...args);
  }
  setDisplayToken(...args: Parameters<CountersRepository["setDisplayToken"]>) {
    return this.repositories.counters.setDisplayToken(...args);
  }
  getCart(...args: Parameters<CountersRepository["getCart"]>) {
    return this.repositories.counters.getCart(...args);
  }
  saveCart(...args: Parameters<CountersRepository["saveCart"]>) {
    return this.repositories.counters.saveCart(...args);
  }
  clearCart(...args: Parameters<CountersRepository["clearCart"]>) {
    return this.repositories.counters.clearCart(...args);
  }
  saveDevice(...args: Parameters<CountersRepository["saveDevice"]>) {
    return this.repositories.counters.saveDevice(...args);
  }
  getDeviceByTokenHash(...args: Parameters<CountersRepository["getDeviceByTokenHash"]>) {
    return this.repositories.counters.getDeviceByTokenHash(...args);
  }
  listDevices(...args: Parameters<CountersRepository["listDevices"]>) {
    return this.repositories.counters.listDevices(...args);
  }
  revokeDevice(...args: Parameters<CountersRepository["revokeDevice"]>) {
    return this.repositories.counters.revokeDevice(...args);
  }
  renameDevice(...args: Parameters<CountersRepository["renameDevice"]>) {
    return this.repositories.counters.renameDevice(...args);
  }
  savePairing(...args: Parameters<CountersRepository["savePairing"]>) {
    return this.repositories.counters.savePairing(...args);
  }
  getPairingByCode(...args: Parameters<CountersRepository["getPairingByCode"]>) {
    return this.repositories.counters.getPairingByCode(...args);
  }
  getPairing(...args: Parameters<CountersRepository["getPairing"]>) {
    return this.repositories.counters.getPairing(...args);
  }
  pruneExpiredPairings(...args: Parameters<CountersRepository["pruneExpiredPairings"]>) {
    return this.repositories.counters.pruneExpiredPairings(...args);
  }
  recordDisplaySeen(...args: Parameters<CountersRepository["recordDisplaySeen"]>) {
    return this.repositories.counters.recordDisplaySeen(...args);
  }
  recordDisplayDisconnected(...args: Parameters<CountersRepository["recordDisplayDisconnected"]>) {
    return this.repositories.counters.recordDisplayDisconnected(...args);
  }
  listDisplayPresence(...args: Parameters<CountersRepository["listDisplayPresence"]>) {
    return this.repositories.counters.listDisplayPresence(...args);
  }
  pruneDisplayPresence(...args: Parameters<CountersRepository["pruneDisplayPresence"]>) {
    return this.repositories.counters.pruneDisplayPresence(...args);
  }

  // OperationsRepository
  acquireLease(...args: Parameters<OperationsRepository["acquireLease"]>) {
    return this.repositories.operations.acquireLease(...args);
  }
  releaseLease(...args: Parameters<OperationsRepository["releaseLease"]>) {
    return this.repositories.operations.releaseLease(...args);
  }
  recordRateLimitHit(...args: Parameters<OperationsRepository["recordRateLimitHit"]>) {
    return this.repositories.operations.recordRateLimitHit(...args);
  }
  countRateLimitHits(...args: Parameters<OperationsRepository["countRateLimitHits"]>) {
    return this.repositories.operations.countRateLimitHits(...args);
  }
  takeRateLimitToken(...args: Parameters<OperationsRepository["takeRateLimitToken"]>) {
    return this.repositories.operations.takeRateLimitToken(...args);
  }
  clearRateLimitHits(...args: Parameters<OperationsRepository["clearRateLimitHits"]>) {
    return this.repositories.operations.clearRateLimitHits(...args);
  }
  pruneRateLimitHits(...args: Parameters<OperationsRepository["pruneRateLimitHits"]>) {
    return this.repositories.operations.pruneRateLimitHits(...args);
  }
  markWebhookProcessed(...args: Parameters<OperationsRepository["markWebhookProcessed"]>) {
    return this.repositories.operations.markWebhookProcessed(...args);
  }
  forgetWebhook(...args: Parameters<OperationsRepository["forgetWebhook"]>) {
    return this.repositories.operations.forgetWebhook(...args);
  }
  pruneProcessedWebhooks(...args: Parameters<OperationsRepository["pruneProcessedWebhooks"]>) {
    return this.repositories.operations.pruneProcessedWebhooks(...args);
  }
  recordVippsRequest(...args: Parameters<OperationsRepository["recordVippsRequest"]>) {
    return this.repositories.operations.recordVippsRequest(...args);
  }
  listVippsRequests(...args: Parameters<OperationsRepository["listVippsRequests"]>) {
    return this.repositories.operations.listVippsRequests(...args);
  }

  // PosEventsRepository
  latestSeq(...args: Parameters<PosEventsRepository["latestSeq"]>) {
    return this.repositories.posEvents.latestSeq(...args);
  }
  setEventData(...args: Parameters<PosEventsRepository["setEventData"]>) {
    return this.repositories.posEvents.setEventData(...args);
  }
  insertEndpoint(...args: Parameters<PosEventsRepository["insertEndpoint"]>) {
    return this.repositories.posEvents.insertEndpoint(...args);
  }
  listEndpoints(...args: Parameters<PosEventsRepository["listEndpoints"]>) {
    return this.repositories.posEvents.listEndpoints(...args);
  }
  getEndpoint(...args: Parameters<PosEventsRepository["getEndpoint"]>) {
    return this.repositories.posEvents.getEndpoint(...args);
  }
  deleteEndpoint(...args: Parameters<PosEventsRepository["deleteEndpoint"]>) {
    return this.repositories.posEvents.deleteEndpoint(...args);
  }
  setEndpointSecret(...args: Parameters<PosEventsRepository["setEndpointSecret"]>) {
    return this.repositories.posEvents.setEndpointSecret(...args);
  }
  fanOut(...args: Parameters<PosEventsRepository["fanOut"]>) {
    return this.repositories.posEvents.fanOut(...args);
  }
  dueDeliveries(...args: Parameters<PosEventsRepository["dueDeliveries"]>) {
    return this.repositories.posEvents.dueDeliveries(...args);
  }
  recordAttempt(...args: Parameters<PosEventsRepository["recordAttempt"]>) {
    return this.repositories.posEvents.recordAttempt(...args);
  }
  retryDelivery(...args: Parameters<PosEventsRepository["retryDelivery"]>) {
    return this.repositories.posEvents.retryDelivery(...args);
  }
  listDeliveries(...args: Parameters<PosEventsRepository["listDeliveries"]>) {
    return this.repositories.posEvents.listDeliveries(...args);
  }
  appendPosEvent(...args: Parameters<PosEventsRepository["appendPosEvent"]>) {
    return this.repositories.posEvents.appendPosEvent(...args);
  }
  listPosEvents(...args: Parameters<PosEventsRepository["listPosEvents"]>) {
    return this.repositories.posEvents.listPosEvents(...args);
  }
  // ClosesRepository
  openCloseInput(...args: Parameters<ClosesRepository["openCloseInput"]>) {
    return this.repositories.closes.openCloseInput(...args);
  }
  closeTerminal(...args: Parameters<ClosesRepository["closeTerminal"]>) {
    return this.repositories.closes.closeTerminal(...args);
  }
  listCloses(...args: Parameters<ClosesRepository["listCloses"]>) {
    return this.repositories.closes.listCloses(...args);
  }
  getClose(...args: Parameters<ClosesRepository["getClose"]>) {
    return this.repositories.closes.getClose(...args);
  }
  lastClosedAt(...args: Parameters<ClosesRepository["lastClosedAt"]>) {
    return this.repositories.closes.lastClosedAt(...args);
  }
}

/**
 * A fresh, migrated store on a private in-memory SQLite database: the real store without a file.
 * Opening it is asynchronous (migrations), so tests `await memoryStore()` before using it. Pass a
 * subclass to stage failures around the real methods: `await memoryStore(StagedStore)`.
 */
export async function memoryStore(): Promise<TestStore>;
export async function memoryStore<T extends TestStore>(Kind: new (connection: StoreConnection) => T): Promise<T>;
export async function memoryStore(
  Kind: new (connection: StoreConnection) => TestStore = TestStore,
): Promise<TestStore> {
  return openMigrated(connectSqlite(":memory:"), Kind);
}

/** The store and the better-sqlite3 handle under it, for tests that check the rows themselves. */
export async function memoryStoreWithDatabase(): Promise<{ store: TestStore; database: Database.Database }> {
  const connection = connectSqlite(":memory:");
  return { store: await openMigrated(connection, TestStore), database: connection.database };
}
