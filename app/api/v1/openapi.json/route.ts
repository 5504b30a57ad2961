// GET /api/v1/openapi.json: the POS API description (public, no secrets).
import { json } from "@/lib/http/api";
import { buildOpenApiDocument } from "@/lib/http/openapi";
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET() {
  const rt = await getRuntime();
  return json(buildOpenApiDocument(rt.config.publicUrl), { headers: { "cache-control": "public, max-age=60" } });
}
