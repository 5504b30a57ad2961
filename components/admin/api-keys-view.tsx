"use client";

import { type FormEvent, useState } from "react";
import useSWR from "swr";
import type { ApiKeyView } from "@/lib/contracts/staff";
import { useAdminAction } from "./admin-action";
import { apiFetch, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { Page } from "./types";
import {
  Button,
  Card,
  ConfirmButton,
  commaList,
  ErrorNote,
  ListRow,
  PageTitle,
  SecretShownOnce,
  TextField,
} from "./ui";

const SCOPES = ["sales:read", "sales:write", "refunds", "catalogue", "terminals", "settings", "events"] as const;

/** Named API keys with scopes, for some stores or all: made (shown once), rotated and revoked. */
export function ApiKeysView() {
  const { t } = useAdminI18n();
  const keys = useSWR<Page<ApiKeyView>>("/api/v1/api-keys", swrFetcher);
  const [name, setName] = useState("");
  const [stores, setStores] = useState("");
  const [scopes, setScopes] = useState<string[]>(["sales:read", "sales:write"]);
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const { act, error } = useAdminAction(() => keys.mutate(), { firstField: true });
  const storeIds = commaList(stores);
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
  const revoke = (key: ApiKeyView) => act(() => apiFetch(`/api/v1/api-keys/${key.id}`, { method: "DELETE" }));
  const toggle = (scope: string) =>
    setScopes(scopes.includes(scope) ? scopes.filter((s) => s !== scope) : [...scopes, scope]);

  return (
    <div>
      <PageTitle>{t("apiKeysTitle")}</PageTitle>
      <p className="mb-4 text-sm text-ink-700">{t("apiKeysIntro")}</p>
      <ErrorNote error={error} />
      {shown ? (
        <SecretShownOnce message={t("apiKeyOnce", { name: shown.name })} secret={shown.key} testId="api-key-secret" />
      ) : null}
      <Card className="mb-5">
        <form onSubmit={add} className="grid gap-3">
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField id="api-key-name" label={t("apiKeyName")} required value={name} onChange={setName} />
            <TextField
              id="api-key-stores"
              label={t("staffStores")}
              hint={t("apiKeyStoresHint")}
              value={stores}
              onChange={setStores}
            />
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
            <ListRow
              key={key.id}
              title={key.name}
              details={
                <>
                  {key.scopes.join(", ")} · {key.storeIds ? key.storeIds.join(", ") : t("apiKeyAllStores")}
                  {key.revokedAt ? ` · ${t("apiKeyRevoked")}` : ""}
                </>
              }
            >
              {key.revokedAt ? null : (
                <>
                  <Button onClick={() => void rotate(key)}>{t("apiKeyRotate")}</Button>
                  <ConfirmButton question={t("apiKeyRevokeConfirm", { name: key.name })} onConfirm={() => revoke(key)}>
                    {t("apiKeyRevoke")}
                  </ConfirmButton>
                </>
              )}
            </ListRow>
          ))}
        </ul>
      </Card>
    </div>
  );
}
