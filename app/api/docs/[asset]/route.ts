// GET /api/docs/{asset}: Swagger UI's own files from node_modules/swagger-ui-dist, and the page's script and style.
import { DOCS_SCRIPT, DOCS_STYLE } from "../page-html";
import { isSwaggerUiFile, readSwaggerUiFile, SWAGGER_UI_FILES } from "../swagger-assets";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const ONE_DAY = "public, max-age=86400";

const OWN_FILES: Record<string, { body: string; type: string }> = {
  "docs.js": { body: DOCS_SCRIPT, type: "text/javascript; charset=utf-8" },
  "docs.css": { body: DOCS_STYLE, type: "text/css; charset=utf-8" },
};

export async function GET(_request: Request, { params }: { params: Promise<{ asset: string }> }): Promise<Response> {
  const { asset } = await params;
  const own = Object.hasOwn(OWN_FILES, asset) ? OWN_FILES[asset] : undefined;
  if (own) return new Response(own.body, { headers: { "content-type": own.type, "cache-control": ONE_DAY } });
  if (!isSwaggerUiFile(asset))
    return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  const content = await readSwaggerUiFile(asset);
  return new Response(new Uint8Array(content), {
    headers: { "content-type": SWAGGER_UI_FILES[asset], "cache-control": ONE_DAY },
  });
}
