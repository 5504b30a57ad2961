"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import useSWR from "swr";
import { apiFetch, errorText, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import { eventSentence, SOURCE_LABELS } from "./event-sentence";
import { SaleAudit } from "./sale-audit";
import { SalePanel } from "./sale-panel";
import type { SaleEventView, SaleView } from "./types";
import { Button, Card, ErrorNote, Field, inputClass, minorToInput, parseMinorUnits } from "./ui";

const SOURCE_STYLES: Record<string, string> = {
  webhook: "bg-sky-100 text-sky-900",
  poll: "bg-violet-100 text-violet-900",
  cashier: "bg-amber-100 text-amber-900",
  api: "bg-stone-200 text-stone-800",
  system: "bg-stone-200 text-stone-800",
};

/** A sale's page: live status and actions, refunds, lines and the full event log. */
export function SaleDetail({ saleId }: { saleId: string }) {
  const { t, money, dateTime, time, stateLabel } = useAdminI18n();
  const saleUrl = `/api/v1/sales/${encodeURIComponent(saleId)}`;
  const { data: sale, mutate: mutateSale } = useSWR<SaleView>(saleUrl, swrFetcher);
  const { data: events, mutate: mutateEvents } = useSWR<{ items: SaleEventView[] }>(`${saleUrl}/events`, swrFetcher, {
    refreshInterval: 3_000,
  });

  return (
    <div className="flex flex-col gap-5">
      <Link href="/admin/sales" className="text-sm font-semibold text-brand-dark hover:underline">
        ← {t("backToSales")}
      </Link>
      <div className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <div className="flex flex-col gap-5">
          <SalePanel saleId={saleId} showDetailsLink={false} />
          {sale &&
          (sale.state === "captured" || sale.state === "refunded") &&
          sale.capturedAmount.value > sale.refundedAmount.value ? (
            <RefundForm
              sale={sale}
              onDone={async (updated) => {
                await mutateSale(updated);
                await mutateEvents();
              }}
            />
          ) : null}
        </div>
        {sale ? (
          <Card>
            <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-5 gap-y-2 text-sm">
              <dt className="text-ink-700">{t("receipt")}</dt>
              <dd className="font-medium">{sale.receiptNumber}</dd>
              <dt className="text-ink-700">{t("reference")}</dt>
              <dd className="font-mono text-xs break-all">{sale.reference}</dd>
              <dt className="text-ink-700">{t("created")}</dt>
              <dd>{dateTime(sale.createdAt)}</dd>
              {sale.endedAt ? (
                <>
                  <dt className="text-ink-700">{t("ended")}</dt>
                  <dd>{dateTime(sale.endedAt)}</dd>
                </>
              ) : null}
              <dt className="text-ink-700">{t("captured")}</dt>
              <dd className="tabular-nums">{money(sale.capturedAmount.value, sale.capturedAmount.currency)}</dd>
              <dt className="text-ink-700">{t("refunded")}</dt>
              <dd className="tabular-nums">{money(sale.refundedAmount.value, sale.refundedAmount.currency)}</dd>
              <dt className="text-ink-700">{t("attempts")}</dt>
              <dd>{sale.attemptCount}</dd>
              <dt className="text-ink-700">{t("autoCapture")}</dt>
              <dd>{sale.autoCapture ? t("autoCaptureOn") : t("autoCaptureOff")}</dd>
            </dl>
            <h2 className="mt-6 mb-2 text-base font-semibold">{t("lines")}</h2>
            <table className="w-full text-sm">
              <thead className="text-left text-xs text-ink-700">
                <tr>
                  <th className="py-1.5 font-medium">{t("name")}</th>
                  <th className="py-1.5 text-right font-medium">{t("quantity")}</th>
                  <th className="py-1.5 text-right font-medium">{t("tax")}</th>
                  <th className="py-1.5 text-right font-medium">{t("lineTotal")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {sale.lines.map((line) => (
                  <tr key={line.id}>
                    <td className="py-2 pr-2">{line.name}</td>
                    <td className="py-2 text-right tabular-nums">{line.quantity}</td>
                    <td className="py-2 text-right text-ink-700 tabular-nums">{line.taxRate / 100} %</td>
                    <td className="py-2 text-right font-medium tabular-nums">
                      {money(line.totalAmount, sale.amount.currency)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        ) : null}
      </div>

      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("eventLog")}</h2>
        {!events?.items.length ? (
          <p className="text-sm text-ink-700">{events ? t("noEvents") : t("loading")}</p>
        ) : (
          <ol data-testid="sale-events" className="relative flex flex-col gap-0 border-l-2 border-stone-200 pl-5">
            {events.items.map((event) => (
              <li key={event.id} data-testid="sale-event" data-type={event.type} className="relative py-2">
                <span
                  className="absolute top-3.5 -left-[27px] h-3 w-3 rounded-full border-2 border-white bg-stone-400"
                  aria-hidden
                />
                <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                  <time dateTime={event.at} className="text-xs text-ink-700 tabular-nums">
                    {time(event.at)}
                  </time>
                  <span className="font-medium" data-testid="sale-event-sentence">
                    {eventSentence(event, sale?.amount.currency ?? "NOK", { t, money, time })}
                  </span>
                  {/* Only a change of state is shown: "Captured → Captured" says nothing. */}
                  {event.toState && event.fromState !== event.toState ? (
                    <span className="text-sm text-ink-700">
                      {event.fromState ? stateLabel(event.fromState) : "—"} → {stateLabel(event.toState)}
                    </span>
                  ) : null}
                  <span
                    className={`rounded px-1.5 py-0.5 text-xs font-semibold ${SOURCE_STYLES[event.source] ?? SOURCE_STYLES.system}`}
                  >
                    {SOURCE_LABELS[event.source] ? t(SOURCE_LABELS[event.source]!) : event.source}
                  </span>
                </div>
                {event.detail && Object.keys(event.detail).length > 0 ? (
                  <details className="mt-1 text-xs text-ink-700">
                    <summary className="cursor-pointer select-none">{t("evTechnical")}</summary>
                    <pre className="mt-1 overflow-x-auto rounded bg-stone-50 px-2 py-1">
                      {event.type} {JSON.stringify(event.detail)}
                    </pre>
                  </details>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </Card>
      <SaleAudit saleId={saleId} />
    </div>
  );
}

/** Within this long of a refund, the next one on the same sale says so in its confirmation. */
const RECENT_REFUND_MS = 10_000;

/**
 * A refund is asked, then confirmed with its amount shown: a second click cannot take more than
 * meant. The idempotency key belongs to the confirmed intent, so "try again" after a lost answer
 * repeats that one refund, and a new amount is a new intent with its own confirmation.
 */
function RefundForm({ sale, onDone }: { sale: SaleView; onDone: (sale: SaleView) => Promise<void> }) {
  const { t, money, language } = useAdminI18n();
  const refundable = sale.capturedAmount.value - sale.refundedAmount.value;
  const [amountText, setAmountText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [intent, setIntent] = useState<{ amount: number; key: string } | null>(null);
  const [lastRefund, setLastRefund] = useState<{ amount: number; atMs: number } | null>(null);
  // A cashier's refund needs a manager's username and PIN, given here on the spot.
  const me = useSWR<{ type: string; role?: string }>("/api/v1/me", swrFetcher);
  const needsApproval = me.data?.type === "staff" && me.data.role === "cashier";
  const [approval, setApproval] = useState({ username: "", pin: "" });
  const amount = parseMinorUnits(amountText);
  const tooMuch = amount !== undefined && amount > refundable;
  const valid = amount !== undefined && amount > 0 && !tooMuch;
  const format = (minor: number) => money(minor, sale.amount.currency);

  function ask(event: FormEvent) {
    event.preventDefault();
    if (!valid) return setError(tooMuch ? t("refundTooMuch", { amount: format(refundable) }) : t("amountInvalid"));
    setError(null);
    setDone(null);
    setIntent({ amount, key: newRefundKey() });
  }

  async function confirm() {
    if (!intent) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await apiFetch<SaleView>(`/api/v1/sales/${encodeURIComponent(sale.id)}/refund`, {
        method: "POST",
        json: { amount: intent.amount, ...(needsApproval ? { approval } : {}) },
        headers: { "idempotency-key": intent.key },
      });
      setDone(t("refundDone", { amount: format(intent.amount) }));
      setLastRefund({ amount: intent.amount, atMs: Date.now() });
      setIntent(null);
      setAmountText("");
      await onDone(updated);
    } catch (caught) {
      // The intent and its key stay: confirming again repeats this refund, never adds one.
      setError(errorText(caught, t("errorGeneric")));
    } finally {
      setBusy(false);
    }
  }

  const recentSeconds = lastRefund ? Math.round((Date.now() - lastRefund.atMs) / 1000) : undefined;
  const recent = lastRefund && recentSeconds !== undefined && recentSeconds * 1000 < RECENT_REFUND_MS;

  if (intent) {
    return (
      <Card>
        <div
          className="flex flex-col gap-4"
          role="alertdialog"
          aria-labelledby="refund-confirm-title"
          data-testid="refund-confirm"
        >
          <h2 id="refund-confirm-title" className="text-lg font-semibold">
            {t("refundConfirmTitle", { amount: format(intent.amount) })}
          </h2>
          <p className="text-sm text-ink-700">{t("refundConfirmBody")}</p>
          {recent ? (
            <p
              className="rounded-lg bg-amber-50 px-3 py-2 text-sm font-medium text-amber-900"
              data-testid="refund-again-warning"
            >
              {t("refundAgainWarning", { amount: format(lastRefund.amount), seconds: String(recentSeconds) })}
            </p>
          ) : null}
          {needsApproval ? (
            <div className="grid gap-3 sm:grid-cols-2">
              <Field label={t("approvalUsername")} htmlFor="approval-username">
                <input
                  id="approval-username"
                  className={inputClass}
                  autoComplete="off"
                  value={approval.username}
                  onChange={(e) => setApproval({ ...approval, username: e.target.value })}
                />
              </Field>
              <Field label={t("approvalPin")} htmlFor="approval-pin">
                <input
                  id="approval-pin"
                  className={inputClass}
                  type="password"
                  inputMode="numeric"
                  autoComplete="off"
                  value={approval.pin}
                  onChange={(e) => setApproval({ ...approval, pin: e.target.value })}
                />
              </Field>
            </div>
          ) : null}
          <ErrorNote error={error} />
          <div className="flex flex-wrap gap-2">
            <Button variant="primary" onClick={confirm} disabled={busy} data-testid="refund-confirm-button">
              {busy ? t("refunding") : t("refundConfirm", { amount: format(intent.amount) })}
            </Button>
            <Button onClick={() => (setIntent(null), setError(null))} disabled={busy}>
              {t("refundBack")}
            </Button>
          </div>
        </div>
      </Card>
    );
  }

  return (
    <Card>
      <form onSubmit={ask} className="flex flex-col gap-4" data-testid="refund-form">
        <h2 className="text-lg font-semibold">{t("refundTitle")}</h2>
        <Field
          label={t("refundAmount", { currency: sale.amount.currency })}
          htmlFor="refund-amount"
          hint={t("refundable", { amount: format(refundable) })}
        >
          <div className="flex gap-2">
            <input
              id="refund-amount"
              data-testid="refund-amount"
              inputMode="decimal"
              value={amountText}
              aria-invalid={tooMuch || undefined}
              onChange={(event) => setAmountText(event.target.value)}
              className={`${inputClass} tabular-nums`}
            />
            <Button
              className="shrink-0 whitespace-nowrap"
              onClick={() => setAmountText(minorToInput(refundable, language))}
            >
              {t("refundFull", { amount: format(refundable) })}
            </Button>
          </div>
        </Field>
        {tooMuch ? (
          <p className="text-sm font-medium text-danger" data-testid="refund-too-much">
            {t("refundTooMuch", { amount: format(refundable) })}
          </p>
        ) : null}
        <ErrorNote error={error} />
        {done ? (
          <p
            role="status"
            data-testid="refund-done"
            className="rounded-lg bg-green-50 px-3 py-2 text-sm font-medium text-success"
          >
            {done}
          </p>
        ) : null}
        <Button type="submit" variant="primary" data-testid="refund-submit" disabled={busy || !valid}>
          {valid ? t("refundNext", { amount: format(amount) }) : t("refundTitle")}
        </Button>
      </form>
    </Card>
  );
}

/** crypto.randomUUID needs a secure context; a till on a LAN address over plain HTTP has none. */
function newRefundKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
