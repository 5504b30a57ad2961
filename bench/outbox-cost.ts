/**
 * What the store and the POS events cost a sale, in-process, printed, not asserted: 10 lanes (one
 * terminal each) each run BENCH_SALES_PER_LANE (default 40) sale lives one after the other (the
 * sale inserted, its QR made, authorized, captured) through the sales repository as the app wires
 * it: with the POS events' services (the hook that rings after each commit, the lease and the
 * webhook dispatcher started) and no webhook endpoint, the case of most shops. Prints the process's
 * CPU ms per sale, its idle background (lease, dispatcher ticks) taken out, on SQLite (a file) and,
 * when it answers, PostgreSQL (a throwaway database).
 *
 *   npx tsx --conditions=react-server bench/outbox-cost.ts
 *
 * The burst benchmark's CPU per sale (bench/burst.ts) is ten times this, and on the shared machine
 * it wanders by more than the outbox's whole share; this isolates that share. It loads the code of
 * the checkout it is run from (the current directory), so the same file measures another commit:
 *
 *   git worktree add /tmp/before 200505d && cp -al node_modules /tmp/before/
 *   (cd /tmp/before && npx tsx --conditions=react-server "$OLDPWD/bench/outbox-cost.ts")
 *
 * A commit without the POS events (before 28d72cf) runs the sales repository alone.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PaymentAttempt, Sale } from "../lib/entities/sale";
import type * as PosEventServicesModule from "../lib/pos-events/pos-event-services";
import type * as StoreModule from "../lib/store/index";
import type { SalesRepository } from "../lib/store/repositories";

const root = process.cwd();
const LANES = 10;
const PER_LANE = Number(process.env.BENCH_SALES_PER_LANE ?? 40);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

function saleLife(id: string, terminalId: string, at: string): { sale: Sale; attempt: PaymentAttempt } {
  const attemptId = `${id}-a1`;
  const amount = 4990;
  return {
    sale: {
      id,
      terminalId,
      receiptNumber: id,
      currency: "NOK",
      amount,
      description: "Kaffe",
      lines: [
        { id: "l1", name: "Kaffe", quantity: 1, unitPrice: amount, taxRate: 2500, totalAmount: amount, taxAmount: 998 },
      ],
      state: "pending",
      autoCapture: true,
      capturedAmount: 0,
      refundedAmount: 0,
      currentAttemptId: attemptId,
      attemptCount: 1,
      receiptId: `receipt-${id}`,
      createdAt: at,
      updatedAt: at,
    } as Sale,
    attempt: {
      id: attemptId,
      saleId: id,
      reference: `ref-${attemptId}`,
      state: "CREATING",
      createdAt: at,
      expiresAt: new Date(Date.parse(at) + 300_000).toISOString(),
      nextPollAt: new Date(Date.parse(at) + 5_000).toISOString(),
      pollCount: 0,
    },
  };
}

async function measure(kind: "sqlite" | "postgresql"): Promise<string> {
  const load = <T>(file: string) => import(path.join(root, file)) as Promise<T>;
  const { openSqliteStore, openPostgresStore } = await load<typeof StoreModule>("lib/store/index.ts");
  const { SaleViews } = await load<typeof import("../lib/sales/sale-views")>("lib/sales/sale-views.ts");
  const { AdjustableClock } = await load<typeof import("../lib/clock")>("lib/clock.ts");
  const { createLogger } = await load<typeof import("../lib/log")>("lib/log.ts");
  let database: { url: string; drop(): Promise<void> } | undefined;
  if (kind === "postgresql") {
    const { createThrowawayDatabase } =
      await load<typeof import("../tests/support/pg-database")>("tests/support/pg-database.ts");
    database = await createThrowawayDatabase("kassa_outbox_cost");
  }
  const store = database
    ? await openPostgresStore(database.url)
    : await openSqliteStore(path.join(mkdtempSync(path.join(os.tmpdir(), "kassa-outbox-cost-")), "kassa.sqlite"));
  const clock = new AdjustableClock();
  const log = createLogger("error", "bench", { write: () => undefined });
  const views = new SaleViews({ sales: store.sales, clock, publicUrl: "http://127.0.0.1:3000" });
  let sales: SalesRepository = store.sales;
  let posEvents = "none in this commit";
  const services = await load<typeof PosEventServicesModule>("lib/pos-events/pos-event-services.ts").catch(
    () => undefined,
  );
  if (services) {
    // An older commit rendered the data from the sale alone: the view now, not as of the event.
    const viewAt = (views as Partial<Pick<typeof views, "viewAt">>).viewAt?.bind(views);
    const pos = await services.createPosEventServices({
      store,
      render: (sale, at) => (viewAt ? viewAt(sale, at) : views.view(sale)),
      config: { vippsEnv: "simulator", webhookAllowPrivate: false, databaseUrl: database?.url },
      clock,
      log,
    });
    await pos.start();
    sales = pos.sales;
    posEvents = "wired, no endpoint";
  }
  for (let lane = 1; lane <= LANES; lane++)
    await store.counters.saveTerminal({
      id: `t${lane}`,
      name: `Counter ${lane}`,
      posId: `t${lane}`,
      language: "nb",
      currency: "NOK",
      displayToken: `token-${lane}`,
      createdAt: new Date().toISOString(),
      chime: true,
    } as Parameters<typeof store.counters.saveTerminal>[0]);
  let made = 0;
  const run = (perLane: number) =>
    Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        for (let i = 0; i < perLane; i++) {
          const at = new Date(clock.now()).toISOString();
          const { sale, attempt } = saleLife(`s${++made}`, `t${lane + 1}`, at);
          await sales.insertSale(sale, attempt, { type: "sale.created", source: "api", toState: "pending" });
          await sales.updateAttempt(attempt.id, { state: "CREATED", qrUrl: `https://qr.example/${sale.id}` });
          const authorized = { state: "authorized", updatedAt: at } as const;
          await sales.transitionSale(sale.id, ["pending"], authorized, { type: "a", source: "webhook" });
          const captured = { state: "captured", capturedAmount: sale.amount, updatedAt: at } as const;
          await sales.transitionSale(sale.id, ["authorized"], captured, { type: "c", source: "api" });
        }
      }),
    );
  try {
    await run(3);
    await sleep(1500);
    const idleFrom = { cpu: cpuMs(), at: performance.now() };
    await sleep(1000);
    const idlePerMs = (cpuMs() - idleFrom.cpu) / (performance.now() - idleFrom.at);
    const from = { cpu: cpuMs(), at: performance.now() };
    await run(PER_LANE);
    // Whatever the commits started in the background belongs to the sales.
    await sleep(300);
    const wallMs = performance.now() - from.at;
    const perSale = (cpuMs() - from.cpu - idlePerMs * wallMs) / (LANES * PER_LANE);
    return `${kind}: ${perSale.toFixed(2)} ms CPU per sale (POS events: ${posEvents}; idle background ${(idlePerMs * 1000).toFixed(1)} ms/s taken out)`;
  } finally {
    await store.close();
    await database?.drop();
  }
}

async function main(): Promise<void> {
  console.log(`${root}, load ${os.loadavg()[0]!.toFixed(2)} (${os.cpus().length} cores)`);
  console.log(await measure("sqlite"));
  const { postgresUnavailable } = (await import(
    path.join(root, "tests/support/pg-database.ts")
  )) as typeof import("../tests/support/pg-database");
  const unavailable = await postgresUnavailable();
  console.log(unavailable ? `PostgreSQL skipped: ${unavailable}` : await measure("postgresql"));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
