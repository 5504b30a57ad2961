/**
 * What the route modules share: the simulator's services and settings, handed to each
 * `*Routes(context)` function so that no route module needs the Simulator class itself.
 */
import type { Clock } from "../clock";
import type { WalletBrand } from "../vipps/brand";
import type { ApiGuard } from "./api-guard";
import type { FaultStore } from "./faults";
import type { PaymentEngine } from "./payments";
import type { RequestCounts } from "./request-counts";
import type { TokenService } from "./tokens";
import type { WebhookService } from "./webhooks";

export type SimulatorLog = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

export interface SimulatorCredentials {
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
  msn: string;
}

export interface SimulatorContext {
  clock: Clock;
  credentials: SimulatorCredentials;
  /** Normalised: "" or "/sim"-style, never with a trailing slash. */
  basePath: string;
  merchantName: string;
  /** The wallet's name on the simulator's clock (MobilePay becomes Vipps on the brand change's date). */
  walletBrand(): WalletBrand;
  tokens: TokenService;
  guard: ApiGuard;
  payments: PaymentEngine;
  webhooks: WebhookService;
  faults: FaultStore;
  requests: RequestCounts;
  runDueWork(): Promise<void>;
}

export interface AdvanceableClock extends Clock {
  advance(ms: number): number;
}

export const isAdvanceable = (clock: Clock): clock is AdvanceableClock =>
  typeof (clock as Partial<AdvanceableClock>).advance === "function";
