import "server-only";
import { Lease } from "@/lib/background/lease";
import type { Clock } from "@/lib/clock";
import type { AppConfig } from "@/lib/config";
import { createKeepAliveFetch } from "@/lib/transport/keep-alive-fetch";
import type { Logger } from "@/lib/log";
import type { Repositories } from "@/lib/store/repositories";
import type { VippsCredentials, VippsRequestHook, VippsSystemInfo } from "@/lib/vipps/access-token";
import { createReportClient } from "@/lib/vipps/report-client";
import { SettlementImporter } from "./settlement-importer";
import { SettlementScheduler } from "./settlement-scheduler";
import { SettlementService } from "./settlement-service";

export type { SettlementService };

/**
 * Whose ledgers to import: each sales unit (MSN) with the keys that read its ledger. Today the
 * deployment's one MSN and its ePayment keys (the Report API takes a sales unit's normal keys);
 * with stores, one entry per store's MSN.
 */
export type SettlementCredentialsProvider = () => Promise<{ msn: string; credentials: VippsCredentials }[]>;

export interface Settlements {
  service: SettlementService;
  schedulers: SettlementScheduler[];
  start(): Promise<void>;
  /** Runs every import now where its lease is held (the clock moved; tests). */
  soon(): void;
}

/** The settlement import and reconciliation as the composition root builds them. */
export async function buildSettlements(deps: {
  store: Pick<Repositories, "settlements" | "sales" | "operations">;
  config: Pick<AppConfig, "vipps" | "settlementImport" | "settlementPollMs">;
  /** Whose ledgers; by default the deployment's one MSN with its ePayment keys. */
  credentials?: SettlementCredentialsProvider;
  system: Partial<VippsSystemInfo>;
  fetch?: typeof fetch;
  onRequest?: VippsRequestHook;
  clock: Clock;
  log: Logger;
  timeZone: () => Promise<string>;
}): Promise<Settlements> {
  const { store, clock, log, config } = deps;
  const credentials: SettlementCredentialsProvider =
    deps.credentials ?? (async () => [{ msn: config.vipps.msn, credentials: config.vipps }]);
  const accounts = config.settlementImport ? await credentials() : [];
  const schedulers = accounts.map(({ msn, credentials }) => {
    const report = createReportClient({
      baseUrl: config.vipps.baseUrl,
      credentials,
      system: deps.system,
      clock,
      // The scheduler backs off between runs; one retry covers a dropped connection.
      retry: { attempts: 2 },
      // Kept-alive node:http connections, as the ePayment client uses.
      fetch: deps.fetch ?? createKeepAliveFetch(),
      ...(deps.onRequest ? { onRequest: deps.onRequest } : {}),
    });
    const importer = new SettlementImporter({ msn, report, settlements: store.settlements, clock, log });
    const lease = new Lease({ operations: store.operations, log, name: `settlement-import:${msn}` });
    return new SettlementScheduler({ importer, lease, log, intervalMs: config.settlementPollMs });
  });
  const service = new SettlementService({
    settlements: store.settlements,
    sales: store.sales,
    clock,
    timeZone: deps.timeZone,
    importErrors: () =>
      schedulers.flatMap((scheduler) => (scheduler.error ? [`${scheduler.msn}: ${scheduler.error}`] : [])),
  });
  return {
    service,
    schedulers,
    start: async () => {
      for (const scheduler of schedulers) await scheduler.start();
    },
    soon: () => {
      for (const scheduler of schedulers) scheduler.soon();
    },
  };
}
