// GET /api/health: liveness, what the app talks to and the webhook registration's last check. No secrets.
// A 503 while the store does not answer.
import { json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (_request, { health }) => {
  const report = await health.report();
  return json(report, { status: report.status === "ok" ? 200 : 503 });
});
