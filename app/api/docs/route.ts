// GET /api/docs: the POS API reference (Swagger UI over /api/v1/openapi.json), served offline.
import { docsPageHtml } from "./page-html";
import { swaggerUiVersion } from "./swagger-assets";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(): Response {
  return new Response(docsPageHtml(swaggerUiVersion()), {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" },
  });
}
