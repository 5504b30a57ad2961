import type { Language } from "@/lib/sales/types";

/** BCP 47 locale per supported language, for Intl number, date and plural rules. */
export const LOCALE_BY_LANGUAGE: Record<Language, string> = {
  nb: "nb-NO",
  da: "da-DK",
  fi: "fi-FI",
  sv: "sv-SE",
  en: "en-GB",
};

export const LANGUAGE_NAMES: Record<Language, string> = {
  nb: "Norsk bokmål",
  da: "Dansk",
  fi: "Suomi",
  sv: "Svenska",
  en: "English",
};

const SUPPORTED = new Set<string>(["nb", "da", "fi", "sv", "en"]);

/** Maps a browser language (`nb-NO`, `no`, `nn`, `da`, `sv-FI` …) to one we have messages for. */
export function pickLanguage(candidates: readonly string[] | undefined, fallback: Language = "en"): Language {
  for (const candidate of candidates ?? []) {
    const base = candidate.toLowerCase().split("-")[0] ?? "";
    if (base === "no" || base === "nn") return "nb";
    if (SUPPORTED.has(base)) return base as Language;
  }
  return fallback;
}

/** Integer minor units to a localised currency string (`kr 249,00`, `249,00 kr.`, `49,90 €`). */
export function formatAmount(value: number, currency: string, language: Language): string {
  return new Intl.NumberFormat(LOCALE_BY_LANGUAGE[language], {
    style: "currency",
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(value / 100);
}

/** Remaining milliseconds as mm:ss, rounded up so "00:00" appears only at the deadline itself. */
export function formatCountdown(remainingMs: number): string {
  const total = Math.max(0, Math.ceil(remainingMs / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
}
