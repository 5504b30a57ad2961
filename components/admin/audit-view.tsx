"use client";

import { useState } from "react";
import useSWR from "swr";
import type { AuditEntryView } from "@/lib/contracts/staff";
import { swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { Page } from "./types";
import { StorePicker, useMyStores } from "./store-picker";
import { describeUserAgent } from "./user-agent";
import { Card, PageTitle, TextField } from "./ui";

const actorName = (entry: AuditEntryView) =>
  entry.actor.type === "staff" ? entry.actor.username : `${entry.actor.name} (API)`;

/** The audit's entries as a table: when, what, who, on what, in which store (for someone with several), from where. */
export function AuditTable({ items }: { items: AuditEntryView[] }) {
  const { t, dateTime } = useAdminI18n();
  const stores = useMyStores();
  const storeNames = stores.length > 1 ? new Map(stores.map((store) => [store.id, store.name])) : undefined;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="audit-table">
        <thead className="text-ink-700">
          <tr>
            <th className="py-2 pr-3">{t("auditAt")}</th>
            <th className="py-2 pr-3">{t("auditAction")}</th>
            <th className="py-2 pr-3">{t("auditActor")}</th>
            <th className="py-2 pr-3">{t("auditTarget")}</th>
            {storeNames ? <th className="py-2 pr-3">{t("storeLabel")}</th> : null}
            <th className="py-2 pr-3">{t("auditFrom")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-200">
          {items.map((entry) => (
            <tr key={`${entry.at}-${entry.action}-${entry.target}`}>
              <td className="py-2 pr-3 whitespace-nowrap">{dateTime(entry.at)}</td>
              <td className="py-2 pr-3">{entry.action}</td>
              <td className="py-2 pr-3">{actorName(entry)}</td>
              <td className="py-2 pr-3 break-all">{entry.target}</td>
              {storeNames ? (
                <td className="py-2 pr-3" data-testid="audit-store">
                  {entry.storeId ? (storeNames.get(entry.storeId) ?? entry.storeId) : t("auditEveryStore")}
                </td>
              ) : null}
              <td className="py-2 pr-3" title={entry.device ?? undefined}>
                {[describeUserAgent(entry.device), entry.address].filter(Boolean).join(" · ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The Audit page: filters by actor, time and store, and the same as CSV. */
export function AuditView() {
  const { t } = useAdminI18n();
  const [actor, setActor] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [storeId, setStoreId] = useState("");
  const query = new URLSearchParams();
  if (storeId) query.set("storeId", storeId);
  if (actor.trim()) query.set("actor", actor.trim());
  if (from) query.set("from", new Date(from).toISOString());
  if (to) query.set("to", new Date(to).toISOString());
  const audit = useSWR<Page<AuditEntryView>>(`/api/v1/audit?${query}`, swrFetcher);

  return (
    <div>
      <PageTitle
        actions={
          <a className="text-sm font-semibold text-brand-dark underline" href={`/api/v1/audit/export.csv?${query}`}>
            {t("auditCsv")}
          </a>
        }
      >
        {t("auditTitle")}
      </PageTitle>
      <Card className="mb-5">
        <div className="mb-3 max-w-sm empty:hidden">
          <StorePicker value={storeId} onChange={setStoreId} />
        </div>
        <div className="grid gap-3 sm:grid-cols-3">
          <TextField id="audit-actor" label={t("auditActor")} value={actor} onChange={setActor} />
          <TextField id="audit-from" label={t("auditFromTime")} type="datetime-local" value={from} onChange={setFrom} />
          <TextField id="audit-to" label={t("auditToTime")} type="datetime-local" value={to} onChange={setTo} />
        </div>
      </Card>
      <Card>
        <AuditTable items={audit.data?.items ?? []} />
      </Card>
    </div>
  );
}
