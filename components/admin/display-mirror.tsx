"use client";

import { QRCodeSVG } from "qrcode.react";
import type { DisplayState } from "@/lib/display/display-state";
import { formatAmount, formatCountdown } from "@/lib/i18n/locale";
import { useDisplayMessages } from "@/components/display/use-display-messages";
import { currentWalletBrand } from "@/components/display/wallet-brand";
import { walletAppsFor, walletBrandName } from "@/lib/vipps/brand";

/**
 * The cashier's mirror of the customer display: the same state from the same stream, drawn small
 * on the till: the QR (scannable from here when the customer's screen is turned away or broken),
 * the countdown and what the customer reads, in the customer's language.
 */
export function DisplayMirror({
  state,
  remainingMs,
  nowMs,
  label,
}: {
  state: DisplayState;
  remainingMs?: number;
  nowMs: number;
  label: string;
}) {
  const language = state.terminal.language;
  const messages = useDisplayMessages(language);
  const sale = state.sale;
  if (!messages || !sale) return null;
  const wallet = currentWalletBrand(state.wallet, nowMs);
  const qr = state.phase === "pending" ? sale.qr : undefined;
  const words: Record<string, string> = {
    pending: qr
      ? messages.scanWithApp(walletAppsFor(sale.amount.currency, wallet))
      : sale.push
        ? messages.pushSent(sale.push.phoneEnding)
        : messages.preparingQr,
    approved: messages.approved,
    paid: messages.paid,
    declined: messages.declined,
    cancelled: messages.cancelled,
    expired: messages.expired,
    failed: messages.failed,
  };
  return (
    <figure
      data-testid="till-mirror"
      data-phase={state.phase}
      className="flex items-center gap-4 rounded-xl bg-ink-950 p-3 text-white"
    >
      {qr ? (
        <div data-testid="mirror-qr" className="shrink-0 rounded-lg bg-white p-1">
          {qr.imageUrl ? (
            // biome-ignore lint/performance/noImgElement: Vipps' own QR image from our origin
            <img src={qr.imageUrl} alt={messages.qrTitle(walletBrandName(wallet))} width={168} height={168} />
          ) : (
            <QRCodeSVG
              value={qr.url}
              level="M"
              marginSize={4}
              size={168}
              title={messages.qrTitle(walletBrandName(wallet))}
            />
          )}
        </div>
      ) : null}
      <figcaption className="flex min-w-0 flex-col gap-1">
        <span className="text-xs font-semibold tracking-wider text-ink-300 uppercase">{label}</span>
        <span className="text-xl font-bold tabular-nums">
          {formatAmount(sale.amount.value, sale.amount.currency, language)}
        </span>
        <span className="text-sm">{words[state.phase] ?? ""}</span>
        {qr && remainingMs !== undefined ? (
          <span className="text-sm text-ink-200">
            {messages.qrValidFor}{" "}
            <span data-testid="mirror-countdown" className="font-semibold tabular-nums text-white">
              {formatCountdown(Math.max(0, remainingMs))}
            </span>
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
