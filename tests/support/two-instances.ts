/**
 * Two app instances on one throwaway PostgreSQL database with the standalone simulator, as two
 * servers behind one load balancer: both answer at the first one's address (PUBLIC_URL), so the
 * simulator's webhooks go there. The first starts first and so takes the background leases.
 *
 *   const pair = twoInstances(test, { database: "kassa_multi" });
 *   test("…", async () => { await pair.first.api(…); await pair.simulator.control(…); });
 *
 * Registers the file's beforeAll (skipping its tests when PostgreSQL is not reachable) and afterAll.
 */
import type { TestType } from "@playwright/test";
import { type AppHandle, startApp } from "./app-server";
import { createThrowawayDatabase, postgresUnavailable, type ThrowawayDatabase } from "./pg-database";
import { type SimulatorHandle, startSimulator } from "./simulator-process";

export interface TwoInstances {
  database: ThrowawayDatabase;
  simulator: SimulatorHandle;
  first: AppHandle;
  second: AppHandle;
}

export interface TwoInstancesOptions {
  /** The throwaway database's name prefix. */
  database: string;
  /** Added to both instances' environment. */
  env?: Record<string, string>;
  /** The beforeAll's time budget (default: the test's). */
  startTimeoutMs?: number;
}

export function twoInstances(test: TestType<any, any>, options: TwoInstancesOptions): TwoInstances {
  const pair = {} as Partial<TwoInstances>;

  test.beforeAll(async () => {
    if (options.startTimeoutMs !== undefined) test.setTimeout(options.startTimeoutMs);
    const unavailable = await postgresUnavailable();
    test.skip(unavailable !== undefined, unavailable);
    pair.database = await createThrowawayDatabase(options.database);
    pair.simulator = await startSimulator();
    const shared = { DATABASE_URL: pair.database.url, VIPPS_BASE_URL: pair.simulator.url, ...options.env };
    pair.first = await startApp({ env: shared, checkAnswersAgainstDocument: true });
    pair.second = await startApp({ env: { ...shared, PUBLIC_URL: pair.first.url }, checkAnswersAgainstDocument: true });
  });

  test.afterAll(async () => {
    await pair.second?.stop();
    await pair.first?.stop();
    await pair.simulator?.stop();
    await pair.database?.drop();
  });

  return pair as TwoInstances;
}
