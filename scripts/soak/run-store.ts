/**
 * One soak against one store: the standalone simulator, the app pointed at it (SQLite in its own
 * data dir, or a throwaway PostgreSQL database), several counters selling at once under chaos, then
 * the settle and the invariants.
 */
import { type AppHandle, startApp } from "../../tests/support/app-server";
import { type DisplayWatcher, watchDisplay } from "../../tests/support/display-watcher";
import { createThrowawayDatabase, postgresUnavailable } from "../../tests/support/pg-database";
import { startSimulator } from "../../tests/support/simulator-process";
import { Chaos, type KillKind } from "./chaos";
import { AppGate, PosClient, SimClient, sleep } from "./clients";
import { checkInvariants, countWebhookFaults, settle } from "./invariants";
import { Journal } from "./journal";
import type { Random } from "./random";
import { PosTerminalCheck } from "./pos-terminal";
import { checkSettlement } from "./settlement-invariants";
import { sabotage } from "./sabotage";
import { runCounter, type SaleRecord } from "./sales";

export type StoreKind = "sqlite" | "postgresql";

export interface StoreOptions {
  store: StoreKind;
  sales: number;
  terminals: number;
  /** Sales left pending with a live QR at the end (one per terminal at most). */
  abandoned: number;
  kills: KillKind[];
  loadBudgetMs: number;
  settleBoundMs: number;
  /** How long violations are looked at again before they count. */
  recheckBoundMs: number;
  random: Random;
  /** Move money at Vipps behind the app's back before the checks, which must catch it. */
  sabotage: boolean;
  /** Cleanup to run however the soak ends (the hard timeout included). */
  onCleanup: (cleanup: () => Promise<void>) => void;
}

export interface StoreResult {
  journal: Journal;
  sales: number;
  details: string[];
  seconds: number;
  skipped?: string;
}

export async function runStore(options: StoreOptions): Promise<StoreResult> {
  const started = Date.now();
  const journal = new Journal(options.store);
  const log = (text: string) => console.log(`soak [${options.store}] ${journal.clock(Date.now())} ${text}`);

  let databaseUrl: string | undefined;
  if (options.store === "postgresql") {
    const unavailable = await postgresUnavailable();
    if (unavailable) return { journal, sales: 0, details: [], seconds: 0, skipped: unavailable };
    const database = await createThrowawayDatabase("kassa_soak");
    options.onCleanup(() => database.drop());
    databaseUrl = database.url;
  }
  const simulator = await startSimulator();
  options.onCleanup(() => simulator.stop());
  const app: AppHandle = await startApp({
    env: {
      VIPPS_BASE_URL: simulator.url,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      KASSA_LOG_LEVEL: "error",
      // The soak's POS endpoint listens on loopback.
      KASSA_WEBHOOK_ALLOW_PRIVATE: "on",
      // The ledger is read every 2 s, so the import runs (and is killed) during the load.
      KASSA_SETTLEMENT_POLL_SECONDS: "2",
    },
  });
  options.onCleanup(() => app.stop());
  const health = (await (await fetch(`${app.url}/api/health`)).json()) as { store: string; simulator: boolean };
  if (health.store !== options.store || health.simulator)
    throw new Error(`The app reports store ${health.store}, embedded simulator ${health.simulator}`);
  log(`app on ${app.url} (${health.store}), simulator on ${simulator.url}`);

  const gate = new AppGate();
  const pos = new PosClient(app, gate, journal);
  const sim = new SimClient(simulator);
  const terminals = Array.from({ length: options.terminals }, (_, index) => `pos-${index + 1}`);
  for (const id of terminals.slice(1)) {
    const reply = await pos.call("POST", "/api/v1/terminals", { json: { id, name: `Counter ${id}` } });
    if (reply.status !== 201) throw new Error(`Adding terminal ${id} answered ${reply.status}`);
  }
  await pos.call("PATCH", "/api/v1/settings", { json: { autoCapture: true } });
  const posTerminal = await PosTerminalCheck.start(pos, journal);
  options.onCleanup(() => posTerminal.stop());

  const watchers = new Map<string, DisplayWatcher>();
  const openWatchers = async () => {
    for (const id of terminals) {
      watchers.get(id)?.close();
      watchers.set(id, await watchDisplay(app, id));
    }
  };
  options.onCleanup(async () => {
    for (const watcher of watchers.values()) watcher.close();
  });
  await openWatchers();

  const chaos = new Chaos({
    app,
    gate,
    pos,
    sim,
    journal,
    random: options.random.fork(),
    restarted: openWatchers,
    loadOver: () => loadOver,
  });
  const records = new Map<string, SaleRecord>();
  let taken = 0;
  let finished = 0;
  const stopAt = Date.now() + options.loadBudgetMs;
  const counterDeps = {
    pos,
    sim,
    journal,
    records,
    takeSaleNumber: () => (taken < options.sales ? taken++ : undefined),
    abandonFrom: options.sales - options.abandoned,
    approved: (sale: Parameters<Chaos["approved"]>[0]) => chaos.approved(sale),
    finished: () => void finished++,
    stopAt,
  };

  log(`load: ${options.sales} sales on ${terminals.length} terminals, kills planned: ${options.kills.join(", ")}`);
  const faultLoop = chaos.faultLoop();
  // The kills, spread over the run by progress: one after each share of the sales. Aimed kills
  // need sales in flight, so once the counters are done the rest are not made (and said so).
  let loadOver = false;
  const killer = (async () => {
    const selling = options.sales - options.abandoned;
    for (const [index, kind] of options.kills.entries()) {
      const threshold = Math.floor(((index + 1) * selling) / (options.kills.length + 1));
      while (finished < threshold && !loadOver) await sleep(200);
      if (loadOver) {
        journal.note(`kill ${kind} not made: the load was over`);
        journal.events.add("kill: not made, the load was over");
        continue;
      }
      log(`kill ${index + 1}/${options.kills.length} (${kind}) after ${finished} sales`);
      await chaos.kill(kind);
    }
  })();
  const counters = terminals.map((id) => runCounter(id, options.random.fork(), counterDeps));
  const closer = posTerminal.closeDuringLoad(terminals, options.random.fork(), () => loadOver);
  const progress = setInterval(
    () => log(`${finished}/${options.sales} sales done, ${journal.restarts} restarts`),
    15_000,
  );
  await Promise.all(counters);
  loadOver = true;
  clearInterval(progress);
  if (Date.now() >= stopAt) {
    journal.note(`load stopped by its time budget after ${finished} sales`);
    log(
      `WARNING: the load stopped at its time budget (${options.loadBudgetMs / 1000}s) after ${finished} of ${options.sales} sales`,
    );
  }
  await killer;
  await closer;
  chaos.stop();
  await faultLoop;
  await chaos.clearFaults();
  await chaos.ensureAutoCapture(true);
  log(`load done: ${finished} sales; settling (faults off)`);

  const context = { pos, sim, journal, records, terminals, watchers };
  await settle(context, options.settleBoundMs);
  if (options.sabotage) await sabotage(pos, sim, journal, records);
  // Background work may still be finishing what the settle could not see (a payment found after a
  // lost create answer, cancelled on the reconciler's next poll): a violation counts only if it is
  // still there when looked at again, up to recheckBoundMs after the first look.
  const fromLoad = journal.violations.length;
  const loadSuspects = new Set(journal.suspects);
  const recheckUntil = Date.now() + options.recheckBoundMs;
  let checked = await checkInvariants(context);
  while (journal.violations.length > fromLoad && Date.now() < recheckUntil) {
    log(`${journal.violations.length - fromLoad} violation(s) found; looking again in 5s (only lasting ones count)`);
    await sleep(5000);
    journal.forgetViolationsAfter(fromLoad, loadSuspects);
    checked = await checkInvariants(context);
  }
  await posTerminal.check(context);
  await checkSettlement(context, 90_000);
  await countWebhookFaults(sim, journal);
  const seconds = (Date.now() - started) / 1000;
  log(`checked ${checked.sales} sales in ${seconds.toFixed(0)}s`);
  return { journal, sales: checked.sales, details: checked.details, seconds };
}
