/**
 * What the route modules share: the simulator's services and settings, handed to each
 * `*Routes(context)` function so that no route module needs the Simulator class itself.
 */
import type { Clock } from "../clock";
import type { WalletBrand } from "../vipps/brand";
import type { ApiGuard } from "./api-guard";
import type { FaultStore } from "./faults";
import type { MerchantCallbacks } from "./merchant-callbacks";
import type { SimulatorKeyring } from "./keyring";
import type { PaymentEngine } from "./payments";
import type { ReportConfigStore } from "./report-config";
import type { ReportLedger } from "./report-ledger";
import type { RequestCounts } from "./request-counts";
import type { SimulatorLog } from "./settings";
import type { TokenService } from "./tokens";
import type { WebhookService } from "./webhooks";

// The services below need these two types as well, so they live in settings.ts, which needs none of them.
export type { SimulatorCredentials, SimulatorLog } from "./settings";

export interface SimulatorContext {
  clock: Clock;
  /** The keys accepted and the sales units each may act for. */
  keyring: SimulatorKeyring;
  /** Normalised: "" or "/sim"-style, never with a trailing slash. */
  basePath: string;
  merchantName: string;
  /** The wallet's name on the simulator's clock (MobilePay becomes Vipps on the brand change's date). */
  walletBrand(): WalletBrand;
  tokens: TokenService;
  guard: ApiGuard;
  payments: PaymentEngine;
  webhooks: WebhookService;
  /** The QR API's stickers, their check-ins' customer tokens and the phones' personal QRs. */
  merchantCallbacks: MerchantCallbacks;
  faults: FaultStore;
  /** The Report API's ledgers and its /_sim/report configuration. */
  report: ReportLedger;
  reportConfig: ReportConfigStore;
  requests: RequestCounts;
  log: SimulatorLog;
  runDueWork(): Promise<void>;
}

export interface AdvanceableClock extends Clock {
  advance(ms: number): number;
}

export const isAdvanceable = (clock: Clock): clock is AdvanceableClock =>
  typeof (clock as Partial<AdvanceableClock>).advance === "function";
