"use client";

import { useState } from "react";
import { apiFetch, errorText } from "./api";
import { useAdminI18n } from "./i18n";
import { Button, ErrorNote, inputClass } from "./ui";

/** The terminal's display link, to copy, or to replace when an old one must stop working. */
export function DisplayLink({
  url,
  terminalId,
  terminalName,
  onReplaced,
}: {
  url: string;
  terminalId: string;
  terminalName: string;
  onReplaced: () => void;
}) {
  const { t } = useAdminI18n();
  const [copied, setCopied] = useState(false);
  const [replacing, setReplacing] = useState(false);
  const [replaced, setReplaced] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function replace() {
    if (!window.confirm(t("confirmNewDisplayLink", { name: terminalName }))) return;
    setReplacing(true);
    setReplaced(false);
    setError(null);
    try {
      await apiFetch(`/api/v1/terminals/${encodeURIComponent(terminalId)}/display-link`, { method: "POST" });
      setReplaced(true);
      onReplaced();
    } catch (caught) {
      setError(errorText(caught, t("errorGeneric")));
    } finally {
      setReplacing(false);
    }
  }
  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // Clipboard access needs a secure context; fall back to selecting the text for the cashier.
      const input = document.getElementById(`display-link-${terminalId}`) as HTMLInputElement | null;
      input?.select();
      document.execCommand?.("copy");
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2_000);
  }
  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={`display-link-${terminalId}`} className="text-sm font-medium text-ink-800">
        {t("displayLink")}
      </label>
      {/* The link keeps a readable width: on a narrow screen the buttons wrap below it. */}
      <div className="flex flex-wrap gap-2">
        <input
          id={`display-link-${terminalId}`}
          data-testid={`display-link-${terminalId}`}
          readOnly
          value={url}
          onFocus={(event) => event.currentTarget.select()}
          className={`${inputClass} min-w-0 flex-[1_1_16rem] font-mono text-xs`}
        />
        <div className="flex gap-2">
          <Button
            onClick={() => void copy()}
            data-testid={`display-link-copy-${terminalId}`}
            className="whitespace-nowrap"
          >
            {copied ? t("copied") : t("copy")}
          </Button>
          <a
            href={url}
            target="_blank"
            rel="noreferrer"
            className="inline-flex items-center rounded-lg px-3 text-sm font-semibold whitespace-nowrap text-brand-dark hover:underline"
          >
            {t("open")}
          </a>
          <Button
            variant="ghost"
            className="px-3 whitespace-nowrap"
            data-testid="rotate-display-link"
            data-terminal-id={terminalId}
            disabled={replacing}
            onClick={() => void replace()}
          >
            {replacing ? t("newDisplayLinkWorking") : t("newDisplayLink")}
          </Button>
        </div>
      </div>
      <p className="text-xs text-ink-700/80">{t("displayLinkHint")}</p>
      <ErrorNote error={error} />
      {replaced ? (
        <p role="status" data-testid="display-link-replaced" className="text-sm font-medium text-success">
          {t("displayLinkReplaced")}
        </p>
      ) : null}
    </div>
  );
}
