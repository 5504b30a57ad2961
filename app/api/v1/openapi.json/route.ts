// GET /api/v1/openapi.json: the POS API description (public, no secrets).
import { json, route } from "@/lib/http/api";
import { buildOpenApiDocument } from "@/lib/http/openapi";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (_request, { config }) =>
  json(buildOpenApiDocument(config.publicUrl), { headers: { "cache-control": "public, max-age=60" } }),
);
