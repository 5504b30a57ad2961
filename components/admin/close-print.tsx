"use client";

import useSWR from "swr";
import type { TerminalCloseView } from "@/lib/contracts/closes";
import { LOCALE_BY_LANGUAGE } from "@/lib/i18n/locale";
import { swrFetcher } from "./api";
import { CloseFigures } from "./close-figures";
import { useAdminI18n } from "./i18n";
import type { SettingsView, StoreView, TerminalView } from "./types";
import { Button } from "./ui";

/**
 * A close laid out for an 80 mm receipt printer: 72 mm of print width, monospace, black on white.
 * It speaks for the terminal's store: the store's name under the shop's when they differ, its
 * address and organisation number where it has them, and times in its time zone, as the close was
 * counted. The page's own print button; the browser's print dialog does the rest.
 */
export function ClosePrint({ closeId }: { closeId: string }) {
  const { t, language } = useAdminI18n();
  const { data: close, error } = useSWR<TerminalCloseView>(`/api/v1/closes/${encodeURIComponent(closeId)}`, swrFetcher);
  const { data: terminal, error: terminalError } = useSWR<TerminalView>(
    close ? `/api/v1/terminals/${encodeURIComponent(close.terminalId)}` : null,
    swrFetcher,
  );
  const { data: store, error: storeError } = useSWR<StoreView>(
    terminal?.storeId ? `/api/v1/stores/${encodeURIComponent(terminal.storeId)}` : null,
    swrFetcher,
  );
  const { data: settings } = useSWR<SettingsView>("/api/v1/settings", swrFetcher);
  if (error) return <p className="p-4 text-sm text-danger">{t("errorGeneric")}</p>;
  // The store decides the time zone: nothing is printed before it is known (or cannot be).
  const storePending = !terminalError && (!terminal || (terminal.storeId && !store && !storeError));
  if (!close || !settings || storePending) return <p className="p-4 text-sm">{t("loading")}</p>;
  const address = store?.address || settings.address;
  const organisationNumber = store?.organisationNumber || settings.organisationNumber;
  const when = (iso: string) =>
    new Intl.DateTimeFormat(LOCALE_BY_LANGUAGE[language], {
      dateStyle: "short",
      timeStyle: "short",
      hourCycle: "h23",
      timeZone: store?.timeZone ?? settings.timeZone,
    }).format(new Date(iso));
  return (
    <div className="min-h-dvh bg-stone-200 py-4 print:bg-white print:py-0">
      <style>{"@page { size: 80mm auto; margin: 0; } @media print { body { background: white; } }"}</style>
      <div className="mx-auto mb-3 flex w-[80mm] justify-end print:hidden">
        <Button variant="primary" onClick={() => window.print()}>
          {t("closePrint")}
        </Button>
      </div>
      <article
        data-testid="close-print"
        className="mx-auto w-[80mm] bg-white px-[4mm] py-[5mm] font-mono text-[12px] leading-snug text-black shadow print:shadow-none"
      >
        <header className="text-center">
          <p className="text-[14px] font-bold">{settings.shopName}</p>
          {store && store.name !== settings.shopName ? <p data-testid="close-print-store">{store.name}</p> : null}
          {address ? <p>{address}</p> : null}
          {organisationNumber ? <p>{organisationNumber}</p> : null}
          <p className="mt-2 text-[13px] font-bold uppercase">{t("closeTerminalReport")}</p>
          <p className="text-[13px] font-bold">{t("closeNumber", { number: close.number })}</p>
        </header>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-2 border-y border-dashed border-black py-1">
          <dt>{t("terminal")}</dt>
          <dd className="text-right">{terminal ? `${terminal.name} (${terminal.posId})` : close.terminalId}</dd>
          <dd className="col-span-2 text-center" data-testid="close-print-period">
            {t("closePeriod", { from: when(close.openedAt), to: when(close.closedAt) })}
          </dd>
        </dl>
        <div className="mt-2">
          <CloseFigures close={close} compact />
        </div>
        <p className="mt-3 border-t border-dashed border-black pt-1 text-center text-[10px] break-all">{close.id}</p>
      </article>
    </div>
  );
}
