/**
 * What one display state costs to read as a terminal's history grows (printed, not asserted).
 * Every change of a sale publishes the state of its terminal, four times a sale; its reads must
 * not grow with the sales the terminal has made before. The state's SSE id used to be the newest
 * event of all the terminal's sales, a join over its whole history; it is now the newest event of
 * the sale shown. Both queries are timed, on SQLite in memory, with 0 to 20,000 sales behind
 * the terminal (five events each, spread over ten terminals' worth of history). So is the
 * reconciler's list of open attempts, read about once a second: one OR over every attempt
 * before, three index look-ups over what is open now (migration 9).
 *
 * Run: npx tsx --conditions=react-server bench/display-history.ts
 */
import { sql } from "kysely";
import { DisplayService } from "../lib/display/display-service";
import type { DisplayState } from "../lib/display/display-state";
import { InProcessNotifier } from "../lib/events/change-notifier";
import { InProcessEventBus } from "../lib/events/event-bus";
import { createLogger } from "../lib/log";
import { connectSqlite } from "../lib/store/connect";
import { openMigrated } from "../lib/store/index";

const HISTORIES = [0, 2_000, 20_000];
const READS = 300;

async function measure(history: number) {
  const connection = connectSqlite(":memory:");
  const store = await openMigrated(connection);
  const { database } = connection;
  database.exec(
    `INSERT INTO terminals (id, name, pos_id, language, currency, display_token, created_at) VALUES ${Array.from({ length: 10 }, (_, i) => `('t${i}', 'Counter ${i}', 'P${i}', 'en', 'NOK', 'token-${i}', '2026-01-01')`).join(", ")}`,
  );
  const sale = database.prepare(
    `INSERT INTO sales (id, terminal_id, receipt_number, currency, amount, description, lines, state, auto_capture, current_attempt_id, attempt_count, created_at, updated_at)
     VALUES (?, ?, ?, 'NOK', 4990, 'Coffee', '[]', 'captured', 1, ?, 1, ?, ?)`,
  );
  const attempt = database.prepare(
    `INSERT INTO attempts (id, sale_id, reference, state, created_at, expires_at, next_poll_at, poll_count) VALUES (?, ?, ?, 'AUTHORIZED', ?, ?, ?, 0)`,
  );
  const event = database.prepare(
    "INSERT INTO sale_events (sale_id, attempt_id, type, source, at) VALUES (?, ?, 'payment.captured', 'webhook', ?)",
  );
  // `history` sales on t0, and as many again spread over the other nine terminals.
  database.transaction(() => {
    for (let i = 0; i < history * 2; i++) {
      const id = `s${i}`;
      const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      sale.run(id, i % 2 ? `t${1 + (i % 9)}` : "t0", String(i), `a${i}`, at, at);
      attempt.run(`a${i}`, id, `kassa-${i}`, at, at, at);
      for (let e = 0; e < 5; e++) event.run(id, `a${i}`, at);
    }
  })();

  const displays = new DisplayService({
    sales: store.sales,
    counters: store.counters,
    settings: store.settings,
    bus: new InProcessEventBus<DisplayState>(),
    notifier: new InProcessNotifier(),
    clock: { now: () => Date.now() },
    log: createLogger("error"),
    shopName: async () => "Bench shop",
  });
  const time = async (work: () => Promise<unknown>) => {
    for (let i = 0; i < 20; i++) await work();
    const started = performance.now();
    for (let i = 0; i < READS; i++) await work();
    return (performance.now() - started) / READS;
  };
  const latest = history > 0 ? `s${(history - 1) * 2}` : "none";
  const terminalWide = await time(() =>
    sql`SELECT max(e.id) AS id FROM sale_events AS e INNER JOIN sales AS s ON s.id = e.sale_id WHERE s.terminal_id = ${"t0"}`.execute(
      connection.db,
    ),
  );
  const perSale = await time(() => store.sales.latestEventIdForSale(latest));
  const openBefore = await time(() =>
    sql`SELECT a.* FROM attempts AS a INNER JOIN sales AS s ON s.id = a.sale_id
        WHERE (s.state IN (${"pending"}, ${"authorized"}) AND a.id = s.current_attempt_id) OR a.state IN (${"CREATING"}, ${"CREATE_FAILED"})
           OR (a.state = ${"AUTHORIZED"} AND a.id <> s.current_attempt_id AND a.cancel_reason IS NULL)
        ORDER BY a.next_poll_at, a.id`.execute(connection.db),
  );
  const openNow = await time(() => store.sales.listOpenAttempts());
  const state = await time(() => displays.state("t0"));
  await store.close();
  return { history, terminalWide, perSale, state, openBefore, openNow };
}

async function main() {
  const rows = [];
  for (const history of HISTORIES) rows.push(await measure(history));
  console.log("\nReads that follow every sale, against the history behind them (SQLite in memory, mean of 300 reads)");
  console.log(
    "| sales behind the terminal | SSE id over the terminal's sales (before) | SSE id of the sale shown (now) | whole state read (now) | open attempts, one OR (before) | open attempts (now) |",
  );
  console.log("|---|---|---|---|---|---|");
  const ms = (value: number) => `${value.toFixed(3)} ms`;
  for (const row of rows) {
    console.log(
      `| ${row.history.toLocaleString("en")} | ${ms(row.terminalWide)} | ${ms(row.perSale)} | ${ms(row.state)} | ${ms(row.openBefore)} | ${ms(row.openNow)} |`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
