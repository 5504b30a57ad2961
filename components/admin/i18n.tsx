"use client";

import { createContext, useContext, useMemo, type ReactNode } from "react";
import { type AdminMessageKey, type AdminMessages, SALE_STATE_LABELS, fill } from "@/lib/i18n/admin-messages";
import { LOCALE_BY_LANGUAGE, formatAmount } from "@/lib/i18n/locale";
import type { Language, SaleState } from "@/lib/sales/types";
import { type WalletBrand, walletBrandName } from "@/lib/vipps/brand";

interface AdminI18n {
  language: Language;
  /** The wallet's name on the day the page was served (MobilePay becomes Vipps on 12 January 2027). */
  wallet: WalletBrand;
  t: (key: AdminMessageKey, values?: Record<string, string | number>) => string;
  stateLabel: (state: SaleState) => string;
  money: (value: number, currency: string) => string;
  dateTime: (iso: string) => string;
  time: (iso: string) => string;
}

const I18nContext = createContext<AdminI18n | null>(null);

/** `messages` is the one language the server layout loaded: the others never reach the browser. */
export function AdminI18nProvider({
  language,
  messages,
  wallet,
  children,
}: {
  language: Language;
  messages: AdminMessages;
  wallet: WalletBrand;
  children: ReactNode;
}) {
  const value = useMemo<AdminI18n>(() => {
    const locale = LOCALE_BY_LANGUAGE[language];
    const dateTimeFormat = new Intl.DateTimeFormat(locale, {
      dateStyle: "medium",
      timeStyle: "short",
      hourCycle: "h23",
    });
    const timeFormat = new Intl.DateTimeFormat(locale, {
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    // Every text that names the wallet says {vipps}: "Vipps MobilePay" before the brand change, "Vipps" after.
    const always = { vipps: walletBrandName(wallet) };
    return {
      language,
      wallet,
      t: (key, values) => fill(messages[key], values ? { ...always, ...values } : always),
      stateLabel: (state) => SALE_STATE_LABELS[language][state],
      money: (amount, currency) => formatAmount(amount, currency, language),
      dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
      time: (iso) => timeFormat.format(new Date(iso)),
    };
  }, [language, messages, wallet]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useAdminI18n(): AdminI18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useAdminI18n must be used inside AdminI18nProvider");
  return value;
}
