"use client";

import { useEffect, useState, type FormEvent } from "react";
import useSWR from "swr";
import { ApiError, apiFetch, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { SettingsView as Settings } from "./types";
import { Button, Card, ErrorNote, Field, PageTitle, inputClass } from "./ui";

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
      const updated = await apiFetch<Settings>("/api/v1/settings", { method: "PATCH", json: { shopName: shopName.trim(), autoCapture } });
      await mutate(updated, { revalidate: false });
      setSaved(true);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t("errorGeneric"));
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
            <Field label={t("shopName")} htmlFor="settings-shop-name" hint={t("shopNameHint")}>
              <input id="settings-shop-name" value={shopName} maxLength={60} onChange={(event) => setShopName(event.target.value)} className={inputClass} />
            </Field>
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
            <div className="flex items-center gap-3">
              <Button type="submit" variant="primary" disabled={busy || shopName.trim().length === 0}>
                {busy ? t("saving") : t("save")}
              </Button>
              {saved ? (
                <span role="status" className="text-sm font-medium text-success">
                  {t("saved")}
                </span>
              ) : null}
            </div>
          </form>
        )}
      </Card>
    </div>
  );
}
