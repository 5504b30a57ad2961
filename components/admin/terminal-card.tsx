"use client";

import { useState, type FormEvent } from "react";
import type { Language } from "@/lib/sales/types";
import { apiFetch, errorText } from "./api";
import { LOCALE_BY_LANGUAGE } from "@/lib/i18n/locale";
import { useAdminI18n } from "./i18n";
import { describeUserAgent } from "./user-agent";
import type { TerminalView } from "./types";
import { Button, Card, ErrorNote, Field, inputClass } from "./ui";
import { DisplayLink } from "./display-link";
import { LanguageSelect } from "./language-select";
import { PairForm, PairedDevices } from "./paired-displays";

/** One terminal: its name, POS id, display language and chime, and the customer displays that show it. */
export function TerminalCard({ terminal, onSaved }: { terminal: TerminalView; onSaved: () => void }) {
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
          <section aria-labelledby={`sticker-${terminal.id}`}>
            <h3 id={`sticker-${terminal.id}`} className="mb-1 text-sm font-semibold">
              {t("stickerSection")}
            </h3>
            <p className="mb-2 text-sm text-ink-700">{t("stickerHint")}</p>
            <a
              href={`/admin/print/stickers/${encodeURIComponent(terminal.id)}`}
              target="_blank"
              rel="noopener"
              data-testid={`sticker-link-${terminal.id}`}
              className="text-sm font-semibold text-brand-dark hover:underline"
            >
              {t("stickerPrintLink")}
            </a>
          </section>
        </div>
      </div>
    </Card>
  );
}

/** Which customer displays are connected: by a dot and by words, so colour is never the only sign. */
function DisplaysHealth({ terminal }: { terminal: TerminalView }) {
  const { t, language } = useAdminI18n();
  // The 24-hour clock in every language, as the rest of the admin: "en" alone would mean 2:05 PM.
  const time = (iso: string) =>
    new Date(iso).toLocaleTimeString(LOCALE_BY_LANGUAGE[language], {
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
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
            </span>
            <span
              className="w-full truncate text-xs text-ink-700"
              title={display.userAgent}
              data-testid="display-device"
            >
              {[describeUserAgent(display.userAgent), display.screen?.replace("x", "×")].filter(Boolean).join(", ")}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
