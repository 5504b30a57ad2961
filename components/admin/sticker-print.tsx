"use client";

import { QRCodeSVG } from "qrcode.react";
import { useEffect, useState } from "react";
import useSWR from "swr";
import type { TerminalStickerView } from "@/lib/contracts/terminals";
import { apiFetch, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { SettingsView, TerminalView } from "./types";
import { Button } from "./ui";

/**
 * The sticker at a till on an A6 sheet: Vipps' merchant callback QR for the terminal (made, or
 * renamed to the terminal's name, when the page opens), the shop's and the terminal's names and
 * the call to scan. Black on white, large enough to scan from a phone held at arm's length.
 */
export function StickerPrint({ terminalId }: { terminalId: string }) {
  const { t } = useAdminI18n();
  const { data: terminal } = useSWR<TerminalView>(`/api/v1/terminals/${encodeURIComponent(terminalId)}`, swrFetcher);
  const { data: settings } = useSWR<SettingsView>("/api/v1/settings", swrFetcher);
  const [sticker, setSticker] = useState<TerminalStickerView>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let current = true;
    apiFetch<TerminalStickerView>(`/api/v1/terminals/${encodeURIComponent(terminalId)}/sticker`, { method: "POST" })
      .then((made) => current && setSticker(made))
      .catch(() => current && setFailed(true));
    return () => {
      current = false;
    };
  }, [terminalId]);
  if (failed) return <p className="p-4 text-sm text-danger">{t("stickerFailed")}</p>;
  if (!sticker || !terminal || !settings) return <p className="p-4 text-sm">{t("loading")}</p>;
  return (
    <div className="min-h-dvh bg-stone-200 py-4 print:bg-white print:py-0">
      <style>{"@page { size: A6 portrait; margin: 0; } @media print { body { background: white; } }"}</style>
      <div className="mx-auto mb-3 flex w-[105mm] justify-end print:hidden">
        <Button variant="primary" onClick={() => window.print()}>
          {t("stickerPrint")}
        </Button>
      </div>
      <article
        data-testid="sticker-print"
        data-merchant-qr-id={sticker.merchantQrId}
        className="mx-auto flex h-[148mm] w-[105mm] flex-col items-center justify-between bg-white px-[8mm] py-[10mm] text-center text-black shadow print:shadow-none"
      >
        <header>
          <p className="text-[18pt] leading-tight font-bold">{settings.shopName}</p>
          <p className="mt-1 text-[13pt]" data-testid="sticker-terminal">
            {terminal.name}
          </p>
        </header>
        <QRCodeSVG
          value={sticker.qrContent}
          size={280}
          level="M"
          marginSize={2}
          title={t("stickerScanToPay")}
          className="h-[70mm] w-[70mm]"
          data-testid="sticker-qr"
        />
        <p className="text-[20pt] leading-tight font-bold" data-testid="sticker-call">
          {t("stickerScanToPay")}
        </p>
      </article>
    </div>
  );
}
