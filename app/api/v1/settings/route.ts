// GET /api/v1/settings and PATCH { shopName?, autoCapture? }
import { handle, json, readJson, requireApiAccess } from "@/lib/http/api";
import { getRuntime } from "@/lib/runtime";
import { SettingsPatchSchema } from "@/lib/sales/sale-input";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request) => {
  await requireApiAccess(request);
  return json(await (await getRuntime()).sales.settings());
});

export const PATCH = handle(async (request: Request) => {
  await requireApiAccess(request);
  const patch = await readJson(request, SettingsPatchSchema);
  return json(await (await getRuntime()).sales.updateSettings(patch));
});
