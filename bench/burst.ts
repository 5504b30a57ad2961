/**
 * A burst at the counters, printed, not asserted: T terminals each hold a display stream, each
 * starts one sale, the customers look at the QR for a while (BENCH_DWELL_MS, default 8 s), then
 * every sale is approved at the simulator at the same moment. Per T (10, 30, 100), on SQLite and
 * on PostgreSQL side by side:
 *  - approval → "paid" on each terminal's stream: p50, p95, max (target at T=100: p95 ≤ 300 ms),
 *  - the app server's CPU per completed sale, create to capture, the idle background (reconciler
 *    ticks, leases, heartbeats, measured before the burst) taken out (target ≤ 5 ms),
 *  - GET payment calls (polls) per sale, counted at the simulator.
 * The simulator runs as its own process (the standalone one), as Vipps would.
 *
 *   npm run bench:burst
 *   npm run bench:burst -- --terminals=100 --stores=sqlite     choose what to run
 *   npm run bench:burst -- --profile                           the T=100 burst under V8's CPU profiler
 *   npm run bench:burst -- --streams=1000                      open display streams: RSS and idle CPU
 *   npm run bench:burst -- --against=26e6728                   the same on that commit first, then here
 *   npm run bench:burst -- --pos-endpoint                      with one POS webhook endpoint receiving every event
 *
 * --against=REV builds REV in a temporary git worktree (bench/support/other-commit.ts), runs its
 * own copy of this benchmark with the same options and prints its table, then measures this
 * checkout: before and after, from one machine in one sitting.
 *
 * --profile loads bench/support/cpu-profile-preload.cjs into the app server, profiles from the
 * first sale to the last "paid", writes the .cpuprofile to a temp dir with window.json (the
 * monotonic times of the approvals and of the last "paid") and prints the ten heaviest functions
 * of each window (bench/support/cpuprofile-top.ts).
 * Needs a production build (made when missing) and, for PostgreSQL, a server on 127.0.0.1:5432.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { postgresUnavailable } from "../tests/support/pg-database";
import { printTopFunctions } from "./support/cpuprofile-top";
import { benchmarkOnCommit } from "./support/other-commit";
import { cpuMs, monotonicUs, rssMb } from "./support/proc";
import {
  getPaymentCount,
  LINE,
  openStreams,
  type Setup,
  type Store,
  setUp,
  sleep,
  terminalId,
  warmUp,
} from "./support/burst-setup";

const option = (name: string) =>
  process.argv.find((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`))?.split("=")[1];
const flag = (name: string) => process.argv.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));

const PROFILE = flag("profile");
const AGAINST = option("against");
const STREAMS = flag("streams") ? Number(option("streams") ?? 1000) : 0;
/** --pos-endpoint: one POS webhook endpoint registered, so every sale's events are delivered (issue 19's cost). */
const POS_ENDPOINT = flag("pos-endpoint");
const SIZES = (option("terminals") ?? (PROFILE ? "100" : "10,30,100")).split(",").map(Number);
const STORES = (option("stores") ?? (PROFILE || STREAMS ? "sqlite" : "sqlite,postgresql")).split(",") as Store[];
const DWELL_MS = Number(process.env.BENCH_DWELL_MS ?? 8000);
const IDLE_SAMPLE_MS = 3000;
const STREAM_IDLE_MS = Number(process.env.BENCH_STREAM_IDLE_MS ?? 30_000);

interface BurstResult {
  terminals: number;
  p50: number;
  p95: number;
  max: number;
  cpuMsPerSale: number;
  rawCpuMsPerSale: number;
  pollsPerSale: number;
  /** From the first approval to the last "paid": wall time and each process's CPU in it. */
  window: { wallMs: number; appCpuMs: number; simulatorCpuMs: number; benchCpuMs: number };
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? Number.NaN;

interface Marks {
  start?: number;
  approve?: number;
  paid?: number;
  /** Called as the first sale is made and 1.5 s after the last one is paid: starts and stops the profiler. */
  toggleProfiler?: () => void;
}

/** One sale per terminal, approved at once; `marks` notes when for a profile. */
async function burst(
  { app, simulator, serverPid, simulatorPid }: Setup,
  terminals: number,
  marks?: Marks,
): Promise<BurstResult> {
  // On two cores the app shares the machine with the simulator (Vipps) and this benchmark's own
  // streams: the window's CPU per process tells a busy app from one waiting for the others.
  const benchCpuMs = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const watchers = await openStreams(app, terminals);
  try {
    // The background alone (reconciler ticks, leases, heartbeats) with these streams open.
    const idleStart = cpuMs(serverPid);
    const idleStartedAt = performance.now();
    await sleep(IDLE_SAMPLE_MS);
    const idlePerMs = (cpuMs(serverPid) - idleStart) / (performance.now() - idleStartedAt);

    const cpuBefore = cpuMs(serverPid);
    const pollsBefore = await getPaymentCount(simulator);
    const startedAt = performance.now();
    marks?.toggleProfiler?.();
    if (marks) marks.start = monotonicUs();
    const sales = await Promise.all(
      Array.from({ length: terminals }, async (_, i) => {
        const response = await app.api("/api/v1/sales", {
          method: "POST",
          json: { ...LINE, terminalId: terminalId(i + 1) },
        });
        if (response.status !== 201)
          throw new Error(
            `Creating a sale on ${terminalId(i + 1)} answered ${response.status}: ${await response.text()}`,
          );
        return (await response.json()) as { id: string; reference: string };
      }),
    );
    await Promise.all(sales.map((sale, i) => watchers[i]!.waitFor("pending", sale.id, 30_000)));
    await sleep(Math.max(0, startedAt + DWELL_MS - performance.now()));

    // Every approval leaves at once; each sale's latency counts from its own request's start.
    if (marks) marks.approve = monotonicUs();
    const windowStart = {
      wall: performance.now(),
      app: cpuMs(serverPid),
      simulator: cpuMs(simulatorPid),
      bench: benchCpuMs(),
    };
    const approvedAt: number[] = [];
    const paid = sales.map((sale, i) => watchers[i]!.waitFor("paid", sale.id, 60_000));
    await Promise.all(
      sales.map(async (sale, i) => {
        approvedAt[i] = performance.now();
        const response = await simulator.control(`/payments/${sale.reference}/approve`, { method: "POST" });
        if (response.status !== 200) throw new Error(`Approving ${sale.reference} answered ${response.status}`);
      }),
    );
    const latencies = (await Promise.all(paid)).map((at, i) => at - approvedAt[i]!);
    if (marks) marks.paid = monotonicUs();
    const window = {
      wallMs: performance.now() - windowStart.wall,
      appCpuMs: cpuMs(serverPid) - windowStart.app,
      simulatorCpuMs: cpuMs(simulatorPid) - windowStart.simulator,
      benchCpuMs: benchCpuMs() - windowStart.bench,
    };
    // The CAPTURED webhooks that follow each capture belong to the sale's cost too.
    await sleep(1500);
    marks?.toggleProfiler?.();
    const elapsed = performance.now() - startedAt;
    const cpu = cpuMs(serverPid) - cpuBefore;
    const polls = (await getPaymentCount(simulator)) - pollsBefore;
    return {
      terminals,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: Math.max(...latencies),
      rawCpuMsPerSale: cpu / terminals,
      cpuMsPerSale: Math.max(0, cpu - idlePerMs * elapsed) / terminals,
      pollsPerSale: polls / terminals,
      window,
    };
  } finally {
    for (const watcher of watchers) watcher.close();
  }
}

async function runStore(store: Store): Promise<BurstResult[]> {
  const setup = await setUp(store, Math.max(...SIZES), {}, {}, { posEndpoint: POS_ENDPOINT });
  try {
    await warmUp(setup);
    const results: BurstResult[] = [];
    for (const terminals of SIZES) {
      results.push(await burst(setup, terminals));
      console.error(`[burst] ${store} T=${terminals} done`);
    }
    return results;
  } finally {
    await setup.stop();
  }
}

async function profileBurst(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kassa-burst-profile-"));
  const terminals = Math.max(...SIZES);
  const preload = path.join(__dirname, "support", "cpu-profile-preload.cjs");
  const profiled = { NODE_OPTIONS: `--require ${preload}`, KASSA_CPU_PROFILE_DIR: dir };
  // The simulator is profiled too: on two cores its work delays the app's.
  const setup = await setUp(STORES[0]!, terminals, profiled, profiled);
  const { simulatorPid } = setup;
  const marks: Marks = {
    toggleProfiler: () => {
      process.kill(setup.serverPid, "SIGUSR2");
      process.kill(simulatorPid, "SIGUSR2");
    },
  };
  const profile = `server.${setup.serverPid}.1.cpuprofile`;
  const simulatorProfile = `server.${simulatorPid}.1.cpuprofile`;
  let result: BurstResult;
  try {
    await warmUp(setup);
    result = await burst(setup, terminals, marks);
    for (
      let waited = 0;
      !(existsSync(path.join(dir, profile)) && existsSync(path.join(dir, simulatorProfile))) && waited < 10_000;
      waited += 100
    )
      await sleep(100);
  } finally {
    await setup.stop();
  }
  if (!existsSync(path.join(dir, profile)))
    throw new Error(`No profile of the server (pid ${setup.serverPid}) in ${dir}`);
  const window = {
    burst: { fromUs: marks.approve!, toUs: marks.paid! },
    sales: { fromUs: marks.start!, toUs: Number.MAX_SAFE_INTEGER },
  };
  writeFileSync(path.join(dir, "window.json"), JSON.stringify(window, null, 2));
  console.log(
    `${STORES[0]}, T=${terminals}: approval → paid p50 ${result.p50.toFixed(0)} / p95 ${result.p95.toFixed(0)} / max ${result.max.toFixed(0)} ms`,
  );
  console.log(`profile: ${path.join(dir, profile)} (windows in ${path.join(dir, "window.json")})`);
  console.log("\napproval → last paid:");
  printTopFunctions(path.join(dir, profile), window.burst);
  console.log("\nfirst sale created → 1.5 s after the last paid (dwell included):");
  printTopFunctions(path.join(dir, profile), window.sales);
  console.log("\nthe same by package:");
  printTopFunctions(path.join(dir, profile), window.sales, 12, true);
  if (existsSync(path.join(dir, simulatorProfile))) {
    console.log(`\nthe simulator, approval → last paid (${path.join(dir, simulatorProfile)}):`);
    printTopFunctions(path.join(dir, simulatorProfile), window.burst);
    console.log("\nthe same by package:");
    printTopFunctions(path.join(dir, simulatorProfile), window.burst, 12, true);
  }
}

async function streamsAtRest(): Promise<void> {
  const setup = await setUp(STORES[0]!, STREAMS);
  /** Per cent of one core the server used over `ms`. */
  const cpuPercentOver = async (ms: number) => {
    const cpuBefore = cpuMs(setup.serverPid);
    const startedAt = performance.now();
    await sleep(ms);
    return (cpuMs(setup.serverPid) - cpuBefore) / 10 / ((performance.now() - startedAt) / 1000);
  };
  try {
    const rssBefore = rssMb(setup.serverPid);
    const background = await cpuPercentOver(STREAM_IDLE_MS / 2);
    const watchers = await openStreams(setup.app, STREAMS);
    try {
      // Every stream has had its first state; let the allocations settle before measuring.
      await sleep(3000);
      const rssOpen = rssMb(setup.serverPid);
      const atRest = await cpuPercentOver(STREAM_IDLE_MS);
      const seconds = STREAM_IDLE_MS / 1000;
      console.log(`${STREAMS} display streams (one per terminal) on one instance, ${STORES[0]}:`);
      console.log(
        `  RSS: ${rssBefore.toFixed(0)} MB before, ${rssOpen.toFixed(0)} MB with the streams open, ${rssMb(setup.serverPid).toFixed(0)} MB after ${seconds.toFixed(0)} s`,
      );
      console.log(
        `  CPU at rest: ${background.toFixed(2)} % of one core without streams, ${atRest.toFixed(2)} % with them over ${seconds.toFixed(0)} s (a heartbeat per stream every 15 s): heartbeats ${(atRest - background).toFixed(2)} %`,
      );
    } finally {
      for (const watcher of watchers) watcher.close();
    }
  } finally {
    await setup.stop();
  }
}

function printTable(results: Map<Store, BurstResult[]>): void {
  const stores = [...results.keys()];
  const cell = (store: Store, index: number, render: (r: BurstResult) => string) => {
    const result = results.get(store)?.[index];
    return result ? render(result) : "–";
  };
  const header = [
    "T",
    ...stores.map((s) => `${s} p50/p95/max ms`),
    ...stores.map((s) => `${s} CPU ms/sale`),
    ...stores.map((s) => `${s} polls/sale`),
  ];
  console.log(
    `\nBurst: approval → paid on each stream (dwell ${DWELL_MS} ms before approval); CPU without the idle background (raw in brackets)`,
  );
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  SIZES.forEach((terminals, index) => {
    const row = [
      String(terminals),
      ...stores.map((s) => cell(s, index, (r) => `${r.p50.toFixed(0)} / ${r.p95.toFixed(0)} / ${r.max.toFixed(0)}`)),
      ...stores.map((s) => cell(s, index, (r) => `${r.cpuMsPerSale.toFixed(1)} (${r.rawCpuMsPerSale.toFixed(1)})`)),
      ...stores.map((s) => cell(s, index, (r) => r.pollsPerSale.toFixed(1))),
    ];
    console.log(`| ${row.join(" | ")} |`);
  });
  console.log(
    "\nFirst approval → last paid: wall time, and CPU in it of the app, the simulator and this benchmark (2 cores: 2 ms of CPU per ms of wall at most)",
  );
  console.log("| store | T | wall ms | app CPU ms | simulator CPU ms | benchmark CPU ms |");
  console.log("|---|---|---|---|---|---|");
  for (const store of stores) {
    for (const result of results.get(store) ?? []) {
      const { wallMs, appCpuMs, simulatorCpuMs, benchCpuMs } = result.window;
      console.log(
        `| ${store} | ${result.terminals} | ${wallMs.toFixed(0)} | ${appCpuMs.toFixed(0)} | ${simulatorCpuMs.toFixed(0)} | ${benchCpuMs.toFixed(0)} |`,
      );
    }
  }
}

async function main(): Promise<void> {
  console.log(
    `load before: ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(" ")} (${os.cpus().length} cores)`,
  );
  if (STORES.includes("postgresql")) {
    const unavailable = await postgresUnavailable();
    if (unavailable) {
      console.log(`PostgreSQL skipped: ${unavailable}`);
      STORES.splice(STORES.indexOf("postgresql"), 1);
    }
  }
  if (AGAINST) {
    const args = process.argv.slice(2).filter((arg) => !arg.startsWith("--against"));
    const before = benchmarkOnCommit(AGAINST, "bench/burst.ts", args);
    console.log(`\nBefore: ${AGAINST}`);
    console.log(
      before
        .split("\n")
        .filter(
          (line) =>
            line.startsWith("|") ||
            line.startsWith("Burst:") ||
            line.includes(" display streams") ||
            line.startsWith("  "),
        )
        .join("\n"),
    );
    console.log("\nAfter: this checkout");
  }
  if (PROFILE) await profileBurst();
  else if (STREAMS) await streamsAtRest();
  else {
    const results = new Map<Store, BurstResult[]>();
    for (const store of STORES) results.set(store, await runStore(store));
    printTable(results);
  }
  console.log(
    `load after: ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(" ")}`,
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
