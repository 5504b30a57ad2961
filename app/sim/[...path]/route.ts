// /sim/…: the embedded Vipps simulator (lib/simulator) when VIPPS_ENV=simulator and no other
// simulator is named by VIPPS_BASE_URL; a Vipps-style 404 otherwise. Bodies are read with a cap.
import { DomainError } from "@/lib/errors";
import { route } from "@/lib/http/api";
import { readBodyWithLimit } from "@/lib/http/body";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Vipps' own requests are small; the simulator refuses more than its API would ever see. */
const MAX_SIMULATOR_BODY_BYTES = 256 * 1024;

const handle = route<{ path: string[] }>(async (request, { simulator }) => {
  if (!simulator)
    throw new DomainError("notFound", 'The Vipps MobilePay simulator is disabled (VIPPS_ENV is not "simulator").');
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const body = hasBody ? await readBodyWithLimit(request, MAX_SIMULATOR_BODY_BYTES) : undefined;
  return simulator.handle(
    new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal }),
  );
});

export const GET = handle;
export const HEAD = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
