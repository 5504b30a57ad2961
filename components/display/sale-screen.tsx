"use client";

import { QRCodeSVG } from "qrcode.react";
import type { DisplayState } from "@/lib/display/display-state";
import type { DisplayMessages } from "@/lib/i18n/display-messages";
import { formatAmount, formatCountdown } from "@/lib/i18n/locale";
import { type WalletBrand, walletAppsFor, walletBrandName } from "@/lib/vipps/brand";
import { BrandLogo, brandStyle } from "./brand";
import { PhoneScanIcon } from "./icons";
import { OrderLines } from "./order-lines";

const QR_LIFETIME_MS = 10 * 60 * 1000;

/** Pending sale: the total, the lines, and the one-time QR with its countdown. */
export function SaleScreen({
  state,
  qr,
  remainingMs,
  messages,
  wallet,
}: {
  state: DisplayState;
  qr?: { url: string; expiresAt: number };
  remainingMs?: number;
  messages: DisplayMessages;
  /** The wallet's name now (components/display/wallet-brand.ts). */
  wallet: WalletBrand;
}) {
  const sale = state.sale;
  if (!sale) return null;
  const language = state.terminal.language;
  const lines = sale.lines;
  const itemCount = lines.reduce((sum, line) => sum + line.quantity, 0);
  const lowTime = remainingMs !== undefined && remainingMs < 60_000;
  const amountText = formatAmount(sale.amount.value, sale.amount.currency, language);
  // Big sums get a smaller size rather than a line break or an overflow.
  const amountScale = Math.min(1, 11 / amountText.length);

  return (
    <div className="sale-grid" style={brandStyle(state.terminal.brand)} data-wallet-brand={wallet}>
      <section className="area-total flex flex-col gap-[1vmin] px-[5vmin] pt-[4.5vmin] pb-[3vmin] portrait:items-center portrait:pb-[2vmin] portrait:text-center">
        <div className="flex items-center gap-[2vmin] portrait:flex-col portrait:gap-[1.4vmin]">
          <BrandLogo url={state.terminal.brand?.logoUrl} className="max-h-[7vmin] max-w-[28vmin]" />
          <p className="text-[2.4vmin] font-semibold tracking-[0.16em] text-ink-300 uppercase">
            {state.terminal.shopName}
          </p>
        </div>
        <p className="mt-[2vmin] text-[3.2vmin] text-ink-200 portrait:mt-[1vmin]">{messages.total}</p>
        <p
          data-testid="display-amount"
          className="leading-none font-bold tracking-tight whitespace-nowrap text-white"
          style={{ fontSize: `${(11 * amountScale).toFixed(2)}vmin` }}
        >
          {amountText}
        </p>
      </section>

      <section className="area-lines min-h-0 px-[5vmin] pb-[4.5vmin] portrait:pt-[3vmin]">
        <OrderLines
          lines={lines}
          currency={sale.amount.currency}
          language={language}
          summary={messages.items(itemCount)}
        />
      </section>

      <section className="area-qr flex flex-col items-center justify-center gap-[2.2vmin] bg-ink-900 px-[4.5vmin] py-[3.5vmin] landscape:h-full portrait:py-[3vmin]">
        {sale.push && !qr ? (
          <div
            data-testid="display-push"
            className="flex max-w-[60vmin] flex-col items-center gap-[2.4vmin] text-center"
          >
            <PhoneScanIcon className="h-[14vmin] w-[14vmin] text-(--brand)" />
            <p className="text-[3.4vmin] leading-snug font-semibold text-white">
              {messages.pushSent(sale.push.phoneEnding)}
            </p>
            <p className="text-[2.6vmin] text-ink-200">
              {messages.pushHint(walletAppsFor(sale.amount.currency, wallet))}
            </p>
            <p className="flex items-baseline gap-[1.4vmin] text-[2.4vmin] text-ink-200">
              <span>{messages.requestValidFor}</span>
              <span
                data-testid="display-countdown"
                className={`text-[4vmin] font-bold tabular-nums ${lowTime ? "text-brand" : "text-white"}`}
              >
                {formatCountdown(remainingMs ?? 0)}
              </span>
            </p>
          </div>
        ) : qr ? (
          <>
            <div className="rounded-[2.2vmin] bg-white p-[0.6vmin] shadow-[0_1.5vmin_5vmin_rgba(0,0,0,0.45)]">
              <div data-testid="display-qr" className="qr-box">
                {sale.qr?.imageUrl ? (
                  // Vipps' own image (KASSA_QR_SOURCE=vipps), served from our origin; drawn unstyled.
                  // biome-ignore lint/performance/noImgElement: a plain <img> of our own SVG route, no optimisation wanted
                  <img
                    src={sale.qr.imageUrl}
                    alt={messages.qrTitle(walletBrandName(wallet))}
                    className="block h-full w-full"
                    data-testid="display-qr-image"
                  />
                ) : (
                  <QRCodeSVG
                    value={qr.url}
                    level="M"
                    marginSize={4}
                    size={512}
                    title={messages.qrTitle(walletBrandName(wallet))}
                  />
                )}
              </div>
            </div>
            <p className="flex items-center gap-[1.4vmin] text-center text-[2.9vmin] leading-snug font-semibold text-white">
              <PhoneScanIcon className="h-[4.2vmin] w-[4.2vmin] shrink-0 text-(--brand)" />
              <span>{messages.scanWithApp(walletAppsFor(sale.amount.currency, wallet))}</span>
            </p>
            <div className="flex w-full max-w-[60vmin] flex-col items-center gap-[1vmin]">
              <p className="flex items-baseline gap-[1.4vmin] text-[2.4vmin] text-ink-200">
                <span>{messages.qrValidFor}</span>
                <span
                  data-testid="display-countdown"
                  className={`text-[4vmin] font-bold tabular-nums ${lowTime ? "text-(--brand)" : "text-white"}`}
                >
                  {formatCountdown(remainingMs ?? 0)}
                </span>
              </p>
              <div className="h-[0.7vmin] w-full overflow-hidden rounded-full bg-white/15" aria-hidden>
                <div
                  className="h-full rounded-full bg-(--brand) transition-[width] duration-300 ease-linear"
                  style={{ width: `${Math.max(0, Math.min(100, ((remainingMs ?? 0) / QR_LIFETIME_MS) * 100))}%` }}
                />
              </div>
            </div>
          </>
        ) : (
          <div className="flex flex-col items-center gap-[3vmin]">
            <div className="qr-box flex items-center justify-center rounded-[2.2vmin] bg-white/5">
              <div className="spin-slow h-[10vmin] w-[10vmin] rounded-full border-[1vmin] border-white/15 border-t-(--brand)" />
            </div>
            <p className="text-[2.9vmin] text-ink-200">{messages.preparingQr}</p>
          </div>
        )}
      </section>
    </div>
  );
}
