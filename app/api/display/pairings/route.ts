// POST /api/display/pairings starts pairing (a code to show); GET tells a paired display its terminal.
import { clientKey, sharedRateLimiter } from "@/lib/auth/rate-limit";
import { pairedTerminalOf } from "@/lib/display/display-auth";
import { createPairing } from "@/lib/display/pairing";
import { handle, json } from "@/lib/http/api";
import { ProblemError, problemResponse } from "@/lib/http/problem";
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = handle(async (request: Request) => {
  // A display asks for a new code every ten minutes; anything much faster is someone filling the table.
  const verdict = sharedRateLimiter("display-pairing", 20, 60_000).consume(clientKey(request), Date.now());
  if (!verdict.allowed) {
    const seconds = Math.ceil(verdict.retryAfterMs / 1000);
    return problemResponse(new ProblemError("rateLimited", `Too many pairing codes. Try again in ${seconds} s.`).problem, {
      "retry-after": String(seconds),
    });
  }
  const rt = await getRuntime();
  const nowMs = rt.clock.now();
  const pairing = await createPairing(rt.store, nowMs);
  return json({ ...pairing, serverTime: new Date(nowMs).toISOString() }, { status: 201 });
});

export const GET = handle(async (request: Request) => {
  const terminalId = await pairedTerminalOf(request);
  if (!terminalId) throw new ProblemError("notFound", "This browser is not a paired display.");
  return json({ terminalId });
});
