"use client";

import type { GoLiveStore } from "@/lib/contracts/go-live";
import type { AdminMessageKey } from "@/lib/i18n/admin-messages";
import { useAdminI18n } from "./i18n";
import { Card } from "./ui";

const CHECKS: { id: keyof GoLiveStore["checks"]; key: AdminMessageKey }[] = [
  { id: "msn", key: "goLiveStoreMsn" },
  { id: "keys", key: "goLiveStoreKeys" },
  { id: "webhook", key: "goLiveStoreWebhook" },
];

/** Each store's own checks as a sales unit: its MSN, its keys at Vipps, its webhook registration (icon and words). */
export function GoLiveStores({ stores }: { stores: readonly GoLiveStore[] }) {
  const { t } = useAdminI18n();
  if (stores.length === 0) return null;
  return (
    <section className="mb-5" aria-labelledby="go-live-stores" data-testid="go-live-stores">
      <h2 id="go-live-stores" className="mb-1 text-lg font-semibold">
        {t("goLiveStores")}
      </h2>
      <p className="mb-3 max-w-3xl text-sm text-ink-700">{t("goLiveStoresIntro")}</p>
      <ul className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
        {stores.map((store) => (
          <li key={store.storeId} data-testid={`go-live-store-${store.storeId}`} data-ok={store.ok}>
            <Card className={`h-full ${store.ok ? "" : "border-amber-300"}`}>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <h3 className="font-semibold">{store.name}</h3>
                <span
                  className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${
                    store.ok ? "bg-green-50 text-green-900 ring-green-300" : "bg-amber-50 text-amber-900 ring-amber-300"
                  }`}
                >
                  {store.ok ? t("goLiveStoreReady") : t("goLiveStoreNotReady")}
                </span>
              </div>
              <p className="mt-0.5 text-sm text-ink-700">
                MSN <span className="font-mono">{store.msn || "—"}</span> ·{" "}
                {store.keys === "own" ? t("storeKeysOwn") : t("storeKeysPartner")}
              </p>
              <ul className="mt-2 flex flex-col gap-1.5 text-sm">
                {CHECKS.map(({ id, key }) => {
                  const check = store.checks[id];
                  return (
                    <li key={id} className="flex items-start gap-2" data-testid={`go-live-store-check-${id}`}>
                      <MetMark ok={check.ok} size="small" />
                      <span className="min-w-0">
                        <span className="font-medium">{t(key)}</span>
                        <span className="sr-only">: {check.ok ? t("goLiveMet") : t("goLiveNotMet")}</span>
                        {check.detail ? (
                          <span className="block break-words text-xs text-ink-700">{check.detail}</span>
                        ) : null}
                      </span>
                    </li>
                  );
                })}
              </ul>
            </Card>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** ✓ on green for a met item or check, ! on amber for one not met; the words beside it say which to a screen reader. */
export function MetMark({ ok, size }: { ok: boolean; size: "small" | "large" }) {
  const box = size === "small" ? "h-5 w-5 text-xs" : "h-7 w-7 text-sm";
  return (
    <span
      aria-hidden
      className={`mt-0.5 flex ${box} shrink-0 items-center justify-center rounded-full font-bold ${
        ok ? "bg-green-100 text-green-800" : "bg-amber-100 text-amber-900"
      }`}
    >
      {ok ? "✓" : "!"}
    </span>
  );
}
