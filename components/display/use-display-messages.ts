"use client";

import { useEffect, useState } from "react";
import { cachedDisplayMessages, loadDisplayMessages, type DisplayMessages } from "@/lib/i18n/display-messages";
import type { Language } from "@/lib/sales/types";

/** The display's words in `language`, loaded on first use; undefined for the moment it takes. */
export function useDisplayMessages(language: Language | undefined): DisplayMessages | undefined {
  const [, setLoadedCount] = useState(0);
  useEffect(() => {
    if (!language || cachedDisplayMessages(language)) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = (attempt: number) => {
      loadDisplayMessages(language)
        .then(() => !cancelled && setLoadedCount((count) => count + 1))
        // A chunk that fails to load (a network blip) is retried: the kiosk must not stay blank.
        .catch(() => {
          if (!cancelled) timer = setTimeout(() => load(attempt + 1), Math.min(10_000, 500 * 2 ** attempt));
        });
    };
    load(0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [language]);
  return language ? cachedDisplayMessages(language) : undefined;
}
