"use client";

import type { ClosePreviewView, TerminalCloseView } from "@/lib/contracts/closes";
import { useAdminI18n } from "./i18n";

/** A close's (or preview's) figures per currency: captured, refunded, net, VAT by rate; then the counts. */
export function CloseFigures({
  close,
  compact = false,
}: {
  close: TerminalCloseView | ClosePreviewView;
  compact?: boolean;
}) {
  const { t, money } = useAdminI18n();
  const cell = compact ? "py-0.5" : "py-1";
  return (
    <div className={compact ? "text-[12px]" : "text-sm"} data-testid="close-figures">
      {close.currencies.length === 0 ? <p className="text-ink-700">{t("closeNothing")}</p> : null}
      {close.currencies.map((c) => (
        <table key={c.currency} className="mb-2 w-full border-collapse tabular-nums" data-currency={c.currency}>
          <tbody>
            <tr>
              <th scope="row" className={`text-left font-normal ${cell}`}>
                {t("captured")} ({c.captured.count})
              </th>
              <td className={`text-right ${cell}`} data-testid="close-captured">
                {money(c.captured.amount, c.currency)}
              </td>
            </tr>
            <tr>
              <th scope="row" className={`text-left font-normal ${cell}`}>
                {t("refunded")} ({c.refunded.count})
              </th>
              <td className={`text-right ${cell}`}>−{money(c.refunded.amount, c.currency)}</td>
            </tr>
            <tr className="border-t border-current font-semibold">
              <th scope="row" className={`text-left ${cell}`}>
                {t("closeNet")}
              </th>
              <td className={`text-right ${cell}`} data-testid="close-net">
                {money(c.net, c.currency)}
              </td>
            </tr>
          </tbody>
          {c.vat.length > 0 ? (
            <tbody>
              <tr className="text-left">
                <th className={`font-normal ${cell} pt-2`}>{t("closeVatRate")}</th>
                <th className={`text-right font-normal ${cell} pt-2`}>
                  {t("closeVatBase")} / {t("closeVat")}
                </th>
              </tr>
              {c.vat.map((v) => (
                <tr key={v.rate}>
                  <td className={cell}>{v.rate / 100} %</td>
                  <td className={`text-right ${cell}`}>
                    {money(v.base, c.currency)} / {money(v.tax, c.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
          ) : null}
        </table>
      ))}
      <dl className="grid grid-cols-[1fr_auto] gap-x-3">
        <dt>{t("closeUnpaid")}</dt>
        <dd className="text-right">{close.cancelled.count}</dd>
        <dt>{t("closeFailed")}</dt>
        <dd className="text-right">{close.failed.count}</dd>
        <dt>{t("closeSales")}</dt>
        <dd className="text-right">{close.sales.length}</dd>
        {close.operators?.map(({ operator, count }) => (
          <div key={operator} className="contents" data-testid="close-operator">
            <dt>{t("closeOperator", { operator })}</dt>
            <dd className="text-right">{count}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
