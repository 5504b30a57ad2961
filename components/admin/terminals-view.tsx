"use client";

import { useState, type FormEvent } from "react";
import useSWR, { useSWRConfig } from "swr";
import { LANGUAGE_NAMES } from "@/lib/i18n/locale";
import { LANGUAGES, type Language } from "@/lib/sales/types";
import { ApiError, apiFetch, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { DeviceView, Page, TerminalView } from "./types";
import { Button, Card, ErrorNote, Field, PageTitle, inputClass } from "./ui";

export function TerminalsView() {
  const { t } = useAdminI18n();
  const { data, mutate } = useSWR<Page<TerminalView>>("/api/v1/terminals", swrFetcher);
  return (
    <div>
      <PageTitle>{t("terminalsTitle")}</PageTitle>
      {!data ? <p className="text-sm text-ink-700">{t("loading")}</p> : null}
      <div className="flex flex-col gap-5">
        {data?.items.map((terminal) => (
          <TerminalCard key={terminal.id} terminal={terminal} onSaved={() => void mutate()} />
        ))}
      </div>
    </div>
  );
}

function TerminalCard({ terminal, onSaved }: { terminal: TerminalView; onSaved: () => void }) {
  const { t } = useAdminI18n();
  const [name, setName] = useState(terminal.name);
  const [posId, setPosId] = useState(terminal.posId);
  const [language, setLanguage] = useState<Language>(terminal.language);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dirty = name !== terminal.name || posId !== terminal.posId || language !== terminal.language;

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    setMessage(null);
    try {
      await apiFetch(`/api/v1/terminals/${encodeURIComponent(terminal.id)}`, {
        method: "PATCH",
        json: { name: name.trim(), posId: posId.trim(), language },
      });
      setMessage(t("saved"));
      onSaved();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t("errorGeneric"));
    } finally {
      setSaving(false);
    }
  }

  const id = (field: string) => `terminal-${terminal.id}-${field}`;
  return (
    <Card>
      <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold">{terminal.name}</h2>
        <span className="font-mono text-xs text-ink-700">{terminal.id}</span>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <form onSubmit={save} className="flex flex-col gap-4" data-testid={`terminal-form-${terminal.id}`}>
          <Field label={t("name")} htmlFor={id("name")}>
            <input id={id("name")} value={name} maxLength={60} onChange={(event) => setName(event.target.value)} className={inputClass} />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t("posId")} htmlFor={id("pos")}>
              <input id={id("pos")} value={posId} maxLength={50} onChange={(event) => setPosId(event.target.value)} className={`${inputClass} font-mono`} />
            </Field>
            <Field label={t("displayLanguage")} htmlFor={id("language")}>
              <select
                id={id("language")}
                data-testid={`terminal-language-${terminal.id}`}
                value={language}
                onChange={(event) => setLanguage(event.target.value as Language)}
                className={inputClass}
              >
                {LANGUAGES.map((code) => (
                  <option key={code} value={code}>
                    {LANGUAGE_NAMES[code]}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <ErrorNote error={error} />
          <div className="flex items-center gap-3">
            <Button type="submit" variant="primary" disabled={!dirty || saving}>
              {saving ? t("saving") : t("save")}
            </Button>
            {message ? (
              <span role="status" className="text-sm font-medium text-success">
                {message}
              </span>
            ) : null}
          </div>
        </form>
        <div className="flex flex-col gap-6 lg:border-l lg:border-stone-200 lg:pl-6">
          <DisplayLink url={terminal.displayUrl} terminalId={terminal.id} />
          <PairForm terminalId={terminal.id} />
          <PairedDevices terminalId={terminal.id} />
        </div>
      </div>
    </Card>
  );
}

function DisplayLink({ url, terminalId }: { url: string; terminalId: string }) {
  const { t } = useAdminI18n();
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // Clipboard access needs a secure context; fall back to selecting the text for the cashier.
      const input = document.getElementById(`display-link-${terminalId}`) as HTMLInputElement | null;
      input?.select();
      document.execCommand?.("copy");
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2_000);
  }
  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={`display-link-${terminalId}`} className="text-sm font-medium text-ink-800">
        {t("displayLink")}
      </label>
      <div className="flex gap-2">
        <input
          id={`display-link-${terminalId}`}
          data-testid={`display-link-${terminalId}`}
          readOnly
          value={url}
          onFocus={(event) => event.currentTarget.select()}
          className={`${inputClass} min-w-0 font-mono text-xs`}
        />
        <Button onClick={() => void copy()} data-testid={`display-link-copy-${terminalId}`}>
          {copied ? t("copied") : t("copy")}
        </Button>
        <a
          href={url}
          target="_blank"
          rel="noreferrer"
          className="inline-flex items-center rounded-lg px-3 text-sm font-semibold text-brand-dark hover:underline"
        >
          {t("open")}
        </a>
      </div>
      <p className="text-xs text-ink-700/80">{t("displayLinkHint")}</p>
    </div>
  );
}

const devicesUrl = (terminalId: string) => `/api/v1/terminals/${encodeURIComponent(terminalId)}/devices`;

function PairForm({ terminalId }: { terminalId: string }) {
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
      await apiFetch(`/api/v1/terminals/${encodeURIComponent(terminalId)}/pair`, { method: "POST", json: { code: code.trim() } });
      setPaired(true);
      setCode("");
      void mutate(devicesUrl(terminalId));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t("errorGeneric"));
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

/** The displays paired to this terminal; removing one revokes its device cookie. */
function PairedDevices({ terminalId }: { terminalId: string }) {
  const { t } = useAdminI18n();
  const { data, error, mutate } = useSWR<Page<DeviceView>>(devicesUrl(terminalId), swrFetcher);
  const active = data?.items.filter((device) => !device.revokedAt);
  return (
    <div className="flex flex-col gap-2" data-testid={`paired-devices-${terminalId}`}>
      <h3 className="text-sm font-semibold">{t("pairedDisplaysTitle")}</h3>
      {!data && !error ? <p className="text-xs text-ink-700/80">{t("loading")}</p> : null}
      {error ? <ErrorNote error={error instanceof ApiError ? error.message : t("errorGeneric")} /> : null}
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

function PairedDeviceRow({ device, onRevoke }: { device: DeviceView; onRevoke: () => Promise<void> }) {
  const { t, dateTime } = useAdminI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function revoke() {
    if (!window.confirm(t("confirmRemoveDisplay", { name: device.label }))) return;
    setBusy(true);
    setError(null);
    try {
      await onRevoke();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t("errorGeneric"));
      setBusy(false);
    }
  }

  return (
    <li data-testid="paired-device" data-device-id={device.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2">
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-medium">{device.label}</p>
        <p className="text-xs text-ink-700/80">{t("pairedOn", { date: dateTime(device.createdAt) })}</p>
      </div>
      <Button
        variant="ghost"
        className="px-3 py-1.5 text-danger"
        data-testid="revoke-device"
        disabled={busy}
        onClick={() => void revoke()}
      >
        {busy ? t("removingDisplay") : t("removeDisplay")}
      </Button>
      {error ? (
        <div className="w-full">
          <ErrorNote error={error} />
        </div>
      ) : null}
    </li>
  );
}
