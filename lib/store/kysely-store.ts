import "server-only";
import type { Kysely } from "kysely";
import { KyselyApiKeysRepository } from "./api-keys-repository";
import { KyselyAuditRepository } from "./audit-repository";
import { KyselyCatalogueRepository } from "./catalogue-repository";
import { KyselyClosesRepository } from "./closes-repository";
import type { StoreConnection } from "./connect";
import { KyselyCountersRepository } from "./counters-repository";
import { KyselyOperationsRepository } from "./operations-repository";
import { KyselyPosEventsRepository } from "./pos-events-repository";
import { KyselySalesRepository } from "./sales-repository";
import type { Database } from "./schema";
import { KyselySessionsRepository } from "./sessions-repository";
import { KyselySettingsRepository } from "./settings-repository";
import { KyselySettlementsRepository } from "./settlements-repository";
import { KyselyStoresRepository } from "./stores-repository";
import { KyselyStaffRepository } from "./staff-repository";
import type { Store } from "./store";

/**
 * The repositories of one database on Kysely (SQLite or PostgreSQL), sharing its connection. Open
 * it with openStore (index.ts), which migrates.
 */
export class KyselyStore implements Store {
  private readonly db: Kysely<Database>;
  readonly settings: KyselySettingsRepository;
  readonly catalogue: KyselyCatalogueRepository;
  readonly sales: KyselySalesRepository;
  readonly counters: KyselyCountersRepository;
  readonly operations: KyselyOperationsRepository;
  readonly posEvents: KyselyPosEventsRepository;
  readonly closes: KyselyClosesRepository;
  readonly settlements: KyselySettlementsRepository;
  readonly stores: KyselyStoresRepository;
  readonly staff: KyselyStaffRepository;
  readonly sessions: KyselySessionsRepository;
  readonly apiKeys: KyselyApiKeysRepository;
  readonly audit: KyselyAuditRepository;

  constructor(connection: StoreConnection) {
    this.db = connection.db;
    this.settings = new KyselySettingsRepository(connection);
    this.catalogue = new KyselyCatalogueRepository(connection);
    this.sales = new KyselySalesRepository(connection);
    this.counters = new KyselyCountersRepository(connection);
    this.operations = new KyselyOperationsRepository(connection);
    this.posEvents = new KyselyPosEventsRepository(connection);
    this.closes = new KyselyClosesRepository(connection);
    this.settlements = new KyselySettlementsRepository(connection);
    this.stores = new KyselyStoresRepository(connection);
    this.staff = new KyselyStaffRepository(connection);
    this.sessions = new KyselySessionsRepository(connection);
    this.apiKeys = new KyselyApiKeysRepository(connection);
    this.audit = new KyselyAuditRepository(connection);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
