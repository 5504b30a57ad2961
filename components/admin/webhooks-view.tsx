"use client";

import { type FormEvent, useState } from "react";
import useSWR from "swr";
import type { WebhookDeliveryView, WebhookEndpointView, WebhookEndpointWithSecret } from "@/lib/contracts/pos-events";
import { useAdminAction } from "./admin-action";
import { apiFetch, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { Page } from "./types";
import { Button, Card, ErrorNote, PageTitle, SecretShownOnce, TextField } from "./ui";

/** The POS's webhook endpoints (add, new secret, remove) and the newest deliveries, with "send again". */
export function WebhooksView() {
  const { t, time } = useAdminI18n();
  const endpoints = useSWR<Page<WebhookEndpointView>>("/api/v1/webhook-endpoints", swrFetcher);
  const deliveries = useSWR<Page<WebhookDeliveryView>>("/api/v1/webhook-deliveries?limit=50", swrFetcher, {
    refreshInterval: 5_000,
  });
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [shown, setShown] = useState<WebhookEndpointWithSecret | null>(null);
  const { act, error } = useAdminAction(() => Promise.all([endpoints.mutate(), deliveries.mutate()]));
  const add = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      setShown(await apiFetch("/api/v1/webhook-endpoints", { method: "POST", json: { url, description } }));
      setUrl("");
      setDescription("");
    });
  };
  const urlOf = (id: string) => endpoints.data?.items.find((endpoint) => endpoint.id === id)?.url ?? id;
  const stateLabel = { pending: t("deliveryPending"), delivered: t("deliveryDelivered"), failed: t("deliveryFailed") };

  return (
    <div>
      <PageTitle>{t("webhooksTitle")}</PageTitle>
      <p className="mb-4 text-sm text-ink-700">{t("webhooksIntro")}</p>
      <ErrorNote error={error} />
      {shown ? (
        <SecretShownOnce
          message={t("webhookSecretOnce", { url: shown.url })}
          secret={shown.secret}
          testId="webhook-secret"
        />
      ) : null}
      <Card className="mb-5">
        <form onSubmit={add} className="grid gap-3 sm:grid-cols-[2fr_1fr_auto] sm:items-end">
          <TextField
            id="webhook-url"
            label={t("webhookEndpointUrl")}
            type="url"
            required
            value={url}
            onChange={setUrl}
          />
          <TextField
            id="webhook-description"
            label={t("webhookDescription")}
            value={description}
            onChange={setDescription}
          />
          <Button type="submit" variant="primary">
            {t("addWebhook")}
          </Button>
        </form>
      </Card>
      <Card className="mb-5">
        {endpoints.data?.items.length === 0 ? <p className="text-sm text-ink-700">{t("webhookNone")}</p> : null}
        <ul className="divide-y divide-stone-100" data-testid="webhook-endpoints">
          {endpoints.data?.items.map((endpoint) => (
            <li key={endpoint.id} className="flex flex-wrap items-center gap-3 py-3">
              <div className="min-w-0 flex-1">
                <p className="break-all font-medium">{endpoint.url}</p>
                <p className="text-xs text-ink-700">{endpoint.description || endpoint.events.join(", ")}</p>
              </div>
              <Button
                onClick={() =>
                  void act(async () =>
                    setShown(
                      await apiFetch(`/api/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { method: "POST" }),
                    ),
                  )
                }
              >
                {t("webhookRotate")}
              </Button>
              <Button
                variant="danger"
                onClick={() =>
                  void act(() => apiFetch(`/api/v1/webhook-endpoints/${endpoint.id}`, { method: "DELETE" }))
                }
              >
                {t("webhookDelete")}
              </Button>
            </li>
          ))}
        </ul>
      </Card>
      <h2 className="mb-2 text-base font-semibold">{t("webhookDeliveries")}</h2>
      <div className="overflow-x-auto rounded-2xl border border-stone-200 bg-white shadow-sm">
        {deliveries.data?.items.length === 0 ? (
          <p className="p-5 text-sm text-ink-700">{t("webhookNoDeliveries")}</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="webhook-deliveries">
            <thead className="text-xs text-ink-700">
              <tr>
                <th className="p-3">{t("deliveryEvent")}</th>
                <th className="p-3">{t("webhookEndpointUrl")}</th>
                <th className="p-3">{t("deliveryState")}</th>
                <th className="p-3">{t("deliveryAttempts")}</th>
                <th className="p-3">{t("deliveryNextRetry")}</th>
                <th className="p-3" />
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {deliveries.data?.items.map((delivery) => (
                <tr key={delivery.id}>
                  <td className="p-3">
                    {delivery.eventType}
                    <span className="block text-xs text-ink-700">{delivery.subject}</span>
                  </td>
                  <td className="break-all p-3">{urlOf(delivery.endpointId)}</td>
                  <td className="p-3">
                    {stateLabel[delivery.state]}
                    {delivery.lastStatus !== undefined || delivery.lastError ? (
                      <span className="block text-xs text-ink-700">{delivery.lastStatus ?? delivery.lastError}</span>
                    ) : null}
                  </td>
                  <td className="p-3">{delivery.attempts}</td>
                  <td className="p-3">{delivery.nextAttemptAt ? time(delivery.nextAttemptAt) : "–"}</td>
                  <td className="p-3">
                    <Button
                      onClick={() =>
                        void act(() =>
                          apiFetch(`/api/v1/webhook-deliveries/${delivery.id}/send-again`, { method: "POST" }),
                        )
                      }
                    >
                      {t("webhookSendAgain")}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
