// GET /api/v1/settings and PATCH { shopName?, autoCapture?, accentColor? }
import { authenticate, json, readJson, route } from "@/lib/http/api";
import { SettingsPatchSchema } from "@/lib/contracts/settings";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  await authenticate(request, services);
  return json(await services.settings.get());
});

export const PATCH = route(async (request, services) => {
  await authenticate(request, services);
  return json(await services.settings.update(await readJson(request, SettingsPatchSchema)));
});
