/**
 * Several instances on PostgreSQL, printed, not asserted:
 *  1. cross-instance latency: approval at the simulator → "paid" on a display stream held by the
 *     other instance (p50/p95 over BENCH_CROSS sales; target p95 ≤ 150 ms),
 *  2. takeover: SIGKILL of the instance holding the leases → a sale approved meanwhile captured,
 *  3. verified webhook ingest and sale creation: two instances on PostgreSQL versus one on SQLite.
 * Run: npm run bench:multi   (needs a production build and PostgreSQL on 127.0.0.1:5432)
 */
import pg from "pg";
import { type AppHandle, startApp } from "../tests/support/app-server";
import { watchDisplay } from "../tests/support/display-watcher";
import { createThrowawayDatabase } from "../tests/support/pg-database";
import { postSignedWebhooks, sqliteWebhookRegistration, type WebhookRegistration } from "./support/webhook-load";
import { startSimulator } from "../tests/support/simulator-process";

const CROSS = Number(process.env.BENCH_CROSS ?? 20);
const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 3000);
const CREATES = Number(process.env.BENCH_CREATES ?? 60);
const CONCURRENCY = 32;
const LINE = { currency: "NOK", lines: [{ name: "Bench item", quantity: 1, unitPrice: 10000, taxRate: 2500 }] };

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? Number.NaN;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const json = async <T>(response: Promise<Response>) => (await (await response).json()) as T;

/** Sales created and cancelled per second, one loop per terminal, terminals spread over the apps. */
async function saleThroughput(apps: AppHandle[]): Promise<number> {
  const terminals = 4;
  for (let t = 2; t <= terminals; t++)
    await apps[0]!.api("/api/v1/terminals", { method: "POST", json: { id: `pos-${t}`, name: `Counter ${t}` } });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: terminals }, async (_, t) => {
      const app = apps[t % apps.length]!;
      for (let i = 0; i < CREATES / terminals; i++) {
        const sale = await json<{ id: string }>(
          app.api("/api/v1/sales", { method: "POST", json: { ...LINE, terminalId: `pos-${t + 1}` } }),
        );
        await app.api(`/api/v1/sales/${sale.id}/cancel`, { method: "POST" });
      }
    }),
  );
  return CREATES / ((performance.now() - started) / 1000);
}

/** The webhook secret and URL the instances registered, read from the shared database. */
async function pgWebhookRegistration(url: string): Promise<WebhookRegistration> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const get = async (key: string) =>
    (await client.query("SELECT value FROM settings WHERE key = $1", [key])).rows[0]?.value as string;
  const result = { secret: await get("vipps.webhook.secret"), url: await get("vipps.webhook.url") };
  await client.end();
  return result;
}

async function main() {
  const database = await createThrowawayDatabase("kassa_bench");
  const simulator = await startSimulator();
  const env = { DATABASE_URL: database.url, VIPPS_BASE_URL: simulator.url, KASSA_LOG_LEVEL: "error" };
  const first = await startApp({ env });
  const second = await startApp({ env: { ...env, PUBLIC_URL: first.url } });
  try {
    const display = await watchDisplay(second, "pos-1");
    const samples: number[] = [];
    // Two warm-up sales first: the first request to each route compiles and loads it.
    for (let i = -2; i < CROSS; i++) {
      const sale = await json<{ id: string; reference: string }>(
        first.api("/api/v1/sales", { method: "POST", json: { ...LINE, terminalId: "pos-1" } }),
      );
      const paid = display.waitFor("paid", sale.id);
      const approvedAt = performance.now();
      await simulator.control(`/payments/${sale.reference}/approve`, { method: "POST" });
      const latency = (await paid) - approvedAt;
      if (i >= 0) samples.push(latency);
    }
    display.close();
    console.log(
      `cross-instance approval → paid on the other instance's stream (n=${CROSS}): p50 ${ms(percentile(samples, 50))}, p95 ${ms(percentile(samples, 95))}, max ${ms(Math.max(...samples))}`,
    );

    const pgIngest = (
      await postSignedWebhooks([first, second], await pgWebhookRegistration(database.url), {
        count: WEBHOOKS,
        concurrency: CONCURRENCY,
      })
    ).perSecond;
    const pgSales = await saleThroughput([first, second]);

    const sale = await json<{ id: string; reference: string }>(
      first.api("/api/v1/sales", { method: "POST", json: { ...LINE, terminalId: "pos-1" } }),
    );
    await first.kill();
    const killedAt = performance.now();
    await simulator.control(`/payments/${sale.reference}/approve`, { method: "POST" });
    for (;;) {
      const state = (await json<{ state: string }>(second.api(`/api/v1/sales/${sale.id}`))).state;
      if (state === "captured") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.log(
      `takeover after SIGKILL of the lease holder → sale approved meanwhile captured by the other instance: ${ms(performance.now() - killedAt)}`,
    );
    await second.stop();

    const single = await startApp({ env: { KASSA_LOG_LEVEL: "error" } });
    try {
      const sqliteIngest = (
        await postSignedWebhooks([single], sqliteWebhookRegistration(single), {
          count: WEBHOOKS,
          concurrency: CONCURRENCY,
        })
      ).perSecond;
      const sqliteSales = await saleThroughput([single]);
      console.log(
        `verified webhook ingest (n=${WEBHOOKS}, ${CONCURRENCY} concurrent): 2 instances on PostgreSQL ${pgIngest.toFixed(0)}/s | 1 instance on SQLite ${sqliteIngest.toFixed(0)}/s`,
      );
      console.log(
        `sale create+cancel (n=${CREATES}, 4 terminals): 2 instances on PostgreSQL ${pgSales.toFixed(1)}/s | 1 instance on SQLite ${sqliteSales.toFixed(1)}/s`,
      );
    } finally {
      await single.stop();
    }
  } finally {
    await first.stop().catch(() => undefined);
    await second.stop().catch(() => undefined);
    await simulator.stop();
    await database.drop();
  }
}

void main();
