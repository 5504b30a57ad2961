// GET /api/health: liveness, what the app talks to and the webhook registration's last check. No secrets.
import { json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (_request, { health }) => json(await health.report()));
