"use client";

import { useState, type FormEvent } from "react";
import useSWR from "swr";
import { apiFetch, errorText, swrFetcher } from "./api";
import { BrandingSettings } from "./branding-settings";
import { useAdminI18n } from "./i18n";
import type { Page, SettingsView, StoreView } from "./types";
import { Button, Card, ErrorNote, Field, PageTitle, inputClass } from "./ui";

const CURRENCIES = ["NOK", "DKK", "EUR"] as const;

/** The chain's stores: each a Vipps sales unit (MSN) with, optionally, keys of its own that are never shown again. */
export function StoresView() {
  const { t } = useAdminI18n();
  const { data, mutate } = useSWR<Page<StoreView>>("/api/v1/stores", swrFetcher);
  const [editing, setEditing] = useState<string | null>(null);
  const [branding, setBranding] = useState<string | null>(null);
  // The displays show the shop's name over a store's own look too: its preview does the same.
  const { data: settings } = useSWR<SettingsView>(branding ? "/api/v1/settings" : null, swrFetcher);
  return (
    <div>
      <PageTitle>{t("storesTitle")}</PageTitle>
      <p className="mb-4 text-sm text-ink-700/80">{t("storesHint")}</p>
      <Card className="mb-5">
        <h2 className="mb-3 text-base font-semibold">{t("addStore")}</h2>
        <StoreForm
          testId="store-add"
          submitLabel={t("addStore")}
          onSubmit={async (input) => {
            const created = await apiFetch<StoreView>("/api/v1/stores", { method: "POST", json: input });
            await mutate();
            return t("storeAdded", { name: created.name });
          }}
        />
      </Card>
      <div className="overflow-hidden rounded-2xl border border-stone-200 bg-white shadow-sm">
        {!data ? <p className="p-5 text-sm text-ink-700">{t("loading")}</p> : null}
        <ul className="divide-y divide-stone-100" data-testid="store-list">
          {data?.items.map((store) =>
            editing === store.id ? (
              <li key={store.id} className="bg-stone-50 p-4">
                <StoreForm
                  testId={`store-edit-${store.id}`}
                  initial={store}
                  submitLabel={t("save")}
                  onCancel={() => setEditing(null)}
                  onSubmit={async (input) => {
                    await apiFetch(`/api/v1/stores/${encodeURIComponent(store.id)}`, { method: "PATCH", json: input });
                    setEditing(null);
                    await mutate();
                    return t("storeSaved");
                  }}
                />
              </li>
            ) : (
              <li
                key={store.id}
                data-testid={`store-row-${store.id}`}
                className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3"
              >
                <span className="min-w-0 flex-1">
                  <span className="font-medium">{store.name}</span>
                  <span className="ml-2 font-mono text-xs text-ink-700/70">{store.id}</span>
                </span>
                <span className="text-sm tabular-nums">MSN {store.msn}</span>
                <span className="text-sm text-ink-700">{store.currency}</span>
                <span className="text-sm text-ink-700">
                  {store.vipps.keys === "own" ? t("storeKeysOwn") : t("storeKeysPartner")}
                </span>
                <Button
                  variant="ghost"
                  className="px-3 py-1.5"
                  aria-expanded={branding === store.id}
                  data-testid={`store-branding-${store.id}`}
                  onClick={() => setBranding(branding === store.id ? null : store.id)}
                >
                  {t("storeBranding")}
                </Button>
                <Button variant="ghost" className="px-3 py-1.5" onClick={() => setEditing(store.id)}>
                  {t("edit")}
                </Button>
                {branding === store.id ? (
                  <div className="basis-full pb-2">
                    <BrandingSettings
                      target={{
                        path: `/api/v1/stores/${encodeURIComponent(store.id)}`,
                        logoPath: `/api/v1/stores/${encodeURIComponent(store.id)}/logo`,
                        title: t("storeBrandingTitle", { name: store.name }),
                        hint: t("storeBrandingHint"),
                        ...(settings ? { previewName: settings.shopName } : {}),
                      }}
                    />
                  </div>
                ) : null}
              </li>
            ),
          )}
        </ul>
      </div>
    </div>
  );
}

type StoreInput = {
  name: string;
  msn: string;
  currency: string;
  timeZone: string;
  vipps?: { clientId: string; clientSecret: string; subscriptionKey: string } | null;
};

function StoreForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
  testId,
}: {
  initial?: StoreView;
  submitLabel: string;
  onSubmit: (input: StoreInput) => Promise<string>;
  onCancel?: () => void;
  testId: string;
}) {
  const { t } = useAdminI18n();
  const [name, setName] = useState(initial?.name ?? "");
  const [msn, setMsn] = useState(initial?.msn ?? "");
  const [currency, setCurrency] = useState<string>(initial?.currency ?? "NOK");
  const [timeZone, setTimeZone] = useState(initial?.timeZone ?? "Europe/Oslo");
  const hasOwnKeys = initial?.vipps.keys === "own";
  const [ownKeys, setOwnKeys] = useState(hasOwnKeys);
  // The keys are write-only: an edit shows the client id and asks for the secrets only to replace them.
  const [clientId, setClientId] = useState(hasOwnKeys ? (initial?.vipps.clientId ?? "") : "");
  const [clientSecret, setClientSecret] = useState("");
  const [subscriptionKey, setSubscriptionKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  function keysOf(): StoreInput["vipps"] {
    if (!ownKeys) return hasOwnKeys ? null : undefined;
    if (hasOwnKeys && clientSecret === "" && subscriptionKey === "") return undefined;
    return { clientId: clientId.trim(), clientSecret, subscriptionKey };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const vipps = keysOf();
      setDone(
        await onSubmit({
          name: name.trim(),
          msn: msn.trim(),
          currency,
          timeZone: timeZone.trim(),
          ...(vipps !== undefined ? { vipps } : {}),
        }),
      );
      if (!initial) {
        setName("");
        setMsn("");
        setClientId("");
      }
      setClientSecret("");
      setSubscriptionKey("");
    } catch (caught) {
      setError(errorText(caught, t("errorGeneric"), { firstField: true }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} data-testid={testId} className="flex flex-col gap-4">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Field label={t("name")} htmlFor={`${testId}-name`}>
          <input
            id={`${testId}-name`}
            value={name}
            required
            maxLength={80}
            onChange={(event) => setName(event.target.value)}
            className={inputClass}
          />
        </Field>
        <Field label={t("storeMsn")} htmlFor={`${testId}-msn`}>
          <input
            id={`${testId}-msn`}
            value={msn}
            required
            inputMode="numeric"
            pattern="[0-9]{4,6}"
            maxLength={6}
            onChange={(event) => setMsn(event.target.value)}
            className={`${inputClass} font-mono`}
          />
        </Field>
        <Field label={t("storeCurrency")} htmlFor={`${testId}-currency`}>
          <select
            id={`${testId}-currency`}
            value={currency}
            onChange={(event) => setCurrency(event.target.value)}
            className={inputClass}
          >
            {CURRENCIES.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("storeTimeZone")} htmlFor={`${testId}-time-zone`}>
          <input
            id={`${testId}-time-zone`}
            value={timeZone}
            onChange={(event) => setTimeZone(event.target.value)}
            className={inputClass}
          />
        </Field>
      </div>
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          data-testid={`${testId}-own-keys`}
          checked={ownKeys}
          onChange={(event) => setOwnKeys(event.target.checked)}
          className="mt-0.5"
        />
        <span>
          <span className="font-medium">{t("storeOwnKeys")}</span>
          <span className="block text-ink-700/80">
            {hasOwnKeys && !ownKeys ? t("storeUsePartnerKeys") : t("storeOwnKeysHint")}
          </span>
        </span>
      </label>
      {ownKeys ? (
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label={t("storeClientId")} htmlFor={`${testId}-client-id`}>
            <input
              id={`${testId}-client-id`}
              value={clientId}
              required
              autoComplete="off"
              onChange={(event) => setClientId(event.target.value)}
              className={`${inputClass} font-mono`}
            />
          </Field>
          <Field label={t("storeClientSecret")} htmlFor={`${testId}-client-secret`}>
            <input
              id={`${testId}-client-secret`}
              type="password"
              value={clientSecret}
              required={!hasOwnKeys}
              autoComplete="new-password"
              placeholder={hasOwnKeys ? t("storeSecretKept") : undefined}
              onChange={(event) => setClientSecret(event.target.value)}
              className={inputClass}
            />
          </Field>
          <Field label={t("storeSubscriptionKey")} htmlFor={`${testId}-subscription-key`}>
            <input
              id={`${testId}-subscription-key`}
              type="password"
              value={subscriptionKey}
              required={!hasOwnKeys || clientSecret !== ""}
              autoComplete="new-password"
              placeholder={hasOwnKeys ? t("storeSecretKept") : undefined}
              onChange={(event) => setSubscriptionKey(event.target.value)}
              className={inputClass}
            />
          </Field>
        </div>
      ) : null}
      <ErrorNote error={error} />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={busy} data-testid={`${testId}-submit`}>
          {submitLabel}
        </Button>
        {onCancel ? <Button onClick={onCancel}>{t("cancelEdit")}</Button> : null}
        {done ? (
          <span role="status" className="text-sm font-medium text-success">
            {done}
          </span>
        ) : null}
      </div>
    </form>
  );
}
