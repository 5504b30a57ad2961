// PUT /api/v1/settings/logo (the image's bytes as the body: image/png, image/jpeg or image/svg+xml)
// and DELETE. The logo itself is served to the displays at GET /api/display/branding/logo.
import { declaredLogoType, LOGO_MAX_BYTES } from "@/lib/branding/logo-format";
import { audit, authorized, json, route } from "@/lib/http/api";
import { readBodyWithLimit } from "@/lib/http/body";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const PUT = route(async (request, services) => {
  const who = await authorized(request, services, "settings");
  const declared = declaredLogoType(request.headers.get("content-type"));
  const bytes = await readBodyWithLimit(request, LOGO_MAX_BYTES);
  const settings = await services.settings.setLogo(bytes, declared);
  await audit(request, services, who, "settings.logo", "settings");
  return json(settings);
});

export const DELETE = route(async (request, services) => {
  const who = await authorized(request, services, "settings");
  await services.settings.removeLogo();
  await audit(request, services, who, "settings.logo-removed", "settings");
  return new Response(null, { status: 204 });
});
