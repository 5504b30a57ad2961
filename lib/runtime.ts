import "server-only";
import path from "node:path";
import { buildAdminAccess } from "@/lib/auth/access-wiring";
import { buildStaffServices, type StaffServices } from "@/lib/staff/staff-wiring";
import { buildDisplayAccess } from "@/lib/display/display-access-wiring";
import type { AdminAccess } from "@/lib/auth/admin-access";
import { Lease } from "@/lib/background/lease";
import { bootstrap } from "@/lib/bootstrap";
import { forgetGeneratedOwnerPassword } from "@/lib/auth/initial-credentials";
import { secureDataDir } from "@/lib/data-dir";
import { CatalogueService } from "@/lib/catalogue/catalogue-service";
import { buildCloses, type CloseService } from "@/lib/closes/close-wiring";
import { AdjustableClock } from "@/lib/clock";
import { VippsAvailability } from "@/lib/sales/vipps-availability";
import { type WalletBrand, walletBrandAt } from "@/lib/vipps/brand";
import { type AppConfig, loadConfig } from "@/lib/config";
import type { DisplayAccess } from "@/lib/display/display-access";
import { DisplayPresenceService } from "@/lib/display/display-presence";
import { DisplayService } from "@/lib/display/display-service";
import type { DisplayState } from "@/lib/display/display-state";
import { type ChangeNotifier, InProcessNotifier } from "@/lib/events/change-notifier";
import { PgNotifier } from "@/lib/events/pg-notifier";
import { clientAddress } from "@/lib/http/client-address";
import { createKeepAliveFetch } from "@/lib/transport/keep-alive-fetch";
import { nodeFetch } from "@/lib/transport/node-fetch";
import { InProcessEventBus } from "@/lib/events/event-bus";
import { GoLiveService } from "@/lib/go-live/go-live-service";
import { createHealthService, type HealthReport, type HealthService } from "@/lib/health/health-service";
import { VippsRequestRecorder } from "@/lib/go-live/request-recorder";
import { createLogger, type Logger, outsideLogContext } from "@/lib/log";
import { createPosEventServices, type PosEventServices } from "@/lib/pos-events/pos-event-services";
import { ReceiptService } from "@/lib/receipts/receipt-service";
import { SaleReports } from "@/lib/reports/sale-reports";
import { Reconciler } from "@/lib/sales/reconciler";
import { SaleCommands } from "@/lib/sales/sale-commands";
import { SaleTransitions } from "@/lib/sales/sale-transitions";
import { SaleViews } from "@/lib/sales/sale-views";
import { SettingsService } from "@/lib/settings/settings-service";
import { buildSettlements, type SettlementService } from "@/lib/settlements/settlement-wiring";
import { createSimulator, type Simulator } from "@/lib/simulator";
import { openStore } from "@/lib/store";
import { CartService } from "@/lib/terminals/cart-service";
import { TerminalService } from "@/lib/terminals/terminal-service";
import { buildStickers } from "@/lib/terminals/sticker-wiring";
import type { TerminalStickers } from "@/lib/terminals/terminal-stickers";
import { WebhookReceiver } from "@/lib/webhooks/webhook-receiver";
import { buildStores } from "@/lib/stores/store-wiring";
import type { StoreService } from "@/lib/stores/store-service";
import packageJson from "@/package.json";

/**
 * The composition root: builds every service once per process and wires them together. Routes
 * and pages reach the app only through the named services here; none of them sees the store.
 */
export interface Services extends PosEventServices, StaffServices {
  config: AppConfig;
  log: Logger;
  admin: AdminAccess;
  sales: SaleCommands;
  saleViews: SaleViews;
  reports: SaleReports;
  closes: CloseService;
  /** The customer's receipt page (/r/{id}), public. */
  receipts: ReceiptService;
  terminals: TerminalService;
  /** The sticker at each till (QR API merchant callback QR) and its check-ins. */
  stickers: TerminalStickers;
  /** The chain's stores (Vipps sales units). */
  stores: StoreService;
  catalogue: CatalogueService;
  settings: SettingsService;
  displays: DisplayService;
  displayAccess: DisplayAccess;
  displayPresence: DisplayPresenceService;
  carts: CartService;
  webhooks: WebhookReceiver;
  health: HealthService;
  /** Vipps' ledger (Report API) reconciled with the sales, and its export. */
  settlements: SettlementService;
  /** The go-live checklist and its evidence, from the event log and the recorded Vipps requests. */
  goLive: GoLiveService;
  /** The embedded Vipps simulator, or null when the app talks to a Vipps API elsewhere. */
  simulator: Simulator | null;
  /** The wallet's name now by the server's clock (KASSA_BRAND_SWITCH_AT, lib/vipps/brand.ts). */
  walletBrand: () => WalletBrand;
}

export type { HealthReport, HealthService };

// Next evaluates this module in more than one bundle (instrumentation, each route); the process
// must still have exactly one store, bus and set of background workers, so the promise of the
// services lives on globalThis.
const SERVICES_KEY = Symbol.for("kassa-display.services");
type Holder = { [SERVICES_KEY]?: Promise<Services> };

export function getServices(): Promise<Services> {
  const holder = globalThis as Holder;
  // Built once for the process: its timers and background work must not carry the id of the
  // request that happened to ask first.
  holder[SERVICES_KEY] ??= outsideLogContext(buildServices).catch((error) => {
    delete holder[SERVICES_KEY];
    throw error;
  });
  return holder[SERVICES_KEY];
}

async function buildServices(): Promise<Services> {
  const config = loadConfig();
  // The data directory holds the session and webhook secrets: only this user may read it.
  secureDataDir(config.dataDir);
  const log = createLogger(config.logLevel);
  const clock = new AdjustableClock();
  const {
    store,
    kind: storeKind,
    ping: pingStore,
  } = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const secrets = await bootstrap(store, config, new Date(clock.now()).toISOString(), (text) =>
    process.stdout.write(`${text}\n`),
  );
  const secureCookies = config.publicUrl.startsWith("https:");
  const simulatorLog = createLogger(config.logLevel, "simulator");
  const simulator =
    config.vippsEnv === "simulator" && config.vipps.baseUrl === `${config.internalUrl}/sim`
      ? createSimulator({
          dbFile: path.join(config.dataDir, "simulator.sqlite"),
          clock,
          credentials: config.vipps,
          publicUrl: config.publicUrl,
          basePath: "/sim",
          controls: config.simulatorControls,
          brandSwitchAtMs: config.brandSwitchAtMs,
          log: (level, message, fields) => simulatorLog[level](message, fields),
        })
      : null;
  // The databases now exist (with their -wal and -shm files): lock them down too.
  secureDataDir(config.dataDir);
  const system = {
    name: "kassa-display",
    version: packageJson.version,
    pluginName: "kassa-display-pos",
    pluginVersion: packageJson.version,
  };
  // Every outgoing Vipps request is noted (without secrets or bodies) for the go-live evidence.
  const vippsRequests = new VippsRequestRecorder({
    operations: store.operations,
    clock,
    log,
    baseUrl: config.vipps.baseUrl,
  });
  // Vipps calls go over kept-alive node:http connections: fetch (undici) cost several times more a call.
  const vippsFetch = createKeepAliveFetch();

  const bus = new InProcessEventBus<DisplayState>();
  // Several instances share one PostgreSQL database: its LISTEN/NOTIFY joins their displays.
  const notifier: ChangeNotifier = config.databaseUrl
    ? await PgNotifier.start(config.databaseUrl, log)
    : new InProcessNotifier();
  // Settings and displays need each other (the display shows the shop's name; a new name is
  // pushed to every display): each reaches the other through a function called only later.
  const displays: DisplayService = new DisplayService({
    sales: store.sales,
    counters: store.counters,
    settings: store.settings,
    bus,
    notifier,
    clock,
    log,
    shopName: () => settings.shopName(),
    receiptQrBase: async () => ((await settings.receiptQr()) ? config.publicUrl : undefined),
    qrImage: config.qrSource === "vipps",
    brandSwitchAtMs: config.brandSwitchAtMs,
    vippsStatus: () => availability.status(),
    storeBrand: (storeId) => chain.stores.displayBrand(storeId),
    streamsPerLink: config.displayStreamsPerLink,
  });
  // Told of an outage's start and end, every display shows it (or stops showing it) at once.
  const availability = new VippsAvailability({ clock, log, onChange: () => void displays.publishAll() });
  const settings = new SettingsService({ settings: store.settings, settingsChanged: () => displays.publishAll() });
  const registrationLease = new Lease({ operations: store.operations, log, name: "webhook-registration" });
  // Each store is a Vipps sales unit: its sales' calls go through its MSN and keys (lib/stores).
  const chain = await buildStores({
    repositories: store,
    config,
    settings,
    clock,
    log,
    simulator,
    registrationLease,
    // Every store's ePayment and QR API clients: kept-alive connections, each request noted for the go-live evidence.
    vippsClientOptions: {
      baseUrl: config.vipps.baseUrl,
      system,
      clock,
      onRequest: vippsRequests.hook,
      fetch: vippsFetch,
    },
    onWebhookRegistered: () => webhooks.forgetSecret(),
    brandingChanged: () => displays.publishAll(),
    onStoreSaved: () => settlements.sync(),
  });
  const vipps = chain.gateway;
  const publish = (terminalId: string) => displays.publish(terminalId);

  // Of its requests only the shared token's fetch is recorded: ledger reads every minute would push the ePayment evidence out.
  const settlements = await buildSettlements({
    store,
    config,
    credentials: chain.settlementAccounts,
    system,
    clock,
    log,
    timeZone: () => settings.timeZone(),
    onRequest: (info) => info.operation === "fetchAccessToken" && vippsRequests.hook(info),
  });
  const saleViews = new SaleViews({
    settlementOf: (saleId) => settlements.service.saleSettlement(saleId),
    sales: store.sales,
    clock,
    publicUrl: config.publicUrl,
    ...(config.qrSource === "vipps" ? { qrImageBase: config.publicUrl } : {}),
  });
  // The POS's events: pos.sales rings after each commit; their data is rendered when first read.
  const pos = await createPosEventServices({ store, config, clock, log, render: saleViews.viewAt.bind(saleViews) });
  const transitions = new SaleTransitions({ sales: pos.sales, gateway: vipps, clock, log, saleChanged: publish });
  const sales = new SaleCommands({
    sales: pos.sales,
    counters: store.counters,
    settings: store.settings,
    gateway: vipps,
    transitions,
    views: saleViews,
    clock,
    log,
    publicUrl: config.publicUrl,
    autoCapture: () => settings.autoCapture(),
    saleChanged: publish,
    qrSource: config.qrSource,
    fetchImage: nodeFetch,
    availability,
    salesUnitOf: chain.salesUnitOf,
  });
  // Background work runs once across instances: where these leases are held.
  const pollingLease = new Lease({ operations: store.operations, log, name: "reconciler" });
  const reconciler = new Reconciler({
    sales: pos.sales,
    counters: store.counters,
    operations: store.operations,
    gateway: vipps,
    transitions,
    clock,
    log,
    lease: pollingLease,
    creates: sales,
    saleChanged: publish,
  });
  const stickerWiring = buildStickers({
    counters: store.counters,
    settings: store.settings,
    qrOf: chain.qrOfStore,
    log,
    sendToCheckedInCustomer: (terminalId, checkIn) => sales.sendToCheckedInCustomer(terminalId, checkIn),
    showCheckIn: (terminalId) => displays.showCheckIn(terminalId),
  });
  const webhooks = new WebhookReceiver({
    onCheckIn: stickerWiring.onCheckIn,
    sales: pos.sales,
    settings: store.settings,
    operations: store.operations,
    transitions,
    reconciler,
    clock,
    log,
    covers: chain.covers,
  });
  // Checked at start and then hourly by the lease holder: Vipps deletes a registration that has failed for two weeks.
  const webhookRegistration = chain.webhooks;
  const ring = () => pos.services.posEvents.ring();
  const closes = buildCloses({ store, clock, log, timeZone: () => settings.timeZone(), onClosed: ring });
  // Limits live in the store, so that every instance counts the same attempts.
  const displayPresence = new DisplayPresenceService({ counters: store.counters, log });
  const addressOf = (request: Request) => clientAddress(request, config.trustedProxyHops);
  const { admin, sessions } = buildAdminAccess({
    ...{ secrets, clock, log, secureCookies, config, store },
    clientAddress: addressOf,
  });
  const services: Services = {
    config,
    log,
    admin,
    sales,
    saleViews,
    reports: new SaleReports({ sales: store.sales, clock, timeZone: () => settings.timeZone() }),
    closes: closes.closes,
    receipts: new ReceiptService({
      sales: store.sales,
      counters: store.counters,
      seller: () => settings.seller(),
      brandSwitchAtMs: config.brandSwitchAtMs,
    }),
    terminals: new TerminalService({
      counters: store.counters,
      sales: store.sales,
      clock,
      log,
      publicUrl: config.publicUrl,
      terminalChanged: publish,
      displaysOf: (terminalId) => displayPresence.list(terminalId),
      storeFor: chain.storeFor,
    }),
    stickers: stickerWiring.stickers,
    catalogue: new CatalogueService({ catalogue: store.catalogue, clock }),
    stores: chain.stores,
    settings,
    displays,
    displayPresence,
    carts: new CartService({ counters: store.counters, sales: store.sales, clock, cartChanged: publish }),
    displayAccess: buildDisplayAccess({
      clock,
      log,
      secureCookies,
      store,
      isCashier: (request) => admin.isCashierRequest(request),
      clientAddress: addressOf,
    }),
    webhooks,
    ...pos.services,
    ...buildStaffServices({
      store,
      sessions,
      clock,
      timeZone: () => settings.timeZone(),
      ownerPasswordChanged: () => {
        const outcome = forgetGeneratedOwnerPassword(config.dataDir);
        if (outcome !== "unchanged") log.info("The generated owner password is out of date", { file: outcome });
      },
    }),
    simulator,
    walletBrand: () => walletBrandAt(clock.now(), config.brandSwitchAtMs),
    health: createHealthService({
      config,
      storeKind,
      pingStore,
      webhookStatus: () => webhookRegistration.status(),
      vippsAvailability: () => availability.status(),
      simulator: simulator !== null,
      ...(config.settlementImport ? { settlement: () => settlements.service.importStatus() } : {}),
      clock,
      log,
    }),
    goLive: new GoLiveService({
      sales: store.sales,
      operations: store.operations,
      clock,
      log,
      environment: config.vippsEnv,
      msn: config.vipps.msn,
      system,
      webhookStatus: () => webhookRegistration.status(),
      paymentEvents: (reference) => chain.gateway.getPaymentEvents(reference),
      stores: chain.goLive,
      requestsSettled: () => vippsRequests.settled(),
      ...(config.settlementImport ? { settlementImport: () => settlements.service.goLiveProgress() } : {}),
    }),
    settlements: settlements.service,
  };

  simulator?.start();
  reconciler.start();
  await pollingLease.start();
  await registrationLease.start();
  await pos.start();
  await closes.start();
  await settlements.start();
  // A time jump (simulator tests) must expire QRs and move every countdown now, not on the next tick.
  clock.onAdvance(() => {
    settlements.soon();
    void reconciler.tick().then(() => displays.publishAll());
  });

  // The server may not be listening yet (the simulator is reached over HTTP): the first check
  // retries quickly until it succeeds, then the lease holder checks hourly.
  await webhookRegistration.start();

  log.info("Kassa Display started", {
    vipps: config.vippsEnv,
    baseUrl: config.vipps.baseUrl,
    publicUrl: config.publicUrl,
  });
  return services;
}
