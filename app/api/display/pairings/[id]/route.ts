// GET /api/display/pairings/{id}: the display polls its pairing; once paired it receives its device cookie.
import { claimPairing, deviceCookie } from "@/lib/display/pairing";
import { handle, json, type RouteParams } from "@/lib/http/api";
import { ProblemError } from "@/lib/http/problem";
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = handle(async (_request: Request, { params }: RouteParams<{ id: string }>) => {
  const { id } = await params;
  const rt = await getRuntime();
  const result = await claimPairing(rt.store, id, rt.clock.now());
  if (!result) throw new ProblemError("notFound", "No such pairing. Start a new one.");
  if (result.status === "paired") {
    const headers: HeadersInit = result.deviceToken
      ? { "set-cookie": deviceCookie(result.deviceToken, rt.config.publicUrl.startsWith("https:")) }
      : {};
    return json({ status: "paired", terminalId: result.terminalId }, { headers });
  }
  return json(result);
});
