"use client";

import useSWR from "swr";
import type { AdminMessageKey } from "@/lib/i18n/admin-messages";
// Type-only: the service's module never reaches the browser bundle, only the report's shape.
import type { GoLiveItem, GoLiveReport } from "@/lib/contracts/go-live";
import { swrFetcher } from "./api";
import { GoLiveStores, MetMark } from "./go-live-stores";
import { useAdminI18n } from "./i18n";
import { Button, Card, ErrorNote, PageTitle } from "./ui";

/** Each checklist item's title in the cashier's language; the server's English title is the fallback. */
const ITEM_TITLES: Record<string, AdminMessageKey> = {
  "endpoint-create": "glEndpointCreate",
  "endpoint-get": "glEndpointGet",
  "endpoint-events": "glEndpointEvents",
  "endpoint-cancel": "glEndpointCancel",
  "endpoint-capture": "glEndpointCapture",
  "endpoint-refund": "glEndpointRefund",
  "webhooks-and-polling": "glWebhooksAndPolling",
  "webhook-registration": "glWebhookRegistration",
  "states-and-events": "glStatesAndEvents",
  "system-headers": "glSystemHeaders",
  "order-details": "glOrderDetails",
  "customer-present": "glCustomerPresent",
  "test-captured": "glTestCaptured",
  "test-refunded": "glTestRefunded",
  "test-cancelled": "glTestCancelled",
  "recent-samples": "glRecentSamples",
  reservations: "glReservations",
  "settlement-import": "glSettlementImport",
};

/** What to do for each item that is not met, in the cashier's language. */
const ITEM_HINTS: Record<string, AdminMessageKey> = {
  "endpoint-create": "glHintEndpointCreate",
  "endpoint-get": "glHintEndpointGet",
  "endpoint-events": "glHintEndpointEvents",
  "endpoint-cancel": "glHintEndpointCancel",
  "endpoint-capture": "glHintEndpointCapture",
  "endpoint-refund": "glHintEndpointRefund",
  "webhooks-and-polling": "glHintWebhooksAndPolling",
  "webhook-registration": "glHintWebhookRegistration",
  "states-and-events": "glHintStatesAndEvents",
  "system-headers": "glHintSystemHeaders",
  "order-details": "glHintOrderDetails",
  "customer-present": "glHintCustomerPresent",
  "test-captured": "glHintTestCaptured",
  "test-refunded": "glHintTestRefunded",
  "test-cancelled": "glHintTestCancelled",
  "recent-samples": "glHintRecentSamples",
  reservations: "glHintReservations",
  "settlement-import": "glHintSettlementImport",
};

/** An evidence key as words: "lastCalledAt" → "Last called at". The evidence itself stays as Vipps gets it. */
export function evidenceLabel(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[-_]+/g, " ")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * The go-live checklist: each item met or not (icon and words, never colour alone), what shows it,
 * and the whole evidence as one JSON file to send Vipps MobilePay.
 */
export function GoLiveView() {
  const { t, dateTime } = useAdminI18n();
  // Not refreshed on a timer: the report asks Vipps for the test payments' event logs.
  const { data, error, isValidating, mutate } = useSWR<GoLiveReport>("/api/v1/go-live", swrFetcher, {
    revalidateOnFocus: false,
  });
  const met = data?.items.filter((item) => item.ok).length ?? 0;
  const total = data?.items.length ?? 0;

  return (
    <div>
      <PageTitle
        actions={
          <>
            <Button onClick={() => void mutate()} disabled={isValidating} data-testid="go-live-refresh">
              {t("goLiveRefresh")}
            </Button>
            <a
              href="/api/v1/go-live/evidence"
              download
              data-testid="go-live-download"
              className="inline-flex items-center justify-center gap-2 rounded-lg bg-brand-dark px-4 py-2.5 text-sm font-semibold text-white transition hover:bg-[#a8330b] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-dark"
            >
              <span aria-hidden>⤓</span>
              {t("goLiveDownload")}
            </a>
          </>
        }
      >
        {t("goLiveTitle")}
      </PageTitle>

      <p className="mb-5 max-w-3xl text-sm text-ink-700">{t("goLiveIntro")}</p>
      <ErrorNote error={error ? t("errorGeneric") : null} />

      {!data ? (
        error ? null : (
          <p className="text-sm text-ink-700">{t("loading")}</p>
        )
      ) : (
        <>
          <Card className="mb-5">
            <div className="flex flex-wrap items-center gap-x-6 gap-y-3">
              <p className="text-2xl font-bold tabular-nums" data-testid="go-live-summary">
                {t("goLiveSummary", { met, total })}
              </p>
              <div
                className="h-2.5 min-w-40 flex-1 overflow-hidden rounded-full bg-stone-200"
                role="progressbar"
                aria-valuemin={0}
                aria-valuemax={total}
                aria-valuenow={met}
                aria-label={t("goLiveSummary", { met, total })}
              >
                <div
                  className="h-full rounded-full bg-success transition-all"
                  style={{ width: `${total ? (met / total) * 100 : 0}%` }}
                />
              </div>
              <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-ink-700">
                <span className="rounded-full bg-stone-100 px-2.5 py-0.5 font-medium text-ink-800 ring-1 ring-stone-300 ring-inset">
                  {t("goLiveEnvironment", { environment: data.environment })}
                </span>
                <span>{t("goLiveChecked", { time: dateTime(data.generatedAt) })}</span>
              </div>
            </div>
          </Card>

          <GoLiveStores stores={data.stores ?? []} />

          <ol className="grid gap-3 xl:grid-cols-2" data-testid="go-live-items">
            {data.items.map((item) => (
              <li key={item.id}>
                <ItemCard item={item} title={ITEM_TITLES[item.id] ? t(ITEM_TITLES[item.id]!) : item.title} />
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function ItemCard({ item, title }: { item: GoLiveItem; title: string }) {
  const { t } = useAdminI18n();
  const entries = Object.entries(item.evidence);
  return (
    <section
      data-testid={`go-live-item-${item.id}`}
      data-ok={item.ok}
      aria-labelledby={`go-live-${item.id}`}
      className={`h-full rounded-2xl border bg-white p-4 shadow-sm ${item.ok ? "border-stone-200" : "border-amber-300"}`}
    >
      <div className="flex items-start gap-3">
        <MetMark ok={item.ok} size="large" />
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
            <h2 id={`go-live-${item.id}`} className="font-semibold">
              {title}
            </h2>
            <span
              data-testid="go-live-status"
              className={`rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap ring-1 ring-inset ${
                item.ok ? "bg-green-50 text-green-900 ring-green-300" : "bg-amber-50 text-amber-900 ring-amber-300"
              }`}
            >
              {item.ok ? t("goLiveMet") : t("goLiveNotMet")}
            </span>
          </div>
          {!item.ok && ITEM_HINTS[item.id] ? (
            <p className="mt-2 text-sm text-ink-800" data-testid="go-live-hint">
              <span className="font-semibold">{t("goLiveWhatToDo")}: </span>
              {t(ITEM_HINTS[item.id]!)}
            </p>
          ) : null}
          {entries.length > 0 ? (
            <details className="mt-2.5 text-xs">
              <summary className="cursor-pointer text-ink-700 hover:text-ink-900">{t("goLiveEvidenceDetails")}</summary>
              <dl
                aria-label={t("goLiveEvidence")}
                className="mt-1.5 grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-3 gap-y-1 rounded-lg bg-stone-50 px-3 py-2"
              >
                {entries.map(([key, value]) => (
                  <Evidence key={key} name={key} value={value} />
                ))}
              </dl>
            </details>
          ) : null}
        </div>
      </div>
    </section>
  );
}

function Evidence({ name, value }: { name: string; value: unknown }) {
  return (
    <>
      <dt className="text-ink-700" title={name}>
        {evidenceLabel(name)}
      </dt>
      <dd className="min-w-0 break-words text-ink-900">
        <EvidenceValue value={value} />
      </dd>
    </>
  );
}

/** Evidence as it is: scalars plain, times in the cashier's format, small objects as nested lists. */
function EvidenceValue({ value, depth = 0 }: { value: unknown; depth?: number }) {
  const { dateTime } = useAdminI18n();
  if (value === null || value === undefined) return <span className="text-ink-700/70">—</span>;
  if (typeof value === "boolean")
    return (
      <span className={value ? "font-medium text-success" : "font-medium text-danger"}>
        {value ? "✓ true" : "✗ false"}
      </span>
    );
  if (typeof value === "string")
    return ISO_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? (
      <time dateTime={value}>{dateTime(value)}</time>
    ) : (
      <span className="font-mono">{value}</span>
    );
  if (typeof value === "number") return <span className="tabular-nums">{value}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="text-ink-700/70">—</span>;
    if (value.every((entry) => typeof entry !== "object" || entry === null))
      return <span className="font-mono">{value.map(String).join(", ")}</span>;
    return (
      <ul className="flex flex-col gap-1">
        {value.map((entry, index) => (
          <li key={index} className="rounded bg-white px-2 py-1 ring-1 ring-stone-200">
            <EvidenceValue value={entry} depth={depth + 1} />
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === "object") {
    if (depth >= 3) return <span className="font-mono">{JSON.stringify(value)}</span>;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return <span className="text-ink-700/70">—</span>;
    return (
      <dl className="grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-2">
        {entries.map(([key, entry]) => (
          <span key={key} className="contents">
            <dt className="text-ink-700" title={key}>
              {evidenceLabel(key)}
            </dt>
            <dd className="min-w-0 break-words">
              <EvidenceValue value={entry} depth={depth + 1} />
            </dd>
          </span>
        ))}
      </dl>
    );
  }
  return <span>{String(value)}</span>;
}
