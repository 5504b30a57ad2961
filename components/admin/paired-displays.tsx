"use client";

import { useState, type FormEvent } from "react";
import useSWR, { useSWRConfig } from "swr";
import { apiFetch, errorText, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { DeviceView, Page } from "./types";
import { PairedDeviceRow } from "./paired-device-row";
import { Button, ErrorNote, inputClass } from "./ui";

const devicesUrl = (terminalId: string) => `/api/v1/terminals/${encodeURIComponent(terminalId)}/devices`;

/** Pairs a display with this terminal by the code the display shows. */
export function PairForm({ terminalId }: { terminalId: string }) {
  const { t } = useAdminI18n();
  const { mutate } = useSWRConfig();
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [paired, setPaired] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setPaired(false);
    try {
      await apiFetch(`/api/v1/terminals/${encodeURIComponent(terminalId)}/pair`, {
        method: "POST",
        json: { code: code.trim() },
      });
      setPaired(true);
      setCode("");
      void mutate(devicesUrl(terminalId));
      // The display collects its pairing within a few seconds and then connects: look for it
      // sooner than the terminal list's own refresh, so the card does not say "no display" meanwhile.
      for (const delay of [1_500, 3_000, 6_000]) setTimeout(() => void mutate("/api/v1/terminals"), delay);
    } catch (caught) {
      setError(errorText(caught, t("errorGeneric")));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-2" data-testid={`pair-form-${terminalId}`}>
      <h3 className="text-sm font-semibold">{t("pairTitle")}</h3>
      <p className="text-xs text-ink-700/80">{t("pairHint")}</p>
      <label htmlFor={`pair-code-${terminalId}`} className="sr-only">
        {t("pairCode")}
      </label>
      <div className="flex gap-2">
        <input
          id={`pair-code-${terminalId}`}
          data-testid="pair-code-input"
          value={code}
          onChange={(event) => setCode(event.target.value.toUpperCase())}
          placeholder="ABC123"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={12}
          className={`${inputClass} max-w-48 font-mono text-lg tracking-[0.3em] uppercase`}
        />
        <Button type="submit" variant="primary" data-testid="pair-submit" disabled={busy || code.trim().length < 4}>
          {busy ? t("pairing") : t("pair")}
        </Button>
      </div>
      <ErrorNote error={error} />
      {paired ? (
        <p role="status" data-testid="pair-success" className="text-sm font-medium text-success">
          {t("paired")}
        </p>
      ) : null}
    </form>
  );
}

/** The displays paired to this terminal; each can be renamed, and removing one revokes its device cookie. */
export function PairedDevices({ terminalId }: { terminalId: string }) {
  const { t } = useAdminI18n();
  const { data, error, mutate } = useSWR<Page<DeviceView>>(devicesUrl(terminalId), swrFetcher);
  const active = data?.items.filter((device) => !device.revokedAt);
  return (
    <div className="flex flex-col gap-2" data-testid={`paired-devices-${terminalId}`}>
      <h3 className="text-sm font-semibold">{t("pairedDisplaysTitle")}</h3>
      {!data && !error ? <p className="text-xs text-ink-700/80">{t("loading")}</p> : null}
      {error ? <ErrorNote error={errorText(error, t("errorGeneric"))} /> : null}
      {active && active.length === 0 ? (
        <p className="text-xs text-ink-700/80" data-testid="no-paired-devices">
          {t("noPairedDisplays")}
        </p>
      ) : null}
      {active && active.length > 0 ? (
        <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200">
          {active.map((device) => (
            <PairedDeviceRow
              key={device.id}
              device={device}
              onRename={async (label) => {
                await apiFetch(`${devicesUrl(terminalId)}/${encodeURIComponent(device.id)}`, {
                  method: "PATCH",
                  json: { label },
                });
                await mutate();
              }}
              onRevoke={async () => {
                await apiFetch(`${devicesUrl(terminalId)}/${encodeURIComponent(device.id)}`, { method: "DELETE" });
                await mutate();
              }}
            />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
