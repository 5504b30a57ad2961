import "server-only";
import type { Clock } from "@/lib/clock";
import type { Logger } from "@/lib/log";

/** Whether new payments can be created at Vipps, as the display state, the till and /api/health show it. */
export interface VippsAvailabilityStatus {
  available: boolean;
  /** While unavailable: since when. */
  since?: string;
}

/** Failed or timed-out creates within the window that make the terminal stop waiting for Vipps. */
export const OUTAGE_FAILURES = 3;
export const OUTAGE_WINDOW_MS = 60_000;
/** While Vipps is out, one real create is let through this often to find out whether it is back. */
export const PROBE_EVERY_MS = 10_000;

/**
 * Vipps' weekly maintenance window: Mondays 01:00–05:00 in Oslo and Copenhagen (CET, CEST in
 * summer; developer.vippsmobilepay.com terms of use). Inside it one failure is enough.
 */
export function inMaintenanceWindow(nowMs: number): boolean {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Oslo",
    weekday: "short",
    hour: "2-digit",
    hourCycle: "h23",
  }).formatToParts(nowMs);
  const weekday = parts.find((part) => part.type === "weekday")?.value;
  const hour = Number(parts.find((part) => part.type === "hour")?.value);
  return weekday === "Mon" && hour >= 1 && hour < 5;
}

/**
 * A circuit breaker in front of Vipps' create call. Closed: creates go through and failures (no
 * answer, a timeout or a 5xx; a 4xx is Vipps answering) are counted. After OUTAGE_FAILURES in
 * OUTAGE_WINDOW_MS (one in the maintenance window) it opens: new sales fail at once instead of
 * making a customer wait for a QR that will not come, and the displays say to pay another way.
 * Every PROBE_EVERY_MS one create goes through as a probe; the first one Vipps answers closes it.
 * Per process: each instance learns an outage from its own calls.
 */
export class VippsAvailability {
  private failures: number[] = [];
  private downSinceMs: number | undefined;
  private nextProbeAtMs = 0;

  constructor(private readonly deps: { clock: Clock; log: Logger; onChange: () => void }) {}

  status(): VippsAvailabilityStatus {
    return this.downSinceMs === undefined
      ? { available: true }
      : { available: false, since: new Date(this.downSinceMs).toISOString() };
  }

  /**
   * Whether a create may go to Vipps now: always while available; while out, one probe per
   * PROBE_EVERY_MS. Otherwise the seconds until the next probe, for Retry-After.
   */
  admit(): { admitted: true } | { admitted: false; retryAfterSeconds: number } {
    if (this.downSinceMs === undefined) return { admitted: true };
    const nowMs = this.deps.clock.now();
    if (nowMs >= this.nextProbeAtMs) {
      this.nextProbeAtMs = nowMs + PROBE_EVERY_MS;
      return { admitted: true };
    }
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((this.nextProbeAtMs - nowMs) / 1000)) };
  }

  /** Vipps answered (any status below 500): it is there. */
  recordAnswer(): void {
    this.failures = [];
    if (this.downSinceMs === undefined) return;
    this.deps.log.info("Vipps answers again; new sales go through", {
      downSince: new Date(this.downSinceMs).toISOString(),
    });
    this.downSinceMs = undefined;
    this.deps.onChange();
  }

  /** No answer, a timeout or a 5xx. */
  recordFailure(): void {
    const nowMs = this.deps.clock.now();
    if (this.downSinceMs !== undefined) return;
    this.failures = [...this.failures.filter((at) => nowMs - at < OUTAGE_WINDOW_MS), nowMs];
    const needed = inMaintenanceWindow(nowMs) ? 1 : OUTAGE_FAILURES;
    if (this.failures.length < needed) return;
    this.downSinceMs = nowMs;
    this.nextProbeAtMs = nowMs + PROBE_EVERY_MS;
    this.failures = [];
    this.deps.log.warn("Vipps is not answering; new sales fail at once until a probe gets through", {
      failures: needed,
      maintenanceWindow: needed === 1,
    });
    this.deps.onChange();
  }
}
