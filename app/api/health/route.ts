// GET /api/health: liveness and what the app talks to. No secrets.
import { json } from "@/lib/http/api";
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET() {
  const rt = await getRuntime();
  return json({
    status: "ok",
    vipps: rt.config.vippsEnv,
    vippsBaseUrl: rt.config.vipps.baseUrl,
    simulator: rt.simulator !== null,
    webhook: rt.webhookStatus(),
    serverTime: new Date(rt.clock.now()).toISOString(),
    uptimeSeconds: Math.round((Date.now() - rt.startedAt) / 1000),
  });
}
