import type { Metadata } from "next";
import type { ReactNode } from "react";
import { cookies, headers } from "next/headers";
import { AdminI18nProvider } from "@/components/admin/i18n";
import { ADMIN_LANGUAGE_COOKIE, adminLanguage } from "@/lib/i18n/admin-language";
import { loadAdminMessages } from "@/lib/i18n/load-admin-messages";
import { getServices } from "@/lib/runtime";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Kassa admin" } };

/** The cashier's language: their own choice (a cookie) or else what the browser asks for. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const language = adminLanguage(
    (await cookies()).get(ADMIN_LANGUAGE_COOKIE)?.value,
    (await headers()).get("accept-language"),
  );
  const messages = await loadAdminMessages(language);
  const wallet = (await getServices()).walletBrand();
  return (
    <AdminI18nProvider language={language} messages={messages} wallet={wallet}>
      <div lang={language} className="min-h-dvh bg-stone-50 text-ink-900">
        {children}
      </div>
    </AdminI18nProvider>
  );
}
