import "server-only";
import { createHash } from "node:crypto";
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
 * Whose ledgers to import: each sales unit (MSN) with the keys that read its ledger (the Report API
 * takes a sales unit's normal keys): one entry per store, with its own keys or the deployment's and
 * its MSN. Read again when a store is saved and every SYNC_EVERY_MS (a store saved on another instance).
 */
export type SettlementCredentialsProvider = () => Promise<{ msn: string; credentials: VippsCredentials }[]>;

/** How often the stores are read again for an MSN or keys another instance saved. */
const SYNC_EVERY_MS = 60_000;

export interface Settlements {
  service: SettlementService;
  /** The importers now running, one per MSN. */
  schedulers(): SettlementScheduler[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Reads whose ledgers to import again: a new MSN gets its importer (under its own lease), one
   * whose keys changed a new one, and an MSN no store has any more loses its importer.
   */
  sync(): Promise<void>;
  /** Runs every import now where its lease is held (the clock moved; tests). */
  soon(): void;
}

/** Which keys read a ledger: a changed key makes a new importer. */
const keysOf = ({ clientId, clientSecret, subscriptionKey }: VippsCredentials) =>
  createHash("sha256")
    .update(JSON.stringify([clientId, clientSecret, subscriptionKey]))
    .digest("hex");

/** The settlement import and reconciliation as the composition root builds them. */
export async function buildSettlements(deps: {
  store: Pick<Repositories, "settlements" | "sales" | "operations" | "stores">;
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
  // Kept-alive node:http connections, as the ePayment client uses; one pool for every MSN.
  const fetchFn = deps.fetch ?? createKeepAliveFetch();
  const running = new Map<string, { scheduler: SettlementScheduler; keys: string }>();
  let started = false;
  let syncTimer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> = Promise.resolve();

  const schedulerFor = (msn: string, keys: VippsCredentials) => {
    const report = createReportClient({
      baseUrl: config.vipps.baseUrl,
      // With the deployment's keys the MSN header names whose ledger is meant.
      credentials: { ...keys, msn },
      system: deps.system,
      clock,
      // The scheduler backs off between runs; one retry covers a dropped connection.
      retry: { attempts: 2 },
      fetch: fetchFn,
      ...(deps.onRequest ? { onRequest: deps.onRequest } : {}),
    });
    const importer = new SettlementImporter({ msn, report, settlements: store.settlements, clock, log });
    const lease = new Lease({ operations: store.operations, log, name: `settlement-import:${msn}` });
    return new SettlementScheduler({ importer, lease, log, intervalMs: config.settlementPollMs });
  };

  const reconcile = async () => {
    const wanted = new Map<string, VippsCredentials>();
    for (const account of await credentials())
      if (!wanted.has(account.msn)) wanted.set(account.msn, account.credentials);
    for (const [msn, { scheduler, keys }] of running) {
      const now = wanted.get(msn);
      if (now && keysOf(now) === keys) continue;
      running.delete(msn);
      await scheduler.stop();
      log.info("The settlement import of a sales unit stopped", { msn, reason: now ? "new keys" : "no store has it" });
    }
    for (const [msn, keys] of wanted) {
      if (running.has(msn)) continue;
      const scheduler = schedulerFor(msn, keys);
      running.set(msn, { scheduler, keys: keysOf(keys) });
      if (started) await scheduler.start();
    }
  };
  // One reading at a time: a store saved while the timer's reading runs waits for it, then reads again.
  const sync = () => {
    if (!config.settlementImport) return Promise.resolve();
    syncing = syncing.then(reconcile, reconcile);
    return syncing;
  };
  await sync();

  const schedulers = () => [...running.values()].map(({ scheduler }) => scheduler);
  const service = new SettlementService({
    settlements: store.settlements,
    sales: store.sales,
    stores: store.stores,
    clock,
    timeZone: deps.timeZone,
    importErrors: () =>
      schedulers().flatMap((scheduler) => (scheduler.error ? [`${scheduler.msn}: ${scheduler.error}`] : [])),
  });
  return {
    service,
    schedulers,
    sync,
    start: async () => {
      started = true;
      for (const scheduler of schedulers()) await scheduler.start();
      if (!config.settlementImport) return;
      syncTimer = setInterval(() => {
        sync().catch((error: unknown) =>
          log.warn("Could not read the stores for the settlement import", { err: error }),
        );
      }, SYNC_EVERY_MS);
      syncTimer.unref();
    },
    stop: async () => {
      clearInterval(syncTimer);
      for (const scheduler of schedulers()) await scheduler.stop();
    },
    soon: () => {
      for (const scheduler of schedulers()) scheduler.soon();
    },
  };
}
