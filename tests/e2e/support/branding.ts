/**
 * A shop's branding for the browser tests and the README's screenshots: a small SVG mark (a cup
 * on a green disc) and the accent colour that goes with it.
 */
import type { AppHandle } from "../../support/app-server";

export const SAMPLE_ACCENT = "#2fbf71";
/** rgb() of SAMPLE_ACCENT, as getComputedStyle reports it. */
export const SAMPLE_ACCENT_RGB = "rgb(47, 191, 113)";

export const SAMPLE_LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="240" height="240">
  <title>Kassa demo shop</title>
  <circle cx="60" cy="60" r="56" fill="${SAMPLE_ACCENT}"/>
  <path d="M44 22c-5 6 5 10 0 16M58 20c-5 6 5 10 0 16M72 22c-5 6 5 10 0 16" fill="none" stroke="#fff" stroke-width="4" stroke-linecap="round" opacity="0.85"/>
  <path d="M31 46h48v18a24 24 0 0 1-48 0z" fill="#fff"/>
  <path d="M79 51h5a10 10 0 0 1 0 20h-6" fill="none" stroke="#fff" stroke-width="6"/>
  <rect x="27" y="92" width="56" height="6" rx="3" fill="#fff"/>
</svg>
`;

/** Gives the app's shop a name, the sample logo and the sample accent through the POS API. */
export async function brandShop(app: AppHandle, shopName = "Kassa demo shop"): Promise<void> {
  const named = await app.api("/api/v1/settings", { method: "PATCH", json: { shopName, accentColor: SAMPLE_ACCENT } });
  if (named.status !== 200) throw new Error(`PATCH /api/v1/settings answered ${named.status}: ${await named.text()}`);
  const logo = await app.api("/api/v1/settings/logo", {
    method: "PUT",
    body: SAMPLE_LOGO_SVG,
    headers: { "content-type": "image/svg+xml" },
  });
  if (logo.status !== 200) throw new Error(`PUT /api/v1/settings/logo answered ${logo.status}: ${await logo.text()}`);
}
