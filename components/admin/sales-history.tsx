"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import useSWR from "swr";
import useSWRInfinite from "swr/infinite";
import { LOCALE_BY_LANGUAGE } from "@/lib/i18n/locale";
import { SALE_STATES, type SaleState } from "@/lib/sales/types";
import { swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { Page, SaleView, SettingsView, SummaryItem, TerminalView } from "./types";
import { Button, PageTitle, StateBadge, inputClass } from "./ui";

type Period = "today" | "week" | "month" | "all";

/** Start of the period in the cashier's own time zone ("today" is the shop's day, not UTC's). */
function periodStart(period: Period): string | undefined {
  if (period === "all") return undefined;
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  if (period === "week") start.setDate(start.getDate() - 6);
  if (period === "month") start.setDate(start.getDate() - 29);
  return start.toISOString();
}

export function SalesHistory() {
  const { t, money, dateTime, stateLabel } = useAdminI18n();
  const [terminalId, setTerminalId] = useState("");
  const [state, setState] = useState<SaleState | "">("");
  const [period, setPeriod] = useState<Period>("today");

  const { data: terminals } = useSWR<Page<TerminalView>>("/api/v1/terminals", swrFetcher);
  const terminalName = (id: string) => terminals?.items.find((item) => item.id === id)?.name ?? id;

  const filter = useMemo(() => {
    const params = new URLSearchParams();
    if (terminalId) params.set("terminalId", terminalId);
    const from = periodStart(period);
    if (from) params.set("from", from);
    return params;
  }, [terminalId, period]);

  const listParams = useMemo(() => {
    const params = new URLSearchParams(filter);
    if (state) params.set("state", state);
    params.set("limit", "50");
    return params;
  }, [filter, state]);

  const {
    data: pages,
    size,
    setSize,
    isValidating,
  } = useSWRInfinite<Page<SaleView>>(
    (index, previous) => {
      if (previous && !previous.nextCursor) return null;
      const params = new URLSearchParams(listParams);
      if (index > 0 && previous?.nextCursor) params.set("cursor", previous.nextCursor);
      return `/api/v1/sales?${params}`;
    },
    swrFetcher,
    { refreshInterval: 10_000 },
  );
  const sales = pages?.flatMap((page) => page.items) ?? [];
  const hasMore = !!pages?.[pages.length - 1]?.nextCursor;

  const { data: summary } = useSWR<{ items: SummaryItem[] }>(`/api/v1/sales/summary?${filter}`, swrFetcher, {
    refreshInterval: 10_000,
  });
  const exportParams = new URLSearchParams(listParams);
  exportParams.delete("limit");

  return (
    <div>
      <PageTitle
        actions={
          <a
            href={`/api/v1/sales/export.csv?${exportParams}`}
            data-testid="sales-export"
            className="inline-flex items-center rounded-lg border border-stone-300 bg-white px-4 py-2.5 text-sm font-semibold hover:bg-stone-100"
            download
          >
            {t("exportCsv")}
          </a>
        }
      >
        {t("salesTitle")}
      </PageTitle>

      <div className="mb-5 grid gap-3 sm:grid-cols-3">
        <FilterSelect
          id="filter-period"
          label={t("filterPeriod")}
          value={period}
          onChange={(value) => setPeriod(value as Period)}
        >
          <option value="today">{t("periodToday")}</option>
          <option value="week">{t("periodWeek")}</option>
          <option value="month">{t("periodMonth")}</option>
          <option value="all">{t("periodAll")}</option>
        </FilterSelect>
        <FilterSelect id="filter-terminal" label={t("filterTerminal")} value={terminalId} onChange={setTerminalId}>
          <option value="">{t("allTerminals")}</option>
          {terminals?.items.map((item) => (
            <option key={item.id} value={item.id}>
              {item.name}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect
          id="filter-state"
          label={t("filterState")}
          value={state}
          onChange={(value) => setState(value as SaleState | "")}
        >
          <option value="">{t("allStates")}</option>
          {SALE_STATES.map((value) => (
            <option key={value} value={value}>
              {stateLabel(value)}
            </option>
          ))}
        </FilterSelect>
      </div>

      <AwaitingCapture terminalName={terminalName} />

      {summary && summary.items.length > 0 ? (
        <section aria-label={t("totalsPerState")} className="mb-5">
          <ul data-testid="sales-summary" className="flex flex-wrap gap-2">
            {summary.items.map((item) => (
              <li key={`${item.state}-${item.currency}`}>
                <button
                  type="button"
                  onClick={() => setState(state === item.state ? "" : item.state)}
                  aria-pressed={state === item.state}
                  className={`flex items-center gap-3 rounded-xl border bg-white px-3.5 py-2.5 text-left shadow-sm transition hover:border-stone-400 ${
                    state === item.state ? "border-ink-900 ring-1 ring-ink-900" : "border-stone-200"
                  }`}
                >
                  <StateBadge state={item.state} />
                  <span className="text-sm">
                    <span className="font-semibold tabular-nums">{item.count}</span>
                    <span className="text-ink-700"> · </span>
                    <span className="font-semibold tabular-nums">{money(item.amount, item.currency)}</span>
                    {item.refunded > 0 ? (
                      <span data-testid="summary-net" className="block text-xs text-ink-700 tabular-nums">
                        {t("netOf", { amount: money(item.net, item.currency) })}
                      </span>
                    ) : null}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <div className="overflow-hidden rounded-2xl border border-stone-200 bg-white shadow-sm">
        {sales.length === 0 ? (
          <p className="p-6 text-sm text-ink-700">{pages ? t("noSales") : t("loading")}</p>
        ) : (
          <>
            {/* Table on wide screens, cards on phones. */}
            <table className="hidden w-full text-sm md:table">
              <thead className="bg-stone-50 text-left text-xs tracking-wider text-ink-700 uppercase">
                <tr>
                  <th className="px-4 py-3 font-semibold">{t("columnTime")}</th>
                  <th className="px-4 py-3 font-semibold">{t("columnReceipt")}</th>
                  <th className="px-4 py-3 font-semibold">{t("columnTerminal")}</th>
                  <th className="px-4 py-3 font-semibold">{t("columnDescription")}</th>
                  <th className="px-4 py-3 text-right font-semibold">{t("columnAmount")}</th>
                  <th className="px-4 py-3 font-semibold">{t("columnState")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {sales.map((sale) => (
                  <tr key={sale.id} data-testid="sales-row" className="group hover:bg-stone-50">
                    <td className="px-4 py-3 whitespace-nowrap text-ink-700">{dateTime(sale.createdAt)}</td>
                    <td className="px-4 py-3 font-medium">
                      <Link
                        href={`/admin/sales/${encodeURIComponent(sale.id)}`}
                        className="text-brand-dark hover:underline"
                      >
                        {sale.receiptNumber}
                      </Link>
                    </td>
                    <td className="px-4 py-3">{terminalName(sale.terminalId)}</td>
                    <td className="max-w-72 truncate px-4 py-3">{sale.description}</td>
                    <td className="px-4 py-3 text-right font-semibold whitespace-nowrap tabular-nums">
                      {money(sale.amount.value, sale.amount.currency)}
                      <NetOf sale={sale} />
                    </td>
                    <td className="px-4 py-3">
                      <StateBadge state={sale.state} partlyRefunded={sale.refundedAmount.value > 0} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <ul className="divide-y divide-stone-100 md:hidden">
              {sales.map((sale) => (
                <li key={sale.id}>
                  <Link
                    href={`/admin/sales/${encodeURIComponent(sale.id)}`}
                    className="flex items-center gap-3 px-4 py-3 hover:bg-stone-50"
                  >
                    <div className="min-w-0 flex-1">
                      <p className="truncate font-medium">
                        {sale.receiptNumber} · {sale.description}
                      </p>
                      <p className="text-xs text-ink-700">
                        {dateTime(sale.createdAt)} · {terminalName(sale.terminalId)}
                      </p>
                    </div>
                    <div className="flex flex-col items-end gap-1">
                      <span className="font-semibold tabular-nums">
                        {money(sale.amount.value, sale.amount.currency)}
                      </span>
                      <NetOf sale={sale} />
                      <StateBadge state={sale.state} partlyRefunded={sale.refundedAmount.value > 0} />
                    </div>
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {hasMore ? (
        <div className="mt-4 flex justify-center">
          <Button disabled={isValidating} onClick={() => void setSize(size + 1)}>
            {t("loadMore")}
          </Button>
        </div>
      ) : null}
    </div>
  );
}

function FilterSelect({
  id,
  label,
  value,
  onChange,
  children,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: React.ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-semibold tracking-wider text-ink-700 uppercase">
        {label}
      </label>
      <select
        id={id}
        data-testid={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className={inputClass}
      >
        {children}
      </select>
    </div>
  );
}

/** A reservation this close to its capture deadline is called out (Vipps cancels it when it passes). */
const DEADLINE_WARNING_MS = 3 * 24 * 60 * 60 * 1000;

/**
 * Approved sales that wait for the cashier's capture, with the date Vipps MobilePay cancels each
 * reservation by. Shown when the shop captures by hand, or whenever one of them is near or past
 * its deadline (a capture that failed with auto-capture on).
 */
function AwaitingCapture({ terminalName }: { terminalName: (id: string) => string }) {
  const { t, money, dateTime, language } = useAdminI18n();
  const { data: settings } = useSWR<SettingsView>("/api/v1/settings", swrFetcher);
  const { data: authorized } = useSWR<Page<SaleView>>("/api/v1/sales?state=authorized&limit=200", swrFetcher, {
    refreshInterval: 10_000,
  });
  const now = Date.now();
  const sales = (authorized?.items ?? [])
    .filter((sale) => sale.captureDeadline)
    .sort((a, b) => Date.parse(a.captureDeadline!) - Date.parse(b.captureDeadline!));
  const urgent = (sale: SaleView) => Date.parse(sale.captureDeadline!) - now <= DEADLINE_WARNING_MS;
  if (!settings || sales.length === 0 || (settings.autoCapture && !sales.some(urgent))) return null;

  const relative = new Intl.RelativeTimeFormat(LOCALE_BY_LANGUAGE[language], { numeric: "always" });
  const untilDeadline = (deadline: string) => {
    const ms = Date.parse(deadline) - now;
    const hours = Math.round(ms / 3_600_000);
    return Math.abs(hours) < 48 ? relative.format(hours, "hour") : relative.format(Math.round(ms / 86_400_000), "day");
  };

  return (
    <section
      aria-labelledby="awaiting-capture-title"
      data-testid="awaiting-capture"
      className="mb-5 rounded-2xl border border-sky-200 bg-sky-50/60 p-4 shadow-sm sm:p-5"
    >
      <h2 id="awaiting-capture-title" className="text-base font-semibold">
        {t("awaitingCaptureTitle")}
      </h2>
      <p className="mt-1 mb-3 max-w-3xl text-sm text-ink-700">{t("awaitingCaptureHint")}</p>
      <ul className="divide-y divide-sky-100 overflow-hidden rounded-xl border border-sky-100 bg-white">
        {sales.map((sale) => {
          const deadline = sale.captureDeadline!;
          const passed = Date.parse(deadline) <= now;
          const soon = !passed && urgent(sale);
          return (
            <li
              key={sale.id}
              data-testid="awaiting-capture-row"
              data-urgent={passed || soon}
              className="flex flex-wrap items-center gap-x-4 gap-y-1.5 px-4 py-3 text-sm"
            >
              <Link
                href={`/admin/sales/${encodeURIComponent(sale.id)}`}
                className="font-medium text-brand-dark hover:underline"
              >
                {sale.receiptNumber}
              </Link>
              <span className="text-ink-700">{terminalName(sale.terminalId)}</span>
              <span className="min-w-0 flex-1 truncate">{sale.description}</span>
              <span className="font-semibold whitespace-nowrap tabular-nums">
                {money(sale.amount.value, sale.amount.currency)}
              </span>
              <span className="whitespace-nowrap">
                <span className="text-ink-700">{t("columnDeadline")} </span>
                <time dateTime={deadline} className="font-medium">
                  {dateTime(deadline)}
                </time>
                <span className="text-ink-700"> ({untilDeadline(deadline)})</span>
              </span>
              {passed || soon ? (
                <span
                  role="status"
                  className={`inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap ring-1 ring-inset ${
                    passed ? "bg-red-100 text-red-900 ring-red-300" : "bg-amber-100 text-amber-900 ring-amber-300"
                  }`}
                >
                  <span aria-hidden>{passed ? "✕" : "⚠"}</span>
                  {passed ? t("deadlinePassed") : t("deadlineSoon")}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Under a sale's amount once part of it went back: what the shop kept. */
function NetOf({ sale }: { sale: SaleView }) {
  const { t, money } = useAdminI18n();
  if (sale.refundedAmount.value === 0 || sale.capturedAmount.value === 0) return null;
  return (
    <span data-testid="sales-row-net" className="block text-xs font-normal text-ink-700">
      {t("netOf", {
        amount: money(sale.capturedAmount.value - sale.refundedAmount.value, sale.capturedAmount.currency),
      })}
    </span>
  );
}
