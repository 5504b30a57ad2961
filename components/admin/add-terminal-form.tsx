"use client";

import { useState, type FormEvent } from "react";
import useSWR from "swr";
import { nextFreeTerminalId, TERMINAL_ID_PATTERN } from "@/lib/entities/terminal-ids";
import type { Language } from "@/lib/sales/types";
import { ApiError, apiFetch, errorText, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { Page, StoreView, TerminalView } from "./types";
import { Button, Card, ErrorNote, Field, inputClass } from "./ui";
import { LanguageSelect } from "./language-select";

/** A second counter: a new terminal with its own display link, in a store whose currency it takes. */
export function AddTerminalForm({
  terminals,
  onAdded,
}: {
  terminals: TerminalView[];
  onAdded: () => Promise<unknown>;
}) {
  const { t } = useAdminI18n();
  const template = terminals[0];
  const [name, setName] = useState("");
  const [terminalId, setTerminalId] = useState("");
  const [language, setLanguage] = useState<Language>(template?.language ?? "nb");
  const { data: stores } = useSWR<Page<StoreView>>("/api/v1/stores", swrFetcher);
  // Empty: the first store, as the API does without a storeId.
  const [storeId, setStoreId] = useState("");
  const store = stores?.items.find((candidate) => candidate.id === storeId) ?? stores?.items[0];
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [idError, setIdError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const suggestedId = nextFreeTerminalId(terminals.map((terminal) => terminal.id));
  const trimmedId = terminalId.trim();
  const idLooksWrong = trimmedId !== "" && !TERMINAL_ID_PATTERN.test(trimmedId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setIdError(null);
    setAdded(null);
    try {
      const created = await apiFetch<TerminalView>("/api/v1/terminals", {
        method: "POST",
        json: {
          name: name.trim(),
          ...(trimmedId ? { id: trimmedId } : {}),
          language,
          ...(store
            ? { storeId: store.id, currency: store.currency }
            : template
              ? { currency: template.currency }
              : {}),
        },
      });
      await onAdded();
      setAdded(t("terminalAdded", { name: created.name }));
      setName("");
      setTerminalId("");
    } catch (caught) {
      // A taken or malformed id is shown at the id field; anything else under the form.
      if (caught instanceof ApiError && caught.problem.errors?.some((e) => e.field === "id"))
        setIdError(caught.message);
      else setError(errorText(caught, t("errorGeneric")));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card>
      <h2 className="text-lg font-semibold">{t("addTerminalTitle")}</h2>
      <p className="mt-1 mb-4 text-sm text-ink-700/80">{t("addTerminalHint")}</p>
      <form onSubmit={submit} className="flex flex-col gap-4" data-testid="add-terminal-form">
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <Field label={t("name")} htmlFor="add-terminal-name">
            <input
              id="add-terminal-name"
              data-testid="add-terminal-name"
              value={name}
              required
              maxLength={60}
              onChange={(event) => setName(event.target.value)}
              className={inputClass}
            />
          </Field>
          <Field
            label={t("terminalId")}
            htmlFor="add-terminal-id"
            hint={t("terminalIdHint", { id: suggestedId })}
            error={idError ?? (idLooksWrong ? t("terminalIdInvalid") : null)}
          >
            <input
              id="add-terminal-id"
              data-testid="add-terminal-id"
              value={terminalId}
              maxLength={32}
              placeholder={suggestedId}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              aria-invalid={idLooksWrong || idError ? true : undefined}
              onChange={(event) => {
                setTerminalId(event.target.value.toLowerCase());
                setIdError(null);
              }}
              className={`${inputClass} font-mono`}
            />
          </Field>
          <Field label={t("storeLabel")} htmlFor="add-terminal-store">
            <select
              id="add-terminal-store"
              data-testid="add-terminal-store"
              value={store?.id ?? ""}
              onChange={(event) => setStoreId(event.target.value)}
              className={inputClass}
            >
              {stores?.items.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name} (MSN {candidate.msn})
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("displayLanguage")} htmlFor="add-terminal-language">
            <LanguageSelect
              id="add-terminal-language"
              testId="add-terminal-language"
              value={language}
              onChange={setLanguage}
            />
          </Field>
        </div>
        <ErrorNote error={error} />
        <div className="flex flex-wrap items-center gap-3">
          <Button
            type="submit"
            variant="primary"
            data-testid="add-terminal-submit"
            disabled={busy || name.trim() === "" || idLooksWrong}
          >
            {busy ? t("addingTerminal") : t("addTerminal")}
          </Button>
          {added ? (
            <span role="status" data-testid="add-terminal-success" className="text-sm font-medium text-success">
              {added}
            </span>
          ) : null}
        </div>
      </form>
    </Card>
  );
}
