/**
 * `npm run soak`: a chaos soak of the whole till. For each store (SQLite, then PostgreSQL) it starts
 * the standalone Vipps simulator and the app (loopback only), runs randomised sales on several
 * terminals at once while faults are switched on at random (Vipps API calls delayed, failing with
 * 5xx or 429, timing out, answers lost; webhooks dropped, duplicated, delayed, reordered), cashier
 * cancels race approvals, partial refunds race each other, and the app is killed with SIGKILL and
 * restarted, also mid-create and mid-capture. Then it lets everything settle and checks:
 *   every sale final or legitimately pending (a live QR); the app's captured and refunded amounts
 *   equal Vipps' aggregates; nothing captured twice; refunds ≤ captured; nothing left authorized or
 *   open at Vipps and forgotten; every display showing its terminal's last sale.
 * It prints one line per violation, a line per store, and last:
 *   soak: N sales, M faults, K restarts, V violations
 * and exits 1 when V > 0 (2 when it could not run, or ran out of time).
 *
 * Environment: SOAK_SALES (per store, default 110), SOAK_TERMINALS (7), SOAK_STORES
 * ("sqlite,postgresql"), SOAK_SEED (random; printed, replays the choices though not the timing),
 * SOAK_TIMEOUT_S (hard limit for the whole run, default 480), SOAK_VERBOSE=1 (every fault change in
 * the printed timeline, not only when something broke), SOAK_SABOTAGE=1 (checks the checks:
 * moves money at Vipps behind the app's back before checking; the run must then fail). PostgreSQL is the server of
 * tests/support/pg-database.ts (TEST_DATABASE_URL or 127.0.0.1:5432).
 */
import type { KillKind } from "./soak/chaos";
import { Counter } from "./soak/journal";
import { createRandom } from "./soak/random";
import { runStore, type StoreKind, type StoreResult } from "./soak/run-store";

const SALES = Number(process.env.SOAK_SALES ?? 110);
const TERMINALS = Number(process.env.SOAK_TERMINALS ?? 7);
const STORES = (process.env.SOAK_STORES ?? "sqlite,postgresql").split(",").map((store) => store.trim()) as StoreKind[];
const SEED = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const TIMEOUT_S = Number(process.env.SOAK_TIMEOUT_S ?? 480);

const cleanups: (() => Promise<void>)[] = [];

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await Promise.race([
      cleanup().catch((error) => console.error(`soak: cleanup failed: ${String(error)}`)),
      new Promise((resolve) => setTimeout(resolve, 15_000)),
    ]);
  }
}

function summary(sales: number, faults: number, restarts: number, violations: number): string {
  return `${sales} sales, ${faults} faults, ${restarts} restarts, ${violations} violations`;
}

async function main(): Promise<number> {
  for (const store of STORES)
    if (store !== "sqlite" && store !== "postgresql") throw new Error(`SOAK_STORES: unknown store ${store}`);
  const started = Date.now();
  const random = createRandom(SEED);
  console.log(
    `soak: seed ${SEED}, ${SALES} sales per store on ${TERMINALS} terminals, stores ${STORES.join(", ")}, hard limit ${TIMEOUT_S}s`,
  );
  const results: StoreResult[] = [];
  for (const store of STORES) {
    // Five kills per store in random order: at a create, a capture, a cancel and a refund in flight, and
    // one anywhere. Whether the create and the capture are held or answered-and-lost alternates
    // between the stores, so that a run covers both ways of both.
    const first = results.length % 2 === 0;
    const kills = random.shuffle<KillKind>([
      first ? "mid-create/held" : "mid-create/answer-lost",
      first ? "mid-capture/answer-lost" : "mid-capture/held",
      "mid-cancel/answer-lost",
      "mid-refund/answer-lost",
      "at-random",
    ]);
    const result = await runStore({
      store,
      sales: SALES,
      terminals: TERMINALS,
      abandoned: Math.min(3, TERMINALS - 1),
      kills,
      loadBudgetMs: 180_000,
      settleBoundMs: 75_000,
      recheckBoundMs: 40_000,
      random: random.fork(),
      sabotage: process.env.SOAK_SABOTAGE === "1",
      onCleanup: (cleanup) => cleanups.push(cleanup),
    });
    results.push(result);
    await cleanUp();
    const { journal } = result;
    if (result.skipped) {
      console.log(`soak (${store}): skipped: ${result.skipped}`);
      continue;
    }
    for (const line of journal.violations) console.log(line);
    for (const line of result.details.slice(0, 400)) console.log(line);
    console.log(`soak (${store}) faults switched on: ${journal.faults.format()}`);
    console.log(`soak (${store}) exercised: ${journal.events.format()}`);
    // The whole timeline when something broke (or SOAK_VERBOSE=1), otherwise the kills and restarts.
    const full = journal.violations.length > 0 || process.env.SOAK_VERBOSE === "1";
    const timeline = journal.timeline.filter((entry) => full || !entry.text.startsWith("faults"));
    console.log(`soak (${store}) timeline${full ? "" : " (fault changes left out; SOAK_VERBOSE=1 shows them)"}:`);
    for (const entry of timeline) console.log(`  ${journal.clock(entry.at)} ${entry.text}`);
  }

  const faults = new Counter();
  let sales = 0;
  let restarts = 0;
  let violations = 0;
  for (const result of results) {
    faults.merge(result.journal.faults);
    sales += result.sales;
    restarts += result.journal.restarts;
    violations += result.journal.violations.length;
  }
  const skipped = results.filter((result) => result.skipped);
  if (skipped.length > 0) {
    console.log(
      `soak: not run with ${skipped.map((result) => result.journal.store).join(", ")}; that is a failure, not a pass (set SOAK_STORES to choose the stores)`,
    );
  }
  for (const result of results) {
    if (result.skipped) continue;
    const { journal } = result;
    console.log(
      `soak (${journal.store}, ${result.seconds.toFixed(0)}s): ${summary(result.sales, journal.faults.total(), journal.restarts, journal.violations.length)}`,
    );
  }
  console.log(`soak: took ${((Date.now() - started) / 1000).toFixed(0)}s`);
  console.log(`soak: ${summary(sales, faults.total(), restarts, violations)}`);
  return violations > 0 ? 1 : skipped.length > 0 ? 2 : 0;
}

const hardLimit = setTimeout(() => {
  console.error(`soak: FAILED: still running after the hard limit of ${TIMEOUT_S}s; stopping everything`);
  void cleanUp().finally(() => process.exit(2));
}, TIMEOUT_S * 1000);
hardLimit.unref();

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`soak: ${signal}: stopping everything`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main()
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  })
  .catch(async (error) => {
    console.error(`soak: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await cleanUp();
    process.exit(2);
  });
