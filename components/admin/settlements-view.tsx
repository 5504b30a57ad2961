"use client";

import dynamic from "next/dynamic";
import { useMemo, useState } from "react";
import useSWR from "swr";
import type {
  SettlementDateView,
  SettlementDayView,
  SettlementDifference,
  SettlementList,
} from "@/lib/contracts/settlements";
import type { AdminMessageKey } from "@/lib/i18n/admin-messages";
import { swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { SettlementChartSeries } from "./settlement-chart";
import { StorePicker } from "./store-picker";
import { Button, Card, PageTitle } from "./ui";

// uPlot is loaded with this page only, in the browser: the displays and the other admin pages never fetch it.
const SettlementChart = dynamic(() => import("./settlement-chart"), { ssr: false });

const DAY_MS = 86_400_000;

const STATUS: Record<SettlementDayView["status"], { key: AdminMessageKey; className: string }> = {
  open: { key: "settlementStatusOpen", className: "bg-stone-100 text-ink-900 ring-stone-300" },
  settled: { key: "settlementStatusSettled", className: "bg-emerald-50 text-emerald-900 ring-emerald-300" },
  differences: { key: "settlementStatusDifferences", className: "bg-amber-50 text-amber-950 ring-amber-400" },
};

const DIFFERENCE: Record<SettlementDifference["kind"], AdminMessageKey> = {
  "missing-entry": "settlementDiffMissing",
  "unmatched-entry": "settlementDiffUnmatched",
  "amount-mismatch": "settlementDiffMismatch",
};

/** The last 30 ledger dates: a chart, each day with its status, and a day opened to its sales and differences. */
export function SettlementsView() {
  const { t, money } = useAdminI18n();
  // "": every store of the person's; a store's id: that store's ledger (its MSN) and sales only.
  const [storeId, setStoreId] = useState("");
  const query = storeId ? `?storeId=${encodeURIComponent(storeId)}` : "";
  const { data } = useSWR<SettlementList>(`/api/v1/settlements${query}`, swrFetcher, { refreshInterval: 30_000 });
  const [open, setOpen] = useState<string | null>(null);
  const currency = data?.items[0]?.currency ?? "NOK";
  const chart = useChart(data?.items ?? [], currency);

  return (
    <div className="max-w-5xl">
      <PageTitle
        actions={
          <>
            <StorePicker
              value={storeId}
              onChange={(next) => {
                setStoreId(next);
                setOpen(null);
              }}
            />
            <a
              className="inline-flex items-center rounded-lg border border-stone-300 bg-white px-4 py-2.5 text-sm font-semibold text-ink-900 hover:bg-stone-100"
              href={`/api/v1/settlements/export.csv${query}`}
              download
            >
              {t("settlementCsv")}
            </a>
          </>
        }
      >
        {t("settlementsTitle")}
      </PageTitle>
      <p className="-mt-2 mb-4 max-w-2xl text-sm text-ink-700">{t("settlementsHint")}</p>
      {!data ? (
        <p className="text-sm text-ink-700">{t("loading")}</p>
      ) : (
        <>
          <ImportStatus status={data.import} />
          <Card className="mb-4">
            <h2 className="mb-2 text-sm font-semibold text-ink-700">{t("settlementsChart")}</h2>
            <SettlementChart days={chart.days} series={chart.series} label={t("settlementsChart")} />
          </Card>
          {data.items.length === 0 ? (
            <p className="text-sm text-ink-700">{t("settlementNoDays")}</p>
          ) : (
            <Card>
              <table className="w-full text-left text-sm" data-testid="settlement-days">
                <thead className="text-ink-700">
                  <tr>
                    <th className="py-2 pr-3 font-semibold">{t("settlementDate")}</th>
                    <th className="py-2 pr-3 text-right font-semibold">{t("settlementCaptured")}</th>
                    <th className="py-2 pr-3 text-right font-semibold">{t("settlementRefunded")}</th>
                    <th className="py-2 pr-3 text-right font-semibold">{t("settlementFees")}</th>
                    <th className="py-2 pr-3 text-right font-semibold">{t("settlementNet")}</th>
                    <th className="py-2 pr-3 font-semibold">{t("settlementPaidOut")}</th>
                    <th className="py-2 font-semibold">{t("settlementStatus")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((day) => {
                    const key = `${day.ledgerDate}|${day.currency}`;
                    return (
                      <DayRow
                        key={key}
                        day={day}
                        open={open === key}
                        onToggle={() => setOpen(open === key ? null : key)}
                        money={money}
                        query={query}
                      />
                    );
                  })}
                </tbody>
              </table>
            </Card>
          )}
        </>
      )}
    </div>
  );
}

function ImportStatus({ status }: { status: SettlementList["import"] }) {
  const { t } = useAdminI18n();
  if (status.error)
    return (
      <p role="status" className="mb-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-950">
        {t("settlementImportError", { error: status.error })}
      </p>
    );
  return (
    <p className="mb-4 text-sm text-ink-700">
      {status.lagSeconds === null
        ? t("settlementImportNever")
        : t("settlementImportLag", { seconds: status.lagSeconds })}
    </p>
  );
}

function DayRow({
  day,
  open,
  onToggle,
  money,
  query,
}: {
  day: SettlementDayView;
  open: boolean;
  onToggle: () => void;
  money: (value: number, currency: string) => string;
  /** The store picked ("?storeId=…"), or "" for all of the person's. */
  query: string;
}) {
  const { t } = useAdminI18n();
  const status = STATUS[day.status];
  return (
    <>
      <tr className="border-t border-stone-200" data-testid="settlement-day" data-date={day.ledgerDate}>
        <td className="py-2 pr-3">
          <Button variant="ghost" className="-ml-3 px-3 py-1" aria-expanded={open} onClick={onToggle}>
            {day.ledgerDate}
          </Button>
        </td>
        <td className="py-2 pr-3 text-right tabular-nums">{money(day.captured, day.currency)}</td>
        <td className="py-2 pr-3 text-right tabular-nums">{money(day.refunded, day.currency)}</td>
        <td className="py-2 pr-3 text-right tabular-nums">{money(day.fees, day.currency)}</td>
        <td className="py-2 pr-3 text-right tabular-nums">{money(day.net, day.currency)}</td>
        <td className="py-2 pr-3">
          {day.payout
            ? `${money(day.payout.amount, day.currency)} · ${t("settlementPayoutOn", { date: day.payout.date })}`
            : t("settlementNoPayout")}
        </td>
        <td className="py-2">
          <span
            data-status={day.status}
            className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${status.className}`}
          >
            {t(status.key)}
          </span>
        </td>
      </tr>
      {open ? (
        <tr>
          <td colSpan={7} className="pb-4">
            <DayDetail day={day} money={money} query={query} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function DayDetail({
  day,
  money,
  query,
}: {
  day: SettlementDayView;
  money: (value: number, currency: string) => string;
  query: string;
}) {
  const { t } = useAdminI18n();
  const { data } = useSWR<SettlementDateView>(`/api/v1/settlements/${day.ledgerDate}${query}`, swrFetcher);
  const sales = data?.sales.filter((sale) => sale.currency === day.currency) ?? [];
  return (
    <div className="rounded-xl bg-stone-50 p-4" data-testid="settlement-detail">
      {day.differences.length > 0 ? (
        <>
          <h3 className="mb-2 font-semibold">{t("settlementDifferences")}</h3>
          <ul className="mb-4 space-y-1" data-testid="settlement-differences">
            {day.differences.map((difference, index) => (
              <li key={`${difference.kind}-${difference.saleId ?? difference.pspReference ?? index}`}>
                <span className="font-semibold">{t(DIFFERENCE[difference.kind])}</span>
                {": "}
                <span>
                  {difference.saleId
                    ? `#${difference.receiptNumber ?? difference.saleId}`
                    : (difference.reference ?? difference.pspReference)}
                </span>{" "}
                <span className="tabular-nums">{money(difference.amount, day.currency)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3 className="mb-2 font-semibold">{t("settlementSales")}</h3>
      {!data ? (
        <p className="text-sm text-ink-700">{t("loading")}</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-ink-700">
            <tr>
              <th className="py-1 pr-3 font-semibold">#</th>
              <th className="py-1 pr-3 text-right font-semibold">{t("settlementCaptured")}</th>
              <th className="py-1 pr-3 text-right font-semibold">{t("settlementRefunded")}</th>
              <th className="py-1 pr-3 text-right font-semibold">{t("settlementFee")}</th>
              <th className="py-1 text-right font-semibold">{t("settlementNet")}</th>
            </tr>
          </thead>
          <tbody>
            {sales.map((sale) => (
              <tr key={sale.saleId} className="border-t border-stone-200">
                <td className="py-1 pr-3">{sale.receiptNumber}</td>
                <td className="py-1 pr-3 text-right tabular-nums">{money(sale.captured, sale.currency)}</td>
                <td className="py-1 pr-3 text-right tabular-nums">{money(sale.refunded, sale.currency)}</td>
                <td className="py-1 pr-3 text-right tabular-nums">{money(sale.fee, sale.currency)}</td>
                <td className="py-1 text-right tabular-nums">{money(sale.net, sale.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The chart's data: the 30 days to the newest (or today), each with its figures in major units. */
function useChart(items: readonly SettlementDayView[], currency: string) {
  const { t } = useAdminI18n();
  return useMemo(() => {
    const ofCurrency = items.filter((day) => day.currency === currency);
    const last = ofCurrency[0]?.ledgerDate ?? new Date().toISOString().slice(0, 10);
    const end = Date.parse(`${last}T00:00:00Z`);
    const dates = Array.from({ length: 30 }, (_, index) =>
      new Date(end - (29 - index) * DAY_MS).toISOString().slice(0, 10),
    );
    const byDate = new Map(ofCurrency.map((day) => [day.ledgerDate, day]));
    const pick = (read: (day: SettlementDayView) => number) =>
      dates.map((date) => {
        const day = byDate.get(date);
        return day ? read(day) / 100 : null;
      });
    const series: SettlementChartSeries[] = [
      { label: t("settlementCaptured"), values: pick((day) => day.captured), colour: "#0f766e" },
      { label: t("settlementRefunded"), values: pick((day) => day.refunded), colour: "#b45309" },
      { label: t("settlementFees"), values: pick((day) => day.fees), colour: "#b91c1c" },
      { label: t("settlementPaidOut"), values: pick((day) => day.payout?.amount ?? 0), colour: "#1d4ed8" },
    ];
    return { days: dates.map((date) => Date.parse(`${date}T12:00:00Z`) / 1000), series };
  }, [items, currency, t]);
}
