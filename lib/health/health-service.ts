import "server-only";
import { answersWithin } from "@/lib/background/answers-within";
import type { Clock } from "@/lib/clock";
import type { AppConfig } from "@/lib/config";
import type { SettlementImportStatus } from "@/lib/contracts/settlements";
import type { Logger } from "@/lib/log";
import type { VippsAvailabilityStatus } from "@/lib/sales/vipps-availability";
import type { WebhookRegistrationStatus } from "@/lib/webhooks/webhook-registrar";

export interface HealthReport {
  /** "unavailable" (and a 503) while the store does not answer: nothing works without it. */
  status: "ok" | "unavailable";
  vipps: AppConfig["vippsEnv"];
  vippsBaseUrl: string;
  simulator: boolean;
  store: "sqlite" | "postgresql";
  webhook: WebhookRegistrationStatus["state"];
  /** The webhook registration as its last hourly check at Vipps left it. */
  webhookRegistration: Omit<WebhookRegistrationStatus, "state">;
  /** Whether new payments reach Vipps, or since when they do not (an outage this instance saw). */
  vippsAvailability: VippsAvailabilityStatus;
  /** How far behind the Report API's ledger the settlement import is; absent when the import is off. */
  settlement?: SettlementImportStatus;
  serverTime: string;
  uptimeSeconds: number;
}

export interface HealthService {
  report(): Promise<HealthReport>;
}

/** A health check must answer before a supervisor's own timeout (the Docker image's is 5 s). */
const STORE_PING_TIMEOUT_MS = 3_000;

/** What /api/health reports: the store's answer within a deadline, the webhook registration, Vipps' availability. */
export function createHealthService(deps: {
  config: Pick<AppConfig, "vippsEnv" | "vipps">;
  storeKind: "sqlite" | "postgresql";
  pingStore: () => Promise<void>;
  webhookStatus: () => Promise<WebhookRegistrationStatus>;
  vippsAvailability: () => VippsAvailabilityStatus;
  simulator: boolean;
  settlement?: () => Promise<SettlementImportStatus>;
  clock: Clock;
  log: Logger;
}): HealthService {
  const startedAt = Date.now();
  let storeAnswered = true;
  return {
    report: async () => {
      const [storeAnswers, { state, ...registration }, settlement] = await Promise.all([
        answersWithin(deps.pingStore, STORE_PING_TIMEOUT_MS),
        deps.webhookStatus(),
        deps.settlement ? settlementWithin(deps.settlement, STORE_PING_TIMEOUT_MS) : undefined,
      ]);
      // Logged on a change only: a supervisor polls health every few seconds.
      if (storeAnswers !== storeAnswered)
        deps.log[storeAnswers ? "info" : "warn"](
          storeAnswers ? "The store answers again" : "The store does not answer",
          { store: deps.storeKind },
        );
      storeAnswered = storeAnswers;
      return {
        status: storeAnswers ? "ok" : "unavailable",
        vipps: deps.config.vippsEnv,
        vippsBaseUrl: deps.config.vipps.baseUrl,
        simulator: deps.simulator,
        store: deps.storeKind,
        webhook: state,
        webhookRegistration: registration,
        vippsAvailability: deps.vippsAvailability(),
        ...(settlement ? { settlement } : {}),
        serverTime: new Date(deps.clock.now()).toISOString(),
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      };
    },
  };
}

/** The settlement status is read from the store: while the store does not answer, health answers without it. */
async function settlementWithin(
  read: () => Promise<SettlementImportStatus>,
  timeoutMs: number,
): Promise<SettlementImportStatus | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return await Promise.race([read().catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}
