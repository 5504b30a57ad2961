/**
 * Mounts the embedded Vipps MobilePay simulator (lib/simulator) under /sim. The simulator owns the
 * whole sub-tree: the Vipps APIs, the simulated phone page, QR images and the /sim/_sim controls.
 * When VIPPS_ENV is not "simulator" (or VIPPS_BASE_URL names another simulator), there is none and every path answers 404.
 */
import { getServices } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
  const { simulator } = await getServices();
  if (!simulator) {
    return new Response(
      JSON.stringify({
        type: "https://developer.vippsmobilepay.com/docs/knowledge-base/errors#not-found",
        title: "Not Found",
        status: 404,
        detail: "The Vipps MobilePay simulator is disabled (VIPPS_ENV is not \"simulator\").",
        traceId: crypto.randomUUID().replace(/-/g, ""),
      }),
      { status: 404, headers: { "content-type": "application/problem+json", "cache-control": "no-store" } },
    );
  }
  return simulator.handle(request);
}

export const GET = handle;
export const HEAD = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
