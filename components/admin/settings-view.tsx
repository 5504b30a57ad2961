"use client";

import { useEffect, useState, type FormEvent } from "react";
import useSWR from "swr";
import { apiFetch, errorText, swrFetcher } from "./api";
import { BrandingSettings } from "./branding-settings";
import { ReceiptSettings } from "./receipt-settings";
import { useAdminI18n } from "./i18n";
import type { SettingsView as Settings } from "./types";
// Type-only: the health report's shape, not the server module.
import type { HealthReport } from "@/lib/health/health-service";
import { Card, ErrorNote, PageTitle, SaveRow, TextField } from "./ui";

export function SettingsView() {
  const { t } = useAdminI18n();
  const { data, mutate } = useSWR<Settings>("/api/v1/settings", swrFetcher);
  const [shopName, setShopName] = useState("");
  const [autoCapture, setAutoCapture] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!data) return;
    setShopName(data.shopName);
    setAutoCapture(data.autoCapture);
  }, [data]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const updated = await apiFetch<Settings>("/api/v1/settings", {
        method: "PATCH",
        json: { shopName: shopName.trim(), autoCapture },
      });
      await mutate(updated, { revalidate: false });
      setSaved(true);
    } catch (caught) {
      setError(errorText(caught, t("errorGeneric")));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="max-w-2xl">
      <PageTitle>{t("settingsTitle")}</PageTitle>
      <Card>
        {!data ? (
          <p className="text-sm text-ink-700">{t("loading")}</p>
        ) : (
          <form onSubmit={submit} className="flex flex-col gap-5" data-testid="settings-form">
            <TextField
              id="settings-shop-name"
              label={t("shopName")}
              hint={t("shopNameHint")}
              value={shopName}
              maxLength={60}
              onChange={setShopName}
            />
            <label className="flex items-start gap-3">
              <input
                type="checkbox"
                data-testid="settings-auto-capture"
                checked={autoCapture}
                onChange={(event) => setAutoCapture(event.target.checked)}
                className="mt-1 h-5 w-5 accent-[#c73d0d]"
              />
              <span>
                <span className="block text-sm font-medium">{t("autoCapture")}</span>
                <span className="block text-xs text-ink-700/80">{t("autoCaptureHint")}</span>
              </span>
            </label>
            <ErrorNote error={error} />
            <SaveRow busy={busy} disabled={shopName.trim().length === 0} saved={saved} />
          </form>
        )}
      </Card>
      <BrandingSettings />
      <ReceiptSettings />
      <WebhookCard />
    </div>
  );
}

/** The Vipps webhook registration as the last hourly check at Vipps left it (from /api/health). */
function WebhookCard() {
  const { t, dateTime } = useAdminI18n();
  const { data } = useSWR<HealthReport>("/api/health", swrFetcher, { refreshInterval: 30_000 });
  if (!data) return null;
  const registration = data.webhookRegistration;
  const state = data.webhook;
  const badge =
    state === "registered"
      ? { symbol: "✓", label: t("webhookRegistered"), className: "bg-green-100 text-green-900 ring-green-300" }
      : state === "failing"
        ? { symbol: "✕", label: t("webhookFailing"), className: "bg-red-100 text-red-900 ring-red-300" }
        : { symbol: "◔", label: t("webhookPending"), className: "bg-amber-100 text-amber-900 ring-amber-300" };
  return (
    <Card className="mt-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-base font-semibold">{t("webhookTitle")}</h2>
        <span
          data-testid="webhook-state"
          data-state={state}
          className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${badge.className}`}
        >
          <span aria-hidden>{badge.symbol}</span>
          {badge.label}
        </span>
      </div>
      <p className="mt-1 text-xs text-ink-700/80">{t("webhookHint")}</p>
      <dl className="mt-4 grid grid-cols-[auto_minmax(0,1fr)] gap-x-5 gap-y-2 text-sm">
        <dt className="text-ink-700">{t("webhookUrl")}</dt>
        <dd className="font-mono text-xs break-all">{registration.url}</dd>
        <dt className="text-ink-700">{t("webhookLastChecked")}</dt>
        <dd>{registration.lastCheckedAt ? dateTime(registration.lastCheckedAt) : t("webhookNeverChecked")}</dd>
        {registration.lastError ? (
          <>
            <dt className="text-ink-700">{t("webhookLastError")}</dt>
            <dd role="alert" className="text-danger">
              {registration.lastError}
            </dd>
          </>
        ) : null}
      </dl>
    </Card>
  );
}
