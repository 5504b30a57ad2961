/**
 * /api/health's settlement field: the import's lag, last import and failure as the settlement
 * service reports them; left out when the import is off, and when reading it (from the store)
 * does not answer in time, so that health still answers a supervisor.
 */
import { describe, expect, it, vi } from "vitest";
import { createHealthService } from "@/lib/health/health-service";
import { captureLog } from "../support/log-capture";

const { log } = captureLog("error");

function health(
  settlement?: () => Promise<{ lagSeconds: number | null; lastImportAt: string | null; error?: string }>,
) {
  return createHealthService({
    config: {
      vippsEnv: "simulator",
      vipps: { baseUrl: "http://sim", clientId: "", clientSecret: "", subscriptionKey: "", msn: "123456" },
    },
    storeKind: "sqlite",
    pingStore: async () => undefined,
    webhookStatus: async () => ({
      state: "registered",
      registered: true,
      url: "http://x/webhook",
      lastCheckedAt: null,
      lastRegisteredAt: null,
      lastError: null,
    }),
    vippsAvailability: () => ({ available: true }),
    simulator: true,
    ...(settlement ? { settlement } : {}),
    clock: { now: () => Date.parse("2026-05-01T10:00:00Z") },
    log,
  });
}

describe("health's settlement", () => {
  it("reports the import's lag, last import and failure", async () => {
    const status = { lagSeconds: 42, lastImportAt: "2026-05-01T09:59:18.000Z", error: "302321 funds: HTTP 500" };
    expect((await health(async () => status).report()).settlement).toEqual(status);
  });

  it("is left out when the import is off", async () => {
    expect(await health().report()).not.toHaveProperty("settlement");
  });

  it("is left out, and health still answers, when reading it hangs", async () => {
    vi.useFakeTimers();
    try {
      const report = health(() => new Promise(() => undefined)).report();
      await vi.advanceTimersByTimeAsync(3_000);
      const answered = await report;
      expect(answered.status).toBe("ok");
      expect(answered).not.toHaveProperty("settlement");
    } finally {
      vi.useRealTimers();
    }
  });
});
