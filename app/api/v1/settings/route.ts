// GET /api/v1/settings and PATCH { shopName?, autoCapture?, accentColor? }
import { audit, authorized, json, readJson, route } from "@/lib/http/api";
import { SettingsPatchSchema } from "@/lib/contracts/settings";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (request, services) => {
  await authorized(request, services, "settings:read");
  return json(await services.settings.get());
});

export const PATCH = route(async (request, services) => {
  const who = await authorized(request, services, "settings");
  const patch = await readJson(request, SettingsPatchSchema);
  const settings = await services.settings.update(patch);
  await audit(request, services, who, "settings.update", "settings", { detail: { fields: Object.keys(patch) } });
  return json(settings);
});
