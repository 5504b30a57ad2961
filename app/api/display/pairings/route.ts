// POST /api/display/pairings starts pairing (a code to show); GET tells a paired display its terminal.
import { json, route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(async (request, { displayAccess }) => {
  return json(await displayAccess.startPairing(request), { status: 201 });
});

export const GET = route(async (request, { displayAccess }) => {
  return json({ terminalId: await displayAccess.pairedTerminalOf(request) });
});
