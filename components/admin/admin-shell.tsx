"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { ADMIN_LANGUAGE_COOKIE } from "@/lib/i18n/admin-language";
import { LANGUAGE_NAMES } from "@/lib/i18n/locale";
import { LANGUAGES, type Language } from "@/lib/sales/types";
import useSWR from "swr";
import { apiFetch, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import { PublicUrlBanner } from "./public-url-banner";

const RUNS_A_STORE: readonly string[] = ["owner", "manager"];
const OWNER: readonly string[] = ["owner"];
/** Each page and the roles it is shown to; the server refuses the rest whatever is shown. */
const NAV = [
  { href: "/admin", key: "navTill", roles: undefined },
  { href: "/admin/sales", key: "navSales", roles: undefined },
  { href: "/admin/terminals", key: "navTerminals", roles: RUNS_A_STORE },
  { href: "/admin/stores", key: "navStores", roles: OWNER },
  { href: "/admin/closes", key: "navCloses", roles: RUNS_A_STORE },
  { href: "/admin/settlements", key: "navSettlements", roles: RUNS_A_STORE },
  { href: "/admin/products", key: "navProducts", roles: RUNS_A_STORE },
  { href: "/admin/webhooks", key: "navWebhooks", roles: OWNER },
  { href: "/admin/settings", key: "navSettings", roles: RUNS_A_STORE },
  { href: "/admin/go-live", key: "navGoLive", roles: OWNER },
  { href: "/admin/staff", key: "navStaff", roles: RUNS_A_STORE },
  { href: "/admin/api-keys", key: "navApiKeys", roles: OWNER },
  { href: "/admin/audit", key: "navAudit", roles: RUNS_A_STORE },
  { href: "/admin/sessions", key: "navSessions", roles: undefined },
] as const;

/** `publicUrl` is PUBLIC_URL, from the server: the origin QR codes and display links point at. */
export function AdminShell({ publicUrl, children }: { publicUrl: string; children: ReactNode }) {
  const { t, language } = useAdminI18n();
  const pathname = usePathname();
  const router = useRouter();

  const me = useSWR<{ role?: string }>("/api/v1/me", swrFetcher);
  // Until the role is known, only the pages every role has.
  const shown = NAV.filter((item) => !item.roles || (me.data?.role !== undefined && item.roles.includes(me.data.role)));
  const isActive = (href: string) => (href === "/admin" ? pathname === "/admin" : pathname.startsWith(href));

  function changeLanguage(next: Language) {
    document.cookie = `${ADMIN_LANGUAGE_COOKIE}=${next}; Path=/admin; Max-Age=31536000; SameSite=Lax`;
    router.refresh();
  }

  async function signOut() {
    await apiFetch("/api/admin/session", { method: "DELETE" }).catch(() => undefined);
    window.location.assign("/admin/login");
  }

  return (
    <div className="flex min-h-dvh flex-col">
      <header className="sticky top-0 z-20 bg-ink-900 text-white shadow-sm">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2.5 sm:px-6">
          <Link href="/admin" className="flex items-center gap-2 py-1 font-semibold">
            <span className="inline-block h-2.5 w-2.5 rounded-full bg-brand" aria-hidden />
            Kassa
          </Link>
          <nav aria-label="Admin" className="order-3 -mx-1 flex w-full gap-1 overflow-x-auto sm:order-none sm:w-auto">
            {shown.map((item) => (
              <Link
                key={item.href}
                href={item.href}
                aria-current={isActive(item.href) ? "page" : undefined}
                className={`rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap transition ${
                  isActive(item.href) ? "bg-white/15 text-white" : "text-ink-200 hover:bg-white/10 hover:text-white"
                }`}
              >
                {t(item.key)}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-3">
            <label className="sr-only" htmlFor="admin-language">
              {t("language")}
            </label>
            <select
              id="admin-language"
              value={language}
              onChange={(event) => changeLanguage(event.target.value as Language)}
              className="rounded-md border border-white/20 bg-ink-800 px-2 py-1 text-sm text-white"
            >
              {LANGUAGES.map((code) => (
                <option key={code} value={code}>
                  {LANGUAGE_NAMES[code]}
                </option>
              ))}
            </select>
            <button
              type="button"
              onClick={signOut}
              data-testid="admin-sign-out"
              className="rounded-md px-2.5 py-1 text-sm text-ink-200 hover:bg-white/10 hover:text-white"
            >
              {t("signOut")}
            </button>
          </div>
        </div>
      </header>
      <PublicUrlBanner publicUrl={publicUrl} />
      <main className="mx-auto w-full max-w-7xl flex-1 px-4 py-5 sm:px-6 sm:py-7">{children}</main>
    </div>
  );
}
