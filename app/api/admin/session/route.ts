// POST /api/admin/session signs the cashier in (sets the session cookie); DELETE signs out.
import { z } from "zod";
import { ADMIN_SESSION_TTL_MS, clearAdminSessionCookie, createAdminSessionCookie } from "@/lib/auth/admin-session";
import { signIn } from "@/lib/auth/admin-sign-in";
import { handle, json, readJson } from "@/lib/http/api";
import { ProblemError, problemResponse } from "@/lib/http/problem";
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const SignInSchema = z.object({ password: z.string().min(1).max(200) });

export const POST = handle(async (request: Request) => {
  const { password } = await readJson(request, SignInSchema);
  const rt = await getRuntime();
  const result = await signIn(request, password);
  if (!result.ok) {
    if (result.reason === "rate-limited") {
      const error = new ProblemError("rateLimited", `Too many wrong passwords. Try again in ${result.retryAfterSeconds} s.`);
      return problemResponse(error.problem, { "retry-after": String(result.retryAfterSeconds) });
    }
    throw new ProblemError("unauthorized", "The password is wrong.", { errors: [{ field: "password", reason: "wrong" }] });
  }
  const nowMs = rt.clock.now();
  const secure = rt.config.publicUrl.startsWith("https:");
  return json(
    { signedIn: true, expiresAt: new Date(nowMs + ADMIN_SESSION_TTL_MS).toISOString() },
    { headers: { "set-cookie": createAdminSessionCookie(rt.secrets.sessionSecret, nowMs, { secure }) } },
  );
});

export const DELETE = handle(async () => {
  const rt = await getRuntime();
  const secure = rt.config.publicUrl.startsWith("https:");
  return new Response(null, {
    status: 204,
    headers: { "set-cookie": clearAdminSessionCookie({ secure }), "cache-control": "no-store" },
  });
});
