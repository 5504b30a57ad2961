"use client";

import { useEffect, useState, type FormEvent } from "react";
import useSWR from "swr";
import type { CloseListView, ClosePreviewView, CloseScheduleView, TerminalCloseView } from "@/lib/contracts/closes";
import { apiFetch, errorText, swrFetcher } from "./api";
import { CloseFigures } from "./close-figures";
import { useAdminI18n } from "./i18n";
import type { TerminalView } from "./types";
import { Button, Card, ErrorNote, Field, inputClass, PageTitle } from "./ui";

/** Each terminal's day closes: the X report since the last close, closing the day, the automatic close and the history. */
export function ClosesView() {
  const { t } = useAdminI18n();
  const { data: terminals } = useSWR<{ items: TerminalView[] }>("/api/v1/terminals", swrFetcher);
  const [terminalId, setTerminalId] = useState<string | null>(null);
  const terminal = terminals?.items.find((item) => item.id === terminalId) ?? terminals?.items[0];

  return (
    <div className="max-w-4xl">
      <PageTitle>{t("closesTitle")}</PageTitle>
      <p className="-mt-2 mb-4 max-w-2xl text-sm text-ink-700">{t("closesHint")}</p>
      {!terminals ? (
        <p className="text-sm text-ink-700">{t("loading")}</p>
      ) : (
        <>
          {terminals.items.length > 1 ? (
            <fieldset className="mb-4 flex flex-wrap gap-2">
              <legend className="sr-only">{t("terminal")}</legend>
              {terminals.items.map((item) => (
                <Button
                  key={item.id}
                  variant={item.id === terminal?.id ? "primary" : "secondary"}
                  aria-pressed={item.id === terminal?.id}
                  onClick={() => setTerminalId(item.id)}
                >
                  {item.name}
                </Button>
              ))}
            </fieldset>
          ) : null}
          {terminal ? <TerminalCloses key={terminal.id} terminal={terminal} /> : null}
        </>
      )}
    </div>
  );
}

function TerminalCloses({ terminal }: { terminal: TerminalView }) {
  const { t, dateTime } = useAdminI18n();
  const base = `/api/v1/terminals/${encodeURIComponent(terminal.id)}/closes`;
  const preview = useSWR<ClosePreviewView>(`${base}/preview`, swrFetcher, { refreshInterval: 10_000 });
  const history = useSWR<CloseListView>(base, swrFetcher);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function closeDay() {
    if (!preview.data) return;
    if (!window.confirm(t("confirmClose", { terminal: terminal.name, number: preview.data.number }))) return;
    setBusy(true);
    setError(null);
    try {
      await apiFetch<TerminalCloseView>(base, { method: "POST" });
      await Promise.all([preview.mutate(), history.mutate()]);
    } catch (caught) {
      setError(errorText(caught, t("errorGeneric")));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-5">
      <Card>
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 className="text-base font-semibold">{t("closePreview")}</h2>
            {preview.data ? (
              <p className="text-xs text-ink-700">
                {t("closePeriod", { from: dateTime(preview.data.openedAt), to: dateTime(preview.data.closedAt) })}
              </p>
            ) : null}
          </div>
          <Button variant="primary" onClick={closeDay} disabled={busy || !preview.data} data-testid="close-day">
            {busy ? t("closing") : t("closeNow")}
          </Button>
        </div>
        <div className="mt-4 max-w-md" data-testid="close-preview">
          {preview.data ? <CloseFigures close={preview.data} /> : <p className="text-sm">{t("loading")}</p>}
        </div>
        <ErrorNote error={error} />
      </Card>
      <AutoClose terminal={terminal} />
      <Card>
        <h2 className="text-base font-semibold">{t("closeHistory")}</h2>
        {history.data && history.data.items.length === 0 ? (
          <p className="mt-2 text-sm text-ink-700">{t("noCloses")}</p>
        ) : null}
        <ul className="mt-3 divide-y divide-stone-200" data-testid="close-history">
          {history.data?.items.map((close) => (
            <li key={close.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <div>
                <p className="font-semibold">{t("closeNumber", { number: close.number })}</p>
                <p className="text-xs text-ink-700">
                  {t("closePeriod", { from: dateTime(close.openedAt), to: dateTime(close.closedAt) })}
                </p>
              </div>
              <div className="flex items-center gap-2">
                <a
                  className="rounded-lg border border-stone-300 px-3 py-1.5 text-sm font-semibold hover:bg-stone-100"
                  href={`/admin/print/closes/${encodeURIComponent(close.id)}`}
                  target="_blank"
                  rel="noreferrer"
                >
                  {t("closePrint")}
                </a>
                <a
                  className="rounded-lg border border-stone-300 px-3 py-1.5 text-sm font-semibold hover:bg-stone-100"
                  href={`/api/v1/closes/${encodeURIComponent(close.id)}.csv`}
                >
                  {t("closeCsv")}
                </a>
              </div>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

function AutoClose({ terminal }: { terminal: TerminalView }) {
  const { t, dateTime } = useAdminI18n();
  const url = `/api/v1/terminals/${encodeURIComponent(terminal.id)}/closes/schedule`;
  const { data, mutate } = useSWR<CloseScheduleView>(url, swrFetcher);
  const [time, setTime] = useState("");
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setTime(data?.time ?? ""), [data]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await mutate(await apiFetch<CloseScheduleView>(url, { method: "PUT", json: { time: time || null } }), {
        revalidate: false,
      });
    } catch (caught) {
      setError(errorText(caught, t("errorGeneric")));
    }
  }

  if (!data) return null;
  return (
    <Card>
      <form onSubmit={save} className="flex flex-wrap items-end gap-3" data-testid="auto-close">
        <Field label={t("autoCloseLabel")} htmlFor="auto-close-time" hint={t("autoCloseHint", { zone: data.timeZone })}>
          <input
            id="auto-close-time"
            type="time"
            value={time}
            onChange={(event) => setTime(event.target.value)}
            className={`${inputClass} w-36`}
          />
        </Field>
        <Button type="submit">{t("save")}</Button>
      </form>
      {data.nextCloseAt ? (
        <p className="mt-2 text-xs text-ink-700">{t("autoCloseNext", { time: dateTime(data.nextCloseAt) })}</p>
      ) : null}
      <ErrorNote error={error} />
    </Card>
  );
}
