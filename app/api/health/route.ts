// GET /api/health: liveness and what the app talks to. No secrets.
import { json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async (_request, { health }) => json(health.report()));
