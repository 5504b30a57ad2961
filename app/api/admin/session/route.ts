// POST /api/admin/session signs a staff member in (sets the session cookie): { username?, password }
// (no username: the owner), or { username, pin } on an enrolled till. DELETE signs this browser out.
import { z } from "zod";
import { json, readJson, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const SignInSchema = z.union([
  z.strictObject({ username: z.string().min(1).max(64).optional(), password: z.string().min(1).max(200) }),
  z.strictObject({
    username: z.string().min(1).max(64),
    pin: z.string().regex(/^[0-9]{4,6}$/, "pin is 4 to 6 digits"),
  }),
]);

export const POST = route(async (request, { admin }) => {
  const { cookies, expiresAt } = await admin.signIn(request, await readJson(request, SignInSchema));
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
