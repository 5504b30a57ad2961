"use client";

import { type FormEvent, useState } from "react";
import useSWR from "swr";
import type { ApiKeyView } from "@/lib/contracts/staff";
import { apiFetch, errorText, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { Page } from "./types";
import { Button, Card, ErrorNote, Field, PageTitle, inputClass } from "./ui";

const SCOPES = ["sales:read", "sales:write", "refunds", "catalogue", "terminals", "settings", "events"] as const;

/** Named API keys with scopes, for some stores or all: made (shown once), rotated and revoked. */
export function ApiKeysView() {
  const { t } = useAdminI18n();
  const keys = useSWR<Page<ApiKeyView>>("/api/v1/api-keys", swrFetcher);
  const [name, setName] = useState("");
  const [stores, setStores] = useState("");
  const [scopes, setScopes] = useState<string[]>(["sales:read", "sales:write"]);
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      await keys.mutate();
    } catch (failure) {
      setError(errorText(failure, t("errorGeneric"), { firstField: true }));
    }
  };
  const storeIds = stores
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  const add = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const made = await apiFetch<{ key: string }>("/api/v1/api-keys", {
        method: "POST",
        json: { name, scopes, ...(storeIds.length > 0 ? { storeIds } : {}) },
      });
      setShown({ name, key: made.key });
      setName("");
    });
  };
  const rotate = (key: ApiKeyView) =>
    act(async () => {
      const made = await apiFetch<{ key: string }>(`/api/v1/api-keys/${key.id}/rotate`, { method: "POST" });
      setShown({ name: key.name, key: made.key });
    });
  const revoke = (key: ApiKeyView) => {
    if (window.confirm(t("apiKeyRevokeConfirm", { name: key.name })))
      void act(() => apiFetch(`/api/v1/api-keys/${key.id}`, { method: "DELETE" }));
  };
  const toggle = (scope: string) =>
    setScopes(scopes.includes(scope) ? scopes.filter((s) => s !== scope) : [...scopes, scope]);

  return (
    <div>
      <PageTitle>{t("apiKeysTitle")}</PageTitle>
      <p className="mb-4 text-sm text-ink-700">{t("apiKeysIntro")}</p>
      <ErrorNote error={error} />
      {shown ? (
        <Card className="mb-5 border-brand-dark/40">
          <p className="mb-2 text-sm">{t("apiKeyOnce", { name: shown.name })}</p>
          <code data-testid="api-key-secret" className="block break-all rounded bg-stone-100 p-2 text-sm">
            {shown.key}
          </code>
        </Card>
      ) : null}
      <Card className="mb-5">
        <form onSubmit={add} className="grid gap-3">
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label={t("apiKeyName")} htmlFor="api-key-name">
              <input
                id="api-key-name"
                className={inputClass}
                required
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            </Field>
            <Field label={t("staffStores")} htmlFor="api-key-stores" hint={t("apiKeyStoresHint")}>
              <input
                id="api-key-stores"
                className={inputClass}
                value={stores}
                onChange={(e) => setStores(e.target.value)}
              />
            </Field>
          </div>
          <fieldset className="flex flex-wrap gap-4">
            <legend className="mb-1 text-sm font-medium">{t("apiKeyScopes")}</legend>
            {SCOPES.map((scope) => (
              <label key={scope} className="flex items-center gap-1.5 text-sm">
                <input type="checkbox" checked={scopes.includes(scope)} onChange={() => toggle(scope)} />
                {scope}
              </label>
            ))}
          </fieldset>
          <div>
            <Button type="submit" variant="primary">
              {t("apiKeyAdd")}
            </Button>
          </div>
        </form>
      </Card>
      <Card>
        <ul className="divide-y divide-stone-200" data-testid="api-key-list">
          {keys.data?.items.map((key) => (
            <li key={key.id} className="flex flex-wrap items-center gap-3 py-3">
              <div className="min-w-48 flex-1">
                <p className="font-medium">{key.name}</p>
                <p className="text-sm text-ink-700">
                  {key.scopes.join(", ")} · {key.storeIds ? key.storeIds.join(", ") : t("apiKeyAllStores")}
                  {key.revokedAt ? ` · ${t("apiKeyRevoked")}` : ""}
                </p>
              </div>
              {key.revokedAt ? null : (
                <>
                  <Button onClick={() => void rotate(key)}>{t("apiKeyRotate")}</Button>
                  <Button variant="danger" onClick={() => revoke(key)}>
                    {t("apiKeyRevoke")}
                  </Button>
                </>
              )}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
