"use client";

import useSWR from "swr";
import { swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";

/**
 * While Vipps is not answering (lib/sales/vipps-availability.ts, as /api/health reports it), the
 * till says since when and that new sales are refused: the cashier takes payment another way
 * instead of watching sales fail one by one.
 */
export function VippsDownBanner() {
  const { t, time } = useAdminI18n();
  const { data: health } = useSWR<{ vippsAvailability?: { available: boolean; since?: string } }>(
    "/api/health",
    swrFetcher,
    { refreshInterval: 10_000 },
  );
  const since = health?.vippsAvailability?.available === false ? health.vippsAvailability.since : undefined;
  if (!since) return null;
  return (
    <p
      role="alert"
      data-testid="vipps-down-banner"
      className="rounded-lg border border-amber-400 bg-amber-50 px-4 py-3 text-sm font-medium text-amber-950"
    >
      {t("vippsDown", { since: time(since) })}
    </p>
  );
}
