// A path whose percent-escapes do not decode (`/api/v1/sales/%ff`, `/admin/sales/%ff`) makes Next's
// router throw while it matches a dynamic route, before any route handler or page runs; the client
// got a plain-text 500. This proxy answers such a path with a problem+json 400 instead, naming the
// path, wherever it points.
//
// It must run for as few requests as possible: when a proxy runs for a request with a body, Next
// copies the body for it and waits for the whole body to arrive before the route sees it, which
// would defeat the routes' own early 413 for an endless chunked body. So the matcher takes only
// paths that contain a "%", and only requests without a body or with a small declared one.
import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";

export function proxy(request: NextRequest): Response {
  const { pathname } = request.nextUrl;
  try {
    decodeURIComponent(pathname);
    return NextResponse.next();
  } catch {
    // Percent-encoded, so plain ASCII; cut short so that a huge URL is not echoed back whole.
    const path = pathname.length > 200 ? `${pathname.slice(0, 200)}…` : pathname;
    // The same problem shape and validation type as lib/http/problem.ts (server-only, so not imported here).
    const problem = {
      type: "https://kassa.display/problems/validation-error",
      title: "The request is not valid",
      status: 400,
      detail: `The path ${path} has a malformed percent-escape: it does not decode to UTF-8 text.`,
      errors: [{ field: "(path)", reason: "malformed percent-encoding" }],
    };
    return new Response(JSON.stringify(problem), {
      status: 400,
      headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
    });
  }
}

export const config = {
  matcher: [
    {
      source: "/:path(.*%.*)",
      // A chunked body, or a declared one of 100 000 bytes or more (the API takes at most 64 KiB),
      // goes straight to the routes. Such a request on an undecodable path still gets Next's 500.
      missing: [
        { type: "header", key: "transfer-encoding" },
        { type: "header", key: "content-length", value: "[0-9]{6,}" },
      ],
    },
  ],
};
