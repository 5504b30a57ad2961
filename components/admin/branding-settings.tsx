"use client";

import { type CSSProperties, useEffect, useId, useState } from "react";
import useSWR from "swr";
import { accentContrast, DEFAULT_ACCENT, formatRatio, isHexColour, MIN_ACCENT_CONTRAST } from "@/lib/branding/colour";
import { apiFetch, errorText, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { SettingsView, StoreView } from "./types";
import { Button, Card, ErrorNote } from "./ui";

/** As LOGO_MAX_BYTES in lib/branding/logo-format.ts (a server module): checked here before uploading. */
const LOGO_MAX_BYTES = 256 * 1024;

/** What the card reads and writes: the shop's settings, or one store. */
type Branded = SettingsView | StoreView;

/** Where a branding's owner lives in the API: the shop's settings, or a store. */
export interface BrandingTarget {
  /** GET and PATCH (accentColor) */
  path: string;
  /** PUT (the bytes) and DELETE */
  logoPath: string;
  title: string;
  hint: string;
  /** The name the displays show above the accent: the shop's, for a store's too. */
  previewName?: string;
}

/**
 * Settings → Branding (and a store's own, on the Stores page): the logo (uploaded as raw bytes,
 * shown back through its public address) and the accent colour (PATCH), with a small preview of
 * the idle display in both.
 */
export function BrandingSettings({ target }: { target?: BrandingTarget }) {
  const { t } = useAdminI18n();
  const { path, logoPath, title, hint, previewName } = target ?? {
    path: "/api/v1/settings",
    logoPath: "/api/v1/settings/logo",
    title: t("brandingTitle"),
    hint: t("brandingHint"),
  };
  const { data, mutate } = useSWR<Branded>(path, swrFetcher);
  const [colour, setColour] = useState(DEFAULT_ACCENT);
  const [busy, setBusy] = useState<"logo" | "colour" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const ids = useId();

  const savedColour = data?.accentColor ?? DEFAULT_ACCENT;
  useEffect(() => setColour(savedColour), [savedColour]);

  if (!data) return null;

  const valid = isHexColour(colour);
  const ratio = valid ? accentContrast(colour) : 0;
  const tooDark = valid && ratio < MIN_ACCENT_CONTRAST;
  const shownColour = valid && !tooDark ? colour : savedColour;

  async function run(kind: "logo" | "colour", work: () => Promise<Branded | undefined>, done: string) {
    setBusy(kind);
    setError(null);
    setNotice(null);
    try {
      const updated = await work();
      if (updated) await mutate(updated, { revalidate: false });
      else await mutate();
      setNotice(done);
    } catch (caught) {
      setError(errorText(caught, t("errorGeneric"), { firstField: true }));
    } finally {
      setBusy(null);
    }
  }

  function upload(file: File) {
    if (file.size > LOGO_MAX_BYTES) {
      setNotice(null);
      setError(t("logoTooLarge", { size: Math.ceil(file.size / 1024) }));
      return;
    }
    void run(
      "logo",
      () =>
        apiFetch<Branded>(logoPath, {
          method: "PUT",
          // The server judges the bytes; the browser's guess of the type only has to agree with them.
          headers: { "content-type": file.type || "application/octet-stream" },
          body: file,
        }),
      t("logoUploaded"),
    );
  }

  const saveColour = (accentColor: string | null) =>
    run("colour", () => apiFetch<Branded>(path, { method: "PATCH", json: { accentColor } }), t("accentSaved"));

  return (
    <Card className="mt-5">
      <h2 className="text-base font-semibold">{title}</h2>
      <p className="mt-1 text-xs text-ink-700/80">{hint}</p>
      <div className="mt-5 grid gap-6 md:grid-cols-[minmax(0,1fr)_minmax(0,16rem)]">
        <div className="flex flex-col gap-6">
          <div className="flex flex-col gap-2" data-testid="branding-logo">
            <span className="text-sm font-medium text-ink-800">{t("logoLabel")}</span>
            {data.logo ? null : <p className="text-sm text-ink-700">{t("logoNone")}</p>}
            <div className="flex flex-wrap items-center gap-3">
              <input
                id={`${ids}-logo`}
                type="file"
                accept="image/png,image/jpeg,image/svg+xml"
                data-testid="branding-logo-file"
                className="peer sr-only"
                disabled={busy !== null}
                onChange={(event) => {
                  const file = event.target.files?.[0];
                  event.target.value = "";
                  if (file) upload(file);
                }}
              />
              <label
                htmlFor={`${ids}-logo`}
                className="inline-flex cursor-pointer items-center justify-center gap-2 rounded-lg border border-stone-300 bg-white px-4 py-2.5 text-sm font-semibold text-ink-900 transition peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-dark peer-disabled:cursor-not-allowed peer-disabled:opacity-50 hover:bg-stone-100"
              >
                {busy === "logo" ? t("logoUploading") : data.logo ? t("logoReplace") : t("logoChoose")}
              </label>
              {data.logo ? (
                <Button
                  variant="danger"
                  disabled={busy !== null}
                  onClick={() =>
                    void run("logo", async () => apiFetch<undefined>(logoPath, { method: "DELETE" }), t("logoRemoved"))
                  }
                >
                  {t("logoRemove")}
                </Button>
              ) : null}
            </div>
            <p className="text-xs text-ink-700/80">{t("logoHint")}</p>
          </div>

          <div className="flex flex-col gap-2">
            <label htmlFor={`${ids}-accent`} className="text-sm font-medium text-ink-800">
              {t("accentLabel")}
            </label>
            <div className="flex flex-wrap items-center gap-3">
              <input
                type="color"
                aria-label={t("accentLabel")}
                data-testid="branding-accent-picker"
                value={valid ? colour : savedColour}
                onChange={(event) => setColour(event.target.value)}
                className="h-11 w-14 cursor-pointer rounded-lg border border-stone-300 bg-white p-1"
              />
              <input
                id={`${ids}-accent`}
                data-testid="branding-accent"
                value={colour}
                maxLength={7}
                spellCheck={false}
                onChange={(event) => setColour(event.target.value.trim())}
                className="block w-32 rounded-lg border border-stone-300 bg-white px-3 py-2 font-mono text-base text-ink-900 outline-none focus:border-brand-dark focus:ring-2 focus:ring-brand/30"
              />
              <Button
                variant="primary"
                disabled={busy !== null || !valid || tooDark || colour.toLowerCase() === (data.accentColor ?? "")}
                onClick={() => void saveColour(colour.toLowerCase())}
              >
                {t("accentSave")}
              </Button>
              {data.accentColor ? (
                <Button variant="ghost" disabled={busy !== null} onClick={() => void saveColour(null)}>
                  {t("accentDefault")}
                </Button>
              ) : null}
            </div>
            <p
              data-testid="branding-contrast"
              className={`text-sm ${valid && !tooDark ? "text-ink-700" : "font-medium text-danger"}`}
            >
              {!valid
                ? t("accentInvalid")
                : tooDark
                  ? t("accentTooDark", { ratio: formatRatio(ratio) })
                  : t("accentContrast", { ratio: formatRatio(ratio) })}
            </p>
            <p className="text-xs text-ink-700/80">{t("accentHint")}</p>
          </div>
          <ErrorNote error={error} />
          {notice ? (
            <p role="status" className="text-sm font-medium text-success">
              {notice}
            </p>
          ) : null}
        </div>

        <figure className="flex flex-col gap-2">
          <figcaption className="text-sm font-medium text-ink-800">{t("brandingPreview")}</figcaption>
          <div
            data-testid="branding-preview"
            style={{ "--brand": shownColour } as CSSProperties}
            className="flex aspect-[4/3] flex-col items-center justify-center gap-2 rounded-xl bg-[radial-gradient(ellipse_at_top,color-mix(in_srgb,var(--brand)_12%,#2a2640),#100e1a_70%)] p-4 text-center ring-1 ring-ink-900/10"
          >
            {data.logo ? (
              // biome-ignore lint/performance/noImgElement: the stored logo as the display shows it, through the same public address.
              <img
                data-testid="branding-logo-preview"
                src={data.logo.url}
                alt={t("logoAlt")}
                className="max-h-16 max-w-[80%] object-contain"
              />
            ) : null}
            <p className="max-w-full truncate text-lg font-bold text-white">
              {previewName ?? ("shopName" in data ? data.shopName : "")}
            </p>
            <span className="h-1 w-10 rounded-full bg-(--brand)" aria-hidden />
            <span className="mt-2 h-2.5 w-2.5 rounded-full bg-(--brand)" aria-hidden />
          </div>
        </figure>
      </div>
    </Card>
  );
}
