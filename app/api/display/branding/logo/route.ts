// GET /api/display/branding/logo[?store=<id>]: the shop's logo, or a store's own, public (a display
// loads it without the admin's cookies). Every display state names it with ?v=<version>, which changes with each
// upload: such an address may be cached for good; without it, the ETag answers.
import { DomainError } from "@/lib/errors";
import { route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, { settings, stores }) => {
  const storeId = new URL(request.url).searchParams.get("store");
  const logo = storeId ? await stores.logo(storeId) : await settings.logo();
  if (!logo) throw new DomainError("notFound", storeId ? "The store has no logo of its own" : "The shop has no logo");
  const etag = `"${logo.version}"`;
  const pinned = new URL(request.url).searchParams.get("v") === logo.version;
  const headers = new Headers({
    etag,
    "cache-control": pinned ? "public, max-age=31536000, immutable" : "no-cache",
    // An SVG opened on its own is a document: it may draw, never run script or load anything.
    // next.config.mjs sends the same policy for this path, since its headers win over a route's.
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "cross-origin-resource-policy": "same-origin",
    "content-disposition": `inline; filename="logo.${logo.contentType === "image/svg+xml" ? "svg" : logo.contentType === "image/png" ? "png" : "jpg"}"`,
  });
  const matches = (request.headers.get("if-none-match") ?? "")
    .split(",")
    .some((tag) => tag.trim().replace(/^W\//, "") === etag);
  if (matches) return new Response(null, { status: 304, headers });
  headers.set("content-type", logo.contentType);
  headers.set("content-length", String(logo.bytes.byteLength));
  return new Response(logo.bytes as Uint8Array<ArrayBuffer>, { status: 200, headers });
});
