// GET /api/display/pairings/{id}: the display polls its pairing; once paired it receives its device cookie.
import { json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (_request, { displayAccess }, { id }) => {
  const { body, cookie } = await displayAccess.pollPairing(id);
  return json(body, cookie ? { headers: { "set-cookie": cookie } } : {});
});
