"use client";

import { type FormEvent, useState } from "react";
import useSWR from "swr";
import { apiFetch, errorText, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import { Button, Card, ErrorNote, PageTitle, TextField } from "./ui";

interface SessionItem {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  device: string;
}

/** The signed-in member's sessions, each of which can be ended; and enrolling this browser as a till. */
export function SessionsView() {
  const { t, dateTime } = useAdminI18n();
  const sessions = useSWR<{ items: SessionItem[] }>("/api/v1/me/sessions", swrFetcher);
  const [label, setLabel] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The admin's own format: a 24-hour clock in every language.
  const when = dateTime;

  const end = async (session: SessionItem) => {
    setError(null);
    try {
      await apiFetch(`/api/v1/me/sessions/${session.id}`, { method: "DELETE" });
      if (session.current) window.location.assign("/admin/login");
      else await sessions.mutate();
    } catch (failure) {
      setError(errorText(failure, t("errorGeneric")));
    }
  };
  const enrol = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await apiFetch("/api/admin/till", { method: "POST", json: { label } });
      setNotice(t("tillEnrolled", { label }));
      setLabel("");
    } catch (failure) {
      setError(errorText(failure, t("errorGeneric")));
    }
  };

  return (
    <div>
      <PageTitle>{t("sessionsTitle")}</PageTitle>
      <ErrorNote error={error} />
      <Card className="mb-5">
        <ul className="divide-y divide-stone-200" data-testid="session-list">
          {sessions.data?.items.map((session) => (
            <li key={session.id} className="flex flex-wrap items-center gap-3 py-3">
              <div className="min-w-48 flex-1">
                <p className="font-medium break-all">
                  {session.device}
                  {session.current ? ` · ${t("sessionCurrent")}` : ""}
                </p>
                <p className="text-sm text-ink-700">
                  {t("sessionTimes", { created: when(session.createdAt), seen: when(session.lastSeenAt) })}
                </p>
              </div>
              <Button variant="danger" onClick={() => void end(session)}>
                {t("sessionEnd")}
              </Button>
            </li>
          ))}
        </ul>
      </Card>
      <Card>
        <h2 className="mb-2 font-semibold">{t("tillEnrolTitle")}</h2>
        <p className="mb-3 text-sm text-ink-700">{t("tillEnrolIntro")}</p>
        {notice ? (
          <p role="status" className="mb-3 text-sm font-medium">
            {notice}
          </p>
        ) : null}
        <form onSubmit={enrol} className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-end">
          <TextField id="till-label" label={t("tillLabel")} required value={label} onChange={setLabel} />
          <Button type="submit" variant="primary">
            {t("tillEnrol")}
          </Button>
        </form>
      </Card>
    </div>
  );
}
