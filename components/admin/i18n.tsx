"use client";

import { createContext, useContext, useMemo, type ReactNode } from "react";
import { ADMIN_MESSAGES, SALE_STATE_LABELS, fill, type AdminMessageKey } from "@/lib/i18n/admin-messages";
import { LOCALE_BY_LANGUAGE, formatAmount } from "@/lib/i18n/locale";
import type { Language, SaleState } from "@/lib/sales/types";

export const ADMIN_LANGUAGE_COOKIE = "kassa_admin_lang";

interface AdminI18n {
  language: Language;
  t: (key: AdminMessageKey, values?: Record<string, string | number>) => string;
  stateLabel: (state: SaleState) => string;
  money: (value: number, currency: string) => string;
  dateTime: (iso: string) => string;
  time: (iso: string) => string;
}

const I18nContext = createContext<AdminI18n | null>(null);

export function AdminI18nProvider({ language, children }: { language: Language; children: ReactNode }) {
  const value = useMemo<AdminI18n>(() => {
    const messages = ADMIN_MESSAGES[language];
    const locale = LOCALE_BY_LANGUAGE[language];
    const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
    const timeFormat = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    return {
      language,
      t: (key, values) => (values ? fill(messages[key], values) : messages[key]),
      stateLabel: (state) => SALE_STATE_LABELS[language][state],
      money: (amount, currency) => formatAmount(amount, currency, language),
      dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
      time: (iso) => timeFormat.format(new Date(iso)),
    };
  }, [language]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useAdminI18n(): AdminI18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useAdminI18n must be used inside AdminI18nProvider");
  return value;
}
