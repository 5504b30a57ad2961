"use client";

import { useSyncExternalStore } from "react";
import { useAdminI18n } from "./i18n";

const neverChanges = () => () => undefined;

/**
 * Warns when the admin is open under another host than PUBLIC_URL's: QR codes and display links
 * point at PUBLIC_URL, so a quick start left at localhost gives phones and tablets links they cannot
 * open. The address is read from the browser, after hydration, because only the browser knows
 * which name it used (a proxy may pass another Host on). Hostnames are compared, not ports: a
 * proxy in front of the app serves PUBLIC_URL on a port of its own.
 */
export function PublicUrlBanner({ publicUrl }: { publicUrl: string }) {
  const { t } = useAdminI18n();
  const pageOrigin = useSyncExternalStore(
    neverChanges,
    () => window.location.origin,
    () => null,
  );
  if (pageOrigin === null) return null;
  const page = new URL(pageOrigin);
  const links = new URL(publicUrl);
  if (page.hostname === links.hostname) return null;
  const names = { publicHost: links.host, here: page.host };
  return (
    <div role="status" data-testid="public-url-banner" className="border-b border-amber-300 bg-amber-50 text-amber-950">
      <div className="mx-auto max-w-7xl px-4 py-3 text-sm sm:px-6">
        <p className="font-semibold">{t("publicUrlMismatch", names)}</p>
        <p className="mt-1">{t("publicUrlMismatchHint", names)}</p>
        <code className="mt-1.5 inline-block max-w-full rounded bg-white break-all px-2 py-1 font-mono text-[13px] select-all ring-1 ring-amber-300">
          PUBLIC_URL={page.origin} npm start
        </code>
      </div>
    </div>
  );
}
