/**
 * Server-side figures for the sales path, printed, not asserted:
 *  1. create-sale latency the app adds over the simulator's own create call (p50/p95),
 *  2. webhook ingest throughput with signature verification (target ≥ 1,000/s on 2 cores),
 *  3. webhook receipt → SSE client latency (target p95 < 50 ms).
 * Run: npx tsx bench/sales.ts   (needs a production build: npm run build)
 */
import { SIMULATOR_DEMO_CREDENTIALS } from "../lib/config";
import { createVippsClient } from "../lib/vipps/client";
import { startApp, type AppHandle } from "../tests/support/app-server";
import { watchDisplay } from "../tests/support/display-watcher";
import { postSignedWebhooks, sqliteWebhookRegistration } from "./support/webhook-load";

const SALES = Number(process.env.BENCH_SALES ?? 60);
const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SSE_SAMPLES = Number(process.env.BENCH_SSE_SAMPLES ?? 40);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const line = {
  terminalId: "pos-1",
  currency: "NOK",
  lines: [{ name: "Bench item", quantity: 1, unitPrice: 10000, taxRate: 2500 }],
};

async function createSaleLatency(app: AppHandle) {
  const appTimes: number[] = [];
  for (let i = 0; i < SALES; i++) {
    const started = performance.now();
    const response = await app.api("/api/v1/sales", { method: "POST", json: line });
    appTimes.push(performance.now() - started);
    const sale = (await response.json()) as { id: string };
    await app.api(`/api/v1/sales/${sale.id}/cancel`, { method: "POST" });
  }
  // The simulator's own time for the same create, called directly with the same credentials.
  const client = createVippsClient({ baseUrl: `${app.url}/sim`, credentials: SIMULATOR_DEMO_CREDENTIALS });
  await client.tokens.getToken();
  const simTimes: number[] = [];
  for (let i = 0; i < SALES; i++) {
    const reference = `bench-${Date.now()}-${i}`;
    const started = performance.now();
    await client.createPayment(
      {
        amount: { value: 10000, currency: "NOK" },
        paymentMethod: { type: "WALLET" },
        reference,
        userFlow: "QR",
        customerInteraction: "CUSTOMER_PRESENT",
        qrFormat: { format: "TEXT/TARGETURL" },
        paymentDescription: "Bench sale",
      },
      { idempotencyKey: `bench-create-${reference}` },
    );
    simTimes.push(performance.now() - started);
    await client.cancelPayment(reference, { idempotencyKey: `bench-cancel-${reference}` });
  }
  return { appTimes, simTimes };
}

async function webhookToSse(app: AppHandle) {
  await app.api("/api/v1/settings", { method: "PATCH", json: { autoCapture: false } });
  await app.sim("/webhook-faults", { method: "PUT", json: { mode: "drop" } });
  const display = await watchDisplay(app, "pos-1");

  const samples: number[] = [];
  let discarded = 0;
  for (let i = 0; i < SSE_SAMPLES; i++) {
    const sale = (await (await app.api("/api/v1/sales", { method: "POST", json: line })).json()) as {
      id: string;
      reference: string;
    };
    await app.sim(`/payments/${sale.reference}/approve`, { method: "POST" });
    const { deliveries } = (await (await app.sim(`/deliveries?reference=${sale.reference}`)).json()) as {
      deliveries: { eventName: string; headers: Record<string, string>; body: string }[];
    };
    const authorized = deliveries.find((d) => d.eventName === "AUTHORIZED")!;
    const seen = display.waitFor("approved", sale.id, 3000).catch(() => -1);
    const { host: _host, ...headers } = authorized.headers;
    const sentAt = performance.now();
    const response = await fetch(`${app.url}/api/webhooks/vipps`, { method: "POST", headers, body: authorized.body });
    const result = ((await response.json()) as { result: string }).result;
    const arrivedAt = await seen;
    // A poll that learnt of the approval first makes the sample meaningless.
    if (result !== "applied" || arrivedAt < 0) discarded++;
    else samples.push(arrivedAt - sentAt);
    await app.api(`/api/v1/sales/${sale.id}/cancel`, { method: "POST" });
  }
  display.close();
  return { samples, discarded };
}

async function main() {
  const app = await startApp();
  try {
    const { appTimes, simTimes } = await createSaleLatency(app);
    const added50 = percentile(appTimes, 50) - percentile(simTimes, 50);
    const added95 = percentile(appTimes, 95) - percentile(simTimes, 95);
    console.log(
      `create sale via app   (n=${SALES}): p50 ${fmt(percentile(appTimes, 50))}, p95 ${fmt(percentile(appTimes, 95))}`,
    );
    console.log(
      `create at simulator   (n=${SALES}): p50 ${fmt(percentile(simTimes, 50))}, p95 ${fmt(percentile(simTimes, 95))}`,
    );
    console.log(`added by the app                  : p50 ${fmt(added50)}, p95 ${fmt(added95)}`);

    const throughput = await postSignedWebhooks([app], sqliteWebhookRegistration(app), {
      count: WEBHOOKS,
      concurrency: CONCURRENCY,
    });
    console.log(
      `webhook ingest (n=${WEBHOOKS}, ${CONCURRENCY} concurrent, verified): ${throughput.perSecond.toFixed(0)} /s, non-200: ${throughput.failures}`,
    );

    const sse = await webhookToSse(app);
    console.log(
      `webhook → SSE client  (n=${sse.samples.length}, discarded ${sse.discarded}): p50 ${fmt(percentile(sse.samples, 50))}, p95 ${fmt(percentile(sse.samples, 95))}, max ${fmt(Math.max(...sse.samples))}`,
    );
  } finally {
    await app.stop();
  }
}

void main();
