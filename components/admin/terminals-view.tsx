"use client";

import useSWR from "swr";
import { swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { Page, TerminalView } from "./types";
import { PageTitle } from "./ui";
import { AddTerminalForm } from "./add-terminal-form";
import { TerminalCard } from "./terminal-card";

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
