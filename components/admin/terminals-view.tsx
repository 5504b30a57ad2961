"use client";

import { useState, type FormEvent } from "react";
import useSWR, { useSWRConfig } from "swr";
import { LANGUAGE_NAMES } from "@/lib/i18n/locale";
import { nextFreeTerminalId, TERMINAL_ID_PATTERN } from "@/lib/entities/terminal-ids";
import { LANGUAGES, type Language } from "@/lib/sales/types";
import { ApiError, apiFetch, errorText, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { DeviceView, Page, TerminalView } from "./types";
import { Button, Card, ErrorNote, Field, PageTitle, inputClass } from "./ui";

export function TerminalsView() {
  const { t } = useAdminI18n();
  // Refreshed every few seconds so each display's health shows live.
  const { data, mutate } = useSWR<Page<TerminalView>>("/api/v1/terminals", swrFetcher, { refreshInterval: 5_000 });
  return (
    <div>
      <PageTitle>{t("terminalsTitle")}</PageTitle>
      {!data ? <p className="text-sm text-ink-700">{t("loading")}</p> : null}
      <div className="flex flex-col gap-5">
        {data?.items.map((terminal) => (
          <TerminalCard key={terminal.id} terminal={terminal} onSaved={() => void mutate()} />
        ))}
        {data ? <AddTerminalForm terminals={data.items} onAdded={() => mutate()} /> : null}
      </div>
    </div>
  );
}

/** A second counter: a new terminal with its own display link. Currency follows the shop's first terminal. */
function AddTerminalForm({ terminals, onAdded }: { terminals: TerminalView[]; onAdded: () => Promise<unknown> }) {
  const { t } = useAdminI18n();
  const template = terminals[0];
  const [name, setName] = useState("");
  const [terminalId, setTerminalId] = useState("");
  const [language, setLanguage] = useState<Language>(template?.language ?? "nb");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [idError, setIdError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const suggestedId = nextFreeTerminalId(terminals.map((terminal) => terminal.id));
  const trimmedId = terminalId.trim();
  const idLooksWrong = trimmedId !== "" && !TERMINAL_ID_PATTERN.test(trimmedId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setIdError(null);
    setAdded(null);
    try {
      const created = await apiFetch<TerminalView>("/api/v1/terminals", {
        method: "POST",
        json: {
          name: name.trim(),
          ...(trimmedId ? { id: trimmedId } : {}),
          language,
          ...(template ? { currency: template.currency } : {}),
        },
      });
      await onAdded();
      setAdded(t("terminalAdded", { name: created.name }));
      setName("");
      setTerminalId("");
    } catch (caught) {
      // A taken or malformed id is shown at the id field; anything else under the form.
      if (caught instanceof ApiError && caught.problem.errors?.some((e) => e.field === "id"))
        setIdError(caught.message);
      else setError(errorText(caught, t("errorGeneric")));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card>
      <h2 className="text-lg font-semibold">{t("addTerminalTitle")}</h2>
      <p className="mt-1 mb-4 text-sm text-ink-700/80">{t("addTerminalHint")}</p>
      <form onSubmit={submit} className="flex flex-col gap-4" data-testid="add-terminal-form">
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <Field label={t("name")} htmlFor="add-terminal-name">
            <input
              id="add-terminal-name"
              data-testid="add-terminal-name"
              value={name}
              required
              maxLength={60}
              onChange={(event) => setName(event.target.value)}
              className={inputClass}
            />
          </Field>
          <Field
            label={t("terminalId")}
            htmlFor="add-terminal-id"
            hint={t("terminalIdHint", { id: suggestedId })}
            error={idError ?? (idLooksWrong ? t("terminalIdInvalid") : null)}
          >
            <input
              id="add-terminal-id"
              data-testid="add-terminal-id"
              value={terminalId}
              maxLength={32}
              placeholder={suggestedId}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              aria-invalid={idLooksWrong || idError ? true : undefined}
              onChange={(event) => {
                setTerminalId(event.target.value.toLowerCase());
                setIdError(null);
              }}
              className={`${inputClass} font-mono`}
            />
          </Field>
          <Field label={t("displayLanguage")} htmlFor="add-terminal-language">
            <LanguageSelect
              id="add-terminal-language"
              testId="add-terminal-language"
              value={language}
              onChange={setLanguage}
            />
          </Field>
        </div>
        <ErrorNote error={error} />
        <div className="flex flex-wrap items-center gap-3">
          <Button
            type="submit"
            variant="primary"
            data-testid="add-terminal-submit"
            disabled={busy || name.trim() === "" || idLooksWrong}
          >
            {busy ? t("addingTerminal") : t("addTerminal")}
          </Button>
          {added ? (
            <span role="status" data-testid="add-terminal-success" className="text-sm font-medium text-success">
              {added}
            </span>
          ) : null}
        </div>
      </form>
    </Card>
  );
}

function TerminalCard({ terminal, onSaved }: { terminal: TerminalView; onSaved: () => void }) {
  const { t } = useAdminI18n();
  const [name, setName] = useState(terminal.name);
  const [posId, setPosId] = useState(terminal.posId);
  const [language, setLanguage] = useState<Language>(terminal.language);
  const [chime, setChime] = useState(terminal.chime);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dirty =
    name !== terminal.name || posId !== terminal.posId || language !== terminal.language || chime !== terminal.chime;

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    setMessage(null);
    try {
      await apiFetch(`/api/v1/terminals/${encodeURIComponent(terminal.id)}`, {
        method: "PATCH",
        json: { name: name.trim(), posId: posId.trim(), language, chime },
      });
      setMessage(t("saved"));
      onSaved();
    } catch (caught) {
      setError(errorText(caught, t("errorGeneric")));
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
            <input
              id={id("name")}
              value={name}
              maxLength={60}
              onChange={(event) => setName(event.target.value)}
              className={inputClass}
            />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t("posId")} htmlFor={id("pos")}>
              <input
                id={id("pos")}
                value={posId}
                maxLength={50}
                onChange={(event) => setPosId(event.target.value)}
                className={`${inputClass} font-mono`}
              />
            </Field>
            <Field label={t("displayLanguage")} htmlFor={id("language")}>
              <LanguageSelect
                id={id("language")}
                testId={`terminal-language-${terminal.id}`}
                value={language}
                onChange={setLanguage}
              />
            </Field>
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              data-testid={`terminal-chime-${terminal.id}`}
              checked={chime}
              onChange={(event) => setChime(event.target.checked)}
              className="h-4 w-4 accent-brand-dark"
            />
            {t("chimeSetting")}
          </label>
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
          <DisplaysHealth terminal={terminal} />
          <DisplayLink
            url={terminal.displayUrl}
            terminalId={terminal.id}
            terminalName={terminal.name}
            onReplaced={onSaved}
          />
          <PairForm terminalId={terminal.id} />
          <PairedDevices terminalId={terminal.id} />
        </div>
      </div>
    </Card>
  );
}

/** Which customer displays are connected: by a dot and by words, so colour is never the only sign. */
function DisplaysHealth({ terminal }: { terminal: TerminalView }) {
  const { t, language } = useAdminI18n();
  const time = (iso: string) => new Date(iso).toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit" });
  return (
    <section aria-labelledby={`displays-${terminal.id}`} data-testid={`displays-${terminal.id}`}>
      <h3 id={`displays-${terminal.id}`} className="mb-2 text-sm font-semibold">
        {t("displaysTitle")}
      </h3>
      {terminal.displays.length === 0 ? <p className="text-sm text-ink-700">{t("displaysNone")}</p> : null}
      <ul className="flex flex-col gap-2">
        {terminal.displays.map((display) => (
          <li
            key={display.id}
            className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm"
            data-testid="display-health"
            data-online={display.online}
          >
            <span
              aria-hidden="true"
              className={`inline-block h-2.5 w-2.5 rounded-full ${display.online ? "bg-success" : "bg-stone-400"}`}
            />
            <span className="font-medium">
              {display.online ? t("displayOnline") : t("displayOffline", { time: time(display.lastSeenAt) })}
            </span>
            <span className="text-ink-700">
              {display.kind === "paired" ? t("displayKindPaired") : t("displayKindLink")}
              {display.screen ? ` · ${display.screen}` : ""}
            </span>
            <span className="w-full truncate font-mono text-xs text-ink-700" title={display.userAgent}>
              {display.userAgent}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function DisplayLink({
  url,
  terminalId,
  terminalName,
  onReplaced,
}: {
  url: string;
  terminalId: string;
  terminalName: string;
  onReplaced: () => void;
}) {
  const { t } = useAdminI18n();
  const [copied, setCopied] = useState(false);
  const [replacing, setReplacing] = useState(false);
  const [replaced, setReplaced] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function replace() {
    if (!window.confirm(t("confirmNewDisplayLink", { name: terminalName }))) return;
    setReplacing(true);
    setReplaced(false);
    setError(null);
    try {
      await apiFetch(`/api/v1/terminals/${encodeURIComponent(terminalId)}/display-link`, { method: "POST" });
      setReplaced(true);
      onReplaced();
    } catch (caught) {
      setError(errorText(caught, t("errorGeneric")));
    } finally {
      setReplacing(false);
    }
  }
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
      {/* The link keeps a readable width: on a narrow screen the buttons wrap below it. */}
      <div className="flex flex-wrap gap-2">
        <input
          id={`display-link-${terminalId}`}
          data-testid={`display-link-${terminalId}`}
          readOnly
          value={url}
          onFocus={(event) => event.currentTarget.select()}
          className={`${inputClass} min-w-0 flex-[1_1_16rem] font-mono text-xs`}
        />
        <div className="flex gap-2">
          <Button
            onClick={() => void copy()}
            data-testid={`display-link-copy-${terminalId}`}
            className="whitespace-nowrap"
          >
            {copied ? t("copied") : t("copy")}
          </Button>
          <a
            href={url}
            target="_blank"
            rel="noreferrer"
            className="inline-flex items-center rounded-lg px-3 text-sm font-semibold whitespace-nowrap text-brand-dark hover:underline"
          >
            {t("open")}
          </a>
          <Button
            variant="ghost"
            className="px-3 whitespace-nowrap"
            data-testid="rotate-display-link"
            data-terminal-id={terminalId}
            disabled={replacing}
            onClick={() => void replace()}
          >
            {replacing ? t("newDisplayLinkWorking") : t("newDisplayLink")}
          </Button>
        </div>
      </div>
      <p className="text-xs text-ink-700/80">{t("displayLinkHint")}</p>
      <ErrorNote error={error} />
      {replaced ? (
        <p role="status" data-testid="display-link-replaced" className="text-sm font-medium text-success">
          {t("displayLinkReplaced")}
        </p>
      ) : null}
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
      await apiFetch(`/api/v1/terminals/${encodeURIComponent(terminalId)}/pair`, {
        method: "POST",
        json: { code: code.trim() },
      });
      setPaired(true);
      setCode("");
      void mutate(devicesUrl(terminalId));
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

/** The displays paired to this terminal; removing one revokes its device cookie. */
function PairedDevices({ terminalId }: { terminalId: string }) {
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
      setError(errorText(caught, t("errorGeneric")));
      setBusy(false);
    }
  }

  return (
    <li
      data-testid="paired-device"
      data-device-id={device.id}
      className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2"
    >
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

function LanguageSelect(props: {
  id: string;
  testId: string;
  value: Language;
  onChange: (language: Language) => void;
}) {
  return (
    <select
      id={props.id}
      data-testid={props.testId}
      value={props.value}
      onChange={(event) => props.onChange(event.target.value as Language)}
      className={inputClass}
    >
      {LANGUAGES.map((code) => (
        <option key={code} value={code}>
          {LANGUAGE_NAMES[code]}
        </option>
      ))}
    </select>
  );
}
