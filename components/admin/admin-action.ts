"use client";

import { useState } from "react";
import { errorText } from "./api";
import { useAdminI18n } from "./i18n";

/**
 * Runs one change the page asks of the API, then refreshes what the page shows; a failure becomes
 * the cashier's message (the first field's reason where asked), and a new try clears the old one.
 */
export async function runAdminAction(
  work: () => Promise<unknown>,
  refresh: () => Promise<unknown>,
  report: (error: string | null) => void,
  fallback: string,
  options: { firstField?: boolean } = {},
): Promise<void> {
  report(null);
  try {
    await work();
    await refresh();
  } catch (failure) {
    report(errorText(failure, fallback, options));
  }
}

/** runAdminAction for a page: `act` runs a change, `error` is what the last one failed with. */
export function useAdminAction(refresh: () => Promise<unknown>, options: { firstField?: boolean } = {}) {
  const { t } = useAdminI18n();
  const [error, setError] = useState<string | null>(null);
  const act = (work: () => Promise<unknown>) => runAdminAction(work, refresh, setError, t("errorGeneric"), options);
  return { act, error };
}
