import "server-only";
import { Lease } from "@/lib/background/lease";
import type { Clock } from "@/lib/clock";
import type { AppConfig } from "@/lib/config";
import type { SaleView } from "@/lib/contracts/sales";
import type { Sale } from "@/lib/entities/sale";
import { type ChangeNotifier, InProcessNotifier } from "@/lib/events/change-notifier";
import { PgNotifier } from "@/lib/events/pg-notifier";
import type { Logger } from "@/lib/log";
import type { Repositories, SalesRepository } from "@/lib/store/repositories";
import { PosEvents } from "./pos-events";
import { reportingSaleWrites } from "./sales-hook";
import { WebhookDispatcher } from "./webhook-dispatcher";
import { WebhookEndpoints } from "./webhook-endpoints";

/** What the routes reach of the POS's events. */
export interface PosEventServices {
  /** The event feed, and publishTerminalClosed for a day close. */
  posEvents: PosEvents;
  /** The POS's webhook endpoints and their deliveries. */
  webhookEndpoints: WebhookEndpoints;
}

/**
 * The POS's events wired together for the composition root: the store writes them with each sale
 * change; every instance is rung after the commit (through `sales`, the sales repository the sale
 * services must be given), for the feed's waiting calls and the dispatcher; their data is rendered
 * when first read; the dispatcher sends them where the "pos-webhooks" lease is held.
 */
export async function createPosEventServices(deps: {
  store: Pick<Repositories, "posEvents" | "sales" | "operations">;
  /** The sale's view as it was at a time, from its row as it was then (SaleViews.viewAt). */
  render: (sale: Sale, at: string) => Promise<SaleView>;
  config: Pick<AppConfig, "databaseUrl" | "vippsEnv" | "webhookAllowPrivate">;
  clock: Clock;
  log: Logger;
}): Promise<{
  services: PosEventServices;
  /** The sales repository to give the sale services: it rings the instances after each commit. */
  sales: SalesRepository;
  start(): Promise<void>;
}> {
  const { store, clock, log, config } = deps;
  // Their own channel: the displays' listeners need not hear of them.
  const notifier: ChangeNotifier = config.databaseUrl
    ? await PgNotifier.start(config.databaseUrl, log, "kassa_pos_events")
    : new InProcessNotifier();
  const posEvents = new PosEvents({
    events: store.posEvents,
    sales: store.sales,
    render: deps.render,
    notifier,
    clock,
    log,
  });
  // Plain http and private addresses: in the simulator, or when KASSA_WEBHOOK_ALLOW_PRIVATE=on.
  const policy = { allowPrivate: config.vippsEnv === "simulator" || config.webhookAllowPrivate };
  const lease = new Lease({ operations: store.operations, log, name: "pos-webhooks" });
  const dispatcher = new WebhookDispatcher({ events: store.posEvents, posEvents, lease, clock, log, policy });
  lease.onAcquired(() => dispatcher.kick());
  const webhookEndpoints = new WebhookEndpoints({
    events: store.posEvents,
    clock,
    log,
    policy,
    deliveryDue: () => void posEvents.ring(),
    endpointsChanged: () => void posEvents.endpointsChanged(),
  });
  return {
    services: { posEvents, webhookEndpoints },
    sales: reportingSaleWrites(store.sales, () => void posEvents.ring()),
    async start() {
      await lease.start();
      dispatcher.start();
    },
  };
}
