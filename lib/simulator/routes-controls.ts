/**
 * Simulator-only test controls under /_sim: the clock, API and webhook faults, the delivery log, a
 * debug view of every payment and forced outcomes. Not part of Vipps.
 */
import { isAdvanceable, type SimulatorContext } from "./context";
import {
  PROBLEM_TYPES,
  ProblemError,
  badRequest,
  isPlainObject,
  jsonResponse,
  readJsonBody,
  type ParsedBody,
} from "./http";
import type { Route, RouteRequest } from "./router";

/** The longest step POST /_sim/clock/advance takes: 366 days. */
export const MAX_CLOCK_STEP_MS = 366 * 24 * 60 * 60 * 1000;

export function requireBody(body: ParsedBody): unknown {
  if (!body.present) throw badRequest("A JSON request body is required.", [{ name: "body", reason: "Required." }]);
  return body.value;
}

export function controlRoutes(ctx: SimulatorContext): Route[] {
  const { clock, payments, webhooks, faults } = ctx;

  function clockState(): Response {
    const now = clock.now();
    return jsonResponse(200, { now: new Date(now).toISOString(), nowMs: now, adjustable: isAdvanceable(clock) });
  }

  async function advanceClock({ request }: RouteRequest): Promise<Response> {
    const body = requireBody(await readJsonBody(request));
    const ms = isPlainObject(body) ? body.ms : undefined;
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
      throw badRequest("Body must be { ms: number >= 0 }.", [
        { name: "ms", reason: "A non-negative number of milliseconds is required." },
      ]);
    }
    // A step of 1e16 ms put every date past what Date can hold and broke the app until restart;
    // no test needs more than a year at a time, and a year at a time reaches any date there is.
    if (ms > MAX_CLOCK_STEP_MS) {
      throw badRequest(`At most ${MAX_CLOCK_STEP_MS} ms (a year) at a time.`, [
        { name: "ms", reason: `At most ${MAX_CLOCK_STEP_MS} milliseconds (366 days) per step.` },
      ]);
    }
    if (!isAdvanceable(clock)) {
      throw badRequest("The simulator clock cannot be advanced: it is not an AdjustableClock.", [
        { name: "clock", reason: "Start the simulator with an AdjustableClock to move time." },
      ]);
    }
    clock.advance(ms);
    await ctx.runDueWork();
    const now = clock.now();
    return jsonResponse(200, { now: new Date(now).toISOString(), nowMs: now });
  }

  function payment({ params }: RouteRequest): Response {
    const reference = params.reference!;
    const found = payments.findAnywhere(reference, ctx.keyring.primaryMsn);
    if (!found)
      throw new ProblemError(
        404,
        PROBLEM_TYPES.notFound,
        "Not Found",
        `Payment with reference ${reference} not found.`,
      );
    return jsonResponse(200, { ...payments.debugView(found), calls: ctx.keyring.notedCalls(reference) });
  }

  const force =
    (action: "approve" | "reject" | "expire") =>
    ({ params }: RouteRequest): Response => {
      const reference = params.reference!;
      const msn = payments.findAnywhere(reference, ctx.keyring.primaryMsn)?.msn ?? ctx.keyring.primaryMsn;
      const changed =
        action === "approve"
          ? payments.approve(msn, reference)
          : action === "reject"
            ? payments.reject(msn, reference)
            : payments.expireNow(msn, reference);
      return jsonResponse(200, payments.debugView(changed));
    };

  async function runDueWork(): Promise<Response> {
    await ctx.runDueWork();
    return jsonResponse(200, { now: new Date(clock.now()).toISOString() });
  }

  return [
    { method: "GET", path: "/_sim/clock", handler: clockState },
    { method: "POST", path: "/_sim/clock/advance", handler: advanceClock },
    { method: "GET", path: "/_sim/webhook-faults", handler: () => jsonResponse(200, faults.webhookFaults()) },
    {
      method: "PUT",
      path: "/_sim/webhook-faults",
      handler: async ({ request }) =>
        jsonResponse(200, faults.setWebhookFaults(requireBody(await readJsonBody(request)))),
    },
    { method: "GET", path: "/_sim/faults", handler: () => jsonResponse(200, faults.current()) },
    {
      method: "PUT",
      path: "/_sim/faults",
      handler: async ({ request }) => jsonResponse(200, faults.replace(requireBody(await readJsonBody(request)))),
    },
    { method: "DELETE", path: "/_sim/faults", handler: () => jsonResponse(200, faults.clear()) },
    {
      method: "GET",
      path: "/_sim/deliveries",
      handler: ({ url }) =>
        jsonResponse(200, { deliveries: webhooks.listDeliveries(url.searchParams.get("reference") ?? undefined) }),
    },
    { method: "GET", path: "/_sim/payments/:reference", handler: payment },
    { method: "POST", path: "/_sim/payments/:reference/approve", handler: force("approve") },
    { method: "POST", path: "/_sim/payments/:reference/reject", handler: force("reject") },
    { method: "POST", path: "/_sim/payments/:reference/expire", handler: force("expire") },
    { method: "POST", path: "/_sim/run-due-work", handler: runDueWork },
    { method: "GET", path: "/_sim/requests", handler: () => jsonResponse(200, { requests: ctx.requests.snapshot() }) },
  ];
}
