/**
 * The sale domain wired as the composition root wires it, on a given store, gateway and clock:
 * for tests that drive commands, the reconciler and webhooks without HTTP between them.
 */
import { BackgroundWork } from "@/lib/background/background-work";
import type { Clock } from "@/lib/clock";
import { DisplayService } from "@/lib/display/display-service";
import type { DisplayState } from "@/lib/display/display-state";
import { InProcessNotifier } from "@/lib/events/change-notifier";
import { InProcessEventBus } from "@/lib/events/event-bus";
import { createLogger, type Logger } from "@/lib/log";
import type { PaymentGateway } from "@/lib/sales/payment-gateway";
import { Reconciler } from "@/lib/sales/reconciler";
import { SaleCommands } from "@/lib/sales/sale-commands";
import { SaleTransitions } from "@/lib/sales/sale-transitions";
import { SaleViews } from "@/lib/sales/sale-views";
import { SettingsService } from "@/lib/settings/settings-service";
import type { Terminal } from "@/lib/sales/types";
import { WebhookReceiver } from "@/lib/webhooks/webhook-receiver";
import type { TestStore } from "./memory-store";

/** The counter most domain tests sell at. */
export const COUNTER_1: Terminal = {
  id: "pos-1",
  name: "Counter 1",
  posId: "pos-1",
  language: "en",
  currency: "NOK",
  displayToken: "t",
  createdAt: "2026-01-01T00:00:00.000Z",
};

export function buildSaleDomain(params: {
  store: TestStore;
  gateway: PaymentGateway;
  clock: Clock;
  publicUrl?: string;
  msn?: string;
  log?: Logger;
}) {
  const { store, gateway, clock } = params;
  const log = params.log ?? createLogger("error");
  const bus = new InProcessEventBus<DisplayState>();
  const settings = new SettingsService({ settings: store, settingsChanged: async () => undefined });
  const displays = new DisplayService({
    sales: store,
    counters: store,
    settings: store,
    bus,
    notifier: new InProcessNotifier(),
    clock,
    log,
    shopName: () => settings.shopName(),
  });
  const saleChanged = (terminalId: string) => displays.publish(terminalId);
  // One tracker for both: a money webhook's GET can start a capture, and settled() waits for that too.
  const background = new BackgroundWork();
  const transitions = new SaleTransitions({ sales: store, gateway, clock, log, saleChanged, background });
  const views = new SaleViews({ sales: store, clock });
  const commands = new SaleCommands({
    sales: store,
    counters: store,
    settings: store,
    gateway,
    transitions,
    views,
    clock,
    log,
    publicUrl: params.publicUrl ?? "http://kassa.test",
    autoCapture: () => settings.autoCapture(),
    saleChanged,
  });
  const reconciler = new Reconciler({
    sales: store,
    counters: store,
    operations: store,
    gateway,
    transitions,
    clock,
    log,
    creates: commands,
    saleChanged,
  });
  const webhooks = new WebhookReceiver({
    sales: store,
    settings: store,
    operations: store,
    transitions,
    reconciler,
    clock,
    log,
    msn: params.msn ?? "123456",
    background,
  });
  /** Resolves once the work commands and webhooks started without awaiting it has ended. */
  const settled = () => background.settled();
  return { bus, settings, displays, transitions, views, commands, reconciler, webhooks, settled };
}
