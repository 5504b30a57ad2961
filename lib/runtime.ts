import path from "node:path";
import { AdjustableClock } from "@/lib/clock";
import { loadConfig, type AppConfig } from "@/lib/config";
import { bootstrap, type Secrets } from "@/lib/bootstrap";
import type { DisplayState } from "@/lib/display/display-state";
import { InProcessEventBus, type EventBus } from "@/lib/events/event-bus";
import { createLogger, type Logger } from "@/lib/log";
import { Reconciler } from "@/lib/sales/reconciler";
import { SalesService } from "@/lib/sales/sales-service";
import { createSimulator, type Simulator } from "@/lib/simulator";
import { SqliteStore } from "@/lib/store/sqlite-store";
import type { Store } from "@/lib/store/store";
import { createVippsClient, type VippsClient } from "@/lib/vipps";
import { WebhookReceiver, webhookHttpAnswer } from "@/lib/webhooks/webhook-receiver";
import { ensureWebhookRegistered } from "@/lib/webhooks/webhook-registrar";
import packageJson from "@/package.json";

export interface Runtime {
  config: AppConfig;
  clock: AdjustableClock;
  store: Store;
  bus: EventBus<DisplayState>;
  vipps: VippsClient;
  simulator: Simulator | null;
  sales: SalesService;
  reconciler: Reconciler;
  webhooks: WebhookReceiver;
  secrets: Secrets;
  log: Logger;
  webhookUrl: string;
  startedAt: number;
  webhookStatus: () => "registered" | "pending" | "failing";
  /** Takes a webhook's raw body and headers and returns the HTTP answer to send. */
  receiveWebhook: (rawBody: string, headers: { get(name: string): string | null }) => Promise<{ status: number; contentType: string; body: string }>;
}

// Next may evaluate this module in more than one bundle (instrumentation, each route); the
// process must still have exactly one store, bus and set of background workers.
const RUNTIME_KEY = Symbol.for("kassa-display.runtime");
type Holder = { [RUNTIME_KEY]?: Promise<Runtime> };

export function getRuntime(): Promise<Runtime> {
  const holder = globalThis as Holder;
  holder[RUNTIME_KEY] ??= createRuntime().catch((error) => {
    delete holder[RUNTIME_KEY];
    throw error;
  });
  return holder[RUNTIME_KEY];
}

/** The embedded simulator, or null when the app talks to the real Vipps API. */
export async function getSimulator(): Promise<Simulator | null> {
  return (await getRuntime()).simulator;
}

async function createRuntime(): Promise<Runtime> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const clock = new AdjustableClock();
  const store = new SqliteStore(path.join(config.dataDir, "kassa.sqlite"));
  const secrets = await bootstrap(store, config, new Date(clock.now()).toISOString(), (text) => process.stdout.write(`${text}\n`));
  const bus = new InProcessEventBus<DisplayState>();
  const simulator =
    config.vippsEnv === "simulator" && config.vipps.baseUrl === `${config.internalUrl}/sim`
      ? createSimulator({
          dbFile: path.join(config.dataDir, "simulator.sqlite"),
          clock,
          credentials: config.vipps,
          publicUrl: config.publicUrl,
          basePath: "/sim",
          controls: config.simulatorControls,
          log: (level, message, fields) => createLogger(config.logLevel, "simulator")[level](message, fields),
        })
      : null;
  const vipps = createVippsClient({
    baseUrl: config.vipps.baseUrl,
    credentials: config.vipps,
    system: { name: "kassa-display", version: packageJson.version, pluginName: "kassa-display-pos", pluginVersion: packageJson.version },
    clock,
  });
  const sales = new SalesService({ store, gateway: vipps, bus, clock, publicUrl: config.publicUrl, log });
  const reconciler = new Reconciler({ store, sales, clock, log });
  const webhooks = new WebhookReceiver({ store, sales, clock, log, msn: config.vipps.msn });
  const webhookUrl = `${config.publicUrl}/api/webhooks/vipps`;

  let webhookState: "registered" | "pending" | "failing" = "pending";
  const runtime: Runtime = {
    config,
    clock,
    store,
    bus,
    vipps,
    simulator,
    sales,
    reconciler,
    webhooks,
    secrets,
    log,
    webhookUrl,
    startedAt: Date.now(),
    webhookStatus: () => webhookState,
    receiveWebhook: async (rawBody, headers) => webhookHttpAnswer(await webhooks.receive(rawBody, headers)),
  };

  simulator?.start();
  reconciler.start();
  // A time jump (simulator tests) must expire QRs and move every countdown now, not on the next tick.
  clock.onAdvance(() => {
    void reconciler.tick().then(async () => {
      for (const terminal of await store.listTerminals()) await sales.publishDisplay(terminal.id);
    });
  });

  // The server may not be listening yet (the simulator is reached over HTTP), so keep trying.
  const register = async (attempt: number): Promise<void> => {
    try {
      await ensureWebhookRegistered({ api: vipps, store, url: webhookUrl, log });
      webhooks.forgetSecret();
      webhookState = "registered";
    } catch (error) {
      webhookState = attempt > 3 ? "failing" : "pending";
      if (attempt > 3) log.warn("Webhook registration failed; polling keeps sales correct meanwhile", { error: String(error) });
      setTimeout(() => void register(attempt + 1), Math.min(30_000, 250 * 2 ** attempt)).unref();
    }
  };
  setTimeout(() => void register(0), 50).unref();

  log.info("Kassa Display runtime started", { vipps: config.vippsEnv, baseUrl: config.vipps.baseUrl, publicUrl: config.publicUrl });
  return runtime;
}
