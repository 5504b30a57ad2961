// PUT /api/v1/settings/logo (the image's bytes as the body: image/png, image/jpeg or image/svg+xml)
// and DELETE. The logo itself is served to the displays at GET /api/display/branding/logo.
import { declaredLogoType, LOGO_MAX_BYTES } from "@/lib/branding/logo-format";
import { authenticate, json, route } from "@/lib/http/api";
import { readBodyWithLimit } from "@/lib/http/body";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const PUT = route(async (request, services) => {
  await authenticate(request, services);
  const declared = declaredLogoType(request.headers.get("content-type"));
  const bytes = await readBodyWithLimit(request, LOGO_MAX_BYTES);
  return json(await services.settings.setLogo(bytes, declared));
});

export const DELETE = route(async (request, services) => {
  await authenticate(request, services);
  await services.settings.removeLogo();
  return new Response(null, { status: 204 });
});
