// PUT /api/v1/stores/{id}/logo (the image's bytes as the body: image/png, image/jpeg or image/svg+xml)
// and DELETE: the store's own logo on its displays, over the shop's. Served at
// GET /api/display/branding/logo?store={id}.
import { declaredLogoType, LOGO_MAX_BYTES } from "@/lib/branding/logo-format";
import { audit, authorized, json, route } from "@/lib/http/api";
import { readBodyWithLimit } from "@/lib/http/body";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const PUT = route<{ id: string }>(async (request, services, { id }) => {
  // As the store's other settings: a manager of the store or an owner.
  const who = await authorized(request, services, "settings");
  services.scope.store(who, id);
  const declared = declaredLogoType(request.headers.get("content-type"));
  const bytes = await readBodyWithLimit(request, LOGO_MAX_BYTES);
  const store = await services.stores.setLogo(id, bytes, declared, who);
  await audit(request, services, who, "store.logo", `store:${id}`);
  return json(store);
});

export const DELETE = route<{ id: string }>(async (request, services, { id }) => {
  const who = await authorized(request, services, "settings");
  services.scope.store(who, id);
  await services.stores.removeLogo(id, who);
  await audit(request, services, who, "store.logo-removed", `store:${id}`);
  return new Response(null, { status: 204 });
});
