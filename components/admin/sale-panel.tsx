"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import useSWR, { useSWRConfig } from "swr";
import { useDisplayFeed } from "@/components/display/use-display-feed";
import { useServerNow } from "@/components/display/use-server-now";
import { formatCountdown } from "@/lib/i18n/locale";
import { ACTIVE_SALE_STATES } from "@/lib/sales/types";
import { apiFetch, errorText, swrFetcher } from "./api";
import { DisplayMirror } from "./display-mirror";
import { useAdminI18n } from "./i18n";
import type { SaleView } from "./types";
import { Button, ErrorNote, StateBadge } from "./ui";

type Action = "cancel" | "capture" | "new-qr";

/**
 * One sale with its live state and the cashier's actions. The terminal's display stream tells us
 * the moment anything changes; the sale itself is then re-read, and polled while it is active in
 * case the stream is down.
 */
export function SalePanel({
  saleId,
  onNewSale,
  showDetailsLink = true,
}: {
  saleId: string;
  onNewSale?: () => void;
  showDetailsLink?: boolean;
}) {
  const { t, money, stateLabel } = useAdminI18n();
  const {
    data: sale,
    error,
    mutate,
  } = useSWR<SaleView>(`/api/v1/sales/${encodeURIComponent(saleId)}`, swrFetcher, {
    refreshInterval: (latest) => (latest && ACTIVE_SALE_STATES.includes(latest.state) ? 2_000 : 0),
    dedupingInterval: 200,
  });
  const feed = useDisplayFeed(sale?.terminalId ?? "", null, { enabled: !!sale });
  const feedKey = feed.state ? `${feed.state.phase}|${feed.state.sale?.id}|${feed.state.sale?.qr?.url}` : "";
  useEffect(() => {
    if (feedKey) void mutate();
  }, [feedKey, mutate]);
  // The terminal picker says whether a sale is in progress; keep it in step with this sale.
  const { mutate: mutateGlobal } = useSWRConfig();
  useEffect(() => {
    if (sale?.state) void mutateGlobal("/api/v1/terminals");
  }, [sale?.state, mutateGlobal]);

  const [busy, setBusy] = useState<Action | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  // A QR's end, or a push request's (it has no QR, but runs out all the same).
  const expiresAt = sale?.qr ? Date.parse(sale.qr.expiresAt) : sale?.expiresAt ? Date.parse(sale.expiresAt) : undefined;
  const now = useServerNow(feed.offsetMs, expiresAt !== undefined, expiresAt, 500);

  async function run(action: Action) {
    if (!sale) return;
    if (action === "cancel" && !window.confirm(t("confirmCancel"))) return;
    setBusy(action);
    setActionError(null);
    try {
      const updated = await apiFetch<SaleView>(`/api/v1/sales/${encodeURIComponent(sale.id)}/${action}`, {
        method: "POST",
      });
      await mutate(updated, { revalidate: true });
    } catch (caught) {
      setActionError(errorText(caught, t("errorGeneric")));
      await mutate();
    } finally {
      setBusy(null);
    }
  }

  if (!sale) {
    return (
      <div className="rounded-2xl border border-stone-200 bg-white p-6 text-sm text-ink-700">
        {error ? <ErrorNote error={errorText(error, t("errorGeneric"))} /> : t("loading")}
      </div>
    );
  }

  const active = ACTIVE_SALE_STATES.includes(sale.state);
  const canCancel = sale.state === "pending" || sale.state === "authorized";
  const canCapture = sale.state === "authorized" && !sale.autoCapture;
  const canNewQr = sale.state === "expired" || sale.state === "aborted";
  const qrRemaining = expiresAt !== undefined ? expiresAt - now : undefined;

  return (
    <div
      data-testid="sale-panel"
      data-sale-id={sale.id}
      className="flex flex-col gap-4 rounded-2xl border border-stone-200 bg-white p-5 shadow-sm sm:p-6"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <p className="text-xs font-semibold tracking-wider text-ink-700 uppercase">
            {t("saleTitle", { receipt: sale.receiptNumber })}
          </p>
          <p data-testid="sale-amount" className="mt-1 text-3xl font-bold tabular-nums">
            {money(sale.amount.value, sale.amount.currency)}
          </p>
          <p className="mt-0.5 text-sm text-ink-700">{sale.description}</p>
        </div>
        <StateBadge state={sale.state} testId="sale-state" large partlyRefunded={sale.refundedAmount.value > 0} />
      </div>

      {/* What a screen reader announces: the state as it changes, never the countdown's every second. */}
      <p role="status" aria-live="polite" data-testid="sale-announcement" className="sr-only">
        {stateLabel(sale.state)}
        {sale.failureReason ? `. ${t("failureReason")}: ${sale.failureReason}` : ""}
      </p>

      <div className="text-sm text-ink-800">
        {sale.state === "pending" && sale.flow === "push" ? (
          <p data-testid="sale-push-status">
            {/* Sent by the number typed, or to whoever scanned the sticker or showed their QR (no number). */}
            {t(sale.phoneEnding ? "pushOnPhone" : "pushOnCustomerPhone")
              .split("{time}")[0]
              ?.replace("{ending}", sale.phoneEnding ?? "")}
            <span data-testid="sale-qr-countdown" className="font-semibold tabular-nums">
              {formatCountdown(Math.max(0, qrRemaining ?? 0))}
            </span>
            {t(sale.phoneEnding ? "pushOnPhone" : "pushOnCustomerPhone").split("{time}")[1]}
          </p>
        ) : sale.state === "pending" ? (
          sale.qr && qrRemaining !== undefined && qrRemaining > 0 ? (
            <p>
              {t("qrOnDisplay").split("{time}")[0]}
              <span data-testid="sale-qr-countdown" className="font-semibold tabular-nums">
                {formatCountdown(qrRemaining)}
              </span>
              {t("qrOnDisplay").split("{time}")[1]}
            </p>
          ) : (
            <p>{t("waitingForQr")}</p>
          )
        ) : null}
        {sale.failureReason ? (
          <p className="text-ink-700">
            {t("failureReason")}: {sale.failureReason}
          </p>
        ) : null}
        {sale.capturedAmount.value > 0 ? (
          <p>
            {t("captured")}:{" "}
            <span className="font-semibold tabular-nums">
              {money(sale.capturedAmount.value, sale.capturedAmount.currency)}
            </span>
            {sale.refundedAmount.value > 0 ? (
              <>
                {" · "}
                {t("refunded")}:{" "}
                <span className="font-semibold tabular-nums">
                  {money(sale.refundedAmount.value, sale.refundedAmount.currency)}
                </span>
                {" · "}
                {t("net")}:{" "}
                <span data-testid="sale-net" className="font-semibold tabular-nums">
                  {money(sale.capturedAmount.value - sale.refundedAmount.value, sale.capturedAmount.currency)}
                </span>
              </>
            ) : null}
          </p>
        ) : null}
      </div>

      {active && feed.state?.sale?.id === sale.id ? (
        <DisplayMirror state={feed.state} remainingMs={qrRemaining} nowMs={now} label={t("mirrorTitle")} />
      ) : null}

      <ErrorNote error={actionError} />

      <div className="flex flex-wrap gap-2">
        {canCapture ? (
          <Button variant="primary" data-testid="sale-capture" disabled={busy !== null} onClick={() => run("capture")}>
            {busy === "capture"
              ? t("capturing")
              : t("capture", { amount: money(sale.amount.value, sale.amount.currency) })}
          </Button>
        ) : null}
        {canNewQr ? (
          <Button variant="primary" data-testid="sale-new-qr" disabled={busy !== null} onClick={() => run("new-qr")}>
            {busy === "new-qr" ? t("newQrWorking") : t("newQr")}
          </Button>
        ) : null}
        {canCancel ? (
          <Button variant="danger" data-testid="sale-cancel" disabled={busy !== null} onClick={() => run("cancel")}>
            {busy === "cancel" ? t("cancelling") : t("cancel")}
          </Button>
        ) : null}
        {!active && onNewSale ? (
          <Button variant={canNewQr ? "secondary" : "primary"} data-testid="sale-new" onClick={onNewSale}>
            {t("newSale")}
          </Button>
        ) : null}
        {showDetailsLink ? (
          <Link
            href={`/admin/sales/${encodeURIComponent(sale.id)}`}
            className="inline-flex items-center rounded-lg px-3 py-2.5 text-sm font-semibold text-brand-dark hover:underline"
          >
            {t("openSale")} →
          </Link>
        ) : null}
      </div>
    </div>
  );
}
