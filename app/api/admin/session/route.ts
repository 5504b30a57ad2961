// POST /api/admin/session signs the cashier in (sets the session cookie); DELETE signs out.
import { z } from "zod";
import { json, readJson, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const SignInSchema = z.object({ password: z.string().min(1).max(200) });

export const POST = route(async (request, { admin }) => {
  const { password } = await readJson(request, SignInSchema);
  const { cookies, expiresAt } = await admin.signIn(request, password);
  const headers = new Headers();
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return json({ signedIn: true, expiresAt }, { headers });
});

export const DELETE = route(async (request, { admin }) => {
  return new Response(null, {
    status: 204,
    headers: { "set-cookie": await admin.signOut(request), "cache-control": "no-store" },
  });
});
