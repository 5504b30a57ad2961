/**
 * The Access Token API and ePayment v1, including the test environment's force approve
 * (POST /epayment/v1/test/payments/{reference}/approve), which real Vipps test offers too.
 * Create, get, capture, cancel and refund go through the injected faults of /_sim/faults.
 * Capture, cancel, refund and force approve hold their payment while they run: a second one on the
 * same payment meanwhile is answered 423 (payments.holdPayment). A fault's delay or hang happens
 * outside that hold, so a client's retry after a lost answer is replayed, not locked out.
 */
import { safeEqual } from "../safe-equal";
import { invalidSubscriptionKey, missingSubscriptionKey } from "./api-guard";
import type { SimulatorContext } from "./context";
import { withFault } from "./faults";
import {
  PROBLEM_TYPES,
  ProblemError,
  badRequest,
  emptyResponse,
  isPlainObject,
  jsonResponse,
  readJsonBody,
} from "./http";
import type { Route, RouteRequest } from "./router";

type Modification = "capture" | "cancel" | "refund";

export function epaymentRoutes(ctx: SimulatorContext): Route[] {
  const { guard, payments, faults } = ctx;

  async function accessToken({ request }: RouteRequest): Promise<Response> {
    // The real endpoint is "a POST with no body"; whatever body or content type a client sends is
    // ignored. Read to the end all the same; a client that breaks off while sending it still gets
    // its answer, and a debug line says why the body was not read.
    await request
      .arrayBuffer()
      .catch((error: unknown) =>
        ctx.log("debug", "could not read the ignored body of a token request", { err: error }),
      );
    const headers = request.headers;
    const subscriptionKey = headers.get("ocp-apim-subscription-key");
    if (!subscriptionKey) return missingSubscriptionKey();
    const keys = ctx.keyring.bySubscriptionKey(subscriptionKey);
    if (!keys) return invalidSubscriptionKey();
    const clientId = headers.get("client_id");
    const clientSecret = headers.get("client_secret");
    if (!clientId || !clientSecret) {
      return jsonResponse(400, {
        error: "invalid_request",
        error_description: "The client_id and client_secret headers are required.",
      });
    }
    const msn = headers.get("merchant-serial-number") ?? undefined;
    if (!safeEqual(clientId, keys.clientId) || !safeEqual(clientSecret, keys.clientSecret)) {
      return jsonResponse(401, {
        error: "unauthorized_client",
        error_description: "Invalid client_id or client_secret.",
      });
    }
    if (msn !== undefined && !keys.msns.has(msn)) {
      return jsonResponse(401, {
        error: "unauthorized_client",
        error_description: `Merchant-Serial-Number ${msn} is not linked to these keys.`,
      });
    }
    const token = ctx.tokens.issue({ clientId, subscriptionKey, msn, nowMs: ctx.clock.now() });
    return jsonResponse(200, token, { "content-type": "application/json;charset=UTF-8" });
  }

  /** Which keys and sales unit a call about the payment came with, for /_sim/payments/{reference}. */
  function noteCall(reference: string, operation: string, caller: { msn: string; clientId: string }): void {
    ctx.keyring.note(reference, {
      operation,
      msn: caller.msn,
      clientId: caller.clientId,
      at: new Date(ctx.clock.now()).toISOString(),
    });
  }

  async function createPayment({ request }: RouteRequest): Promise<Response> {
    const caller = guard.authenticate(request, "epayment");
    const { msn } = caller;
    guard.checkSystemHeaders(request);
    const key = guard.idempotencyKey(request);
    const body = await readJsonBody(request);
    if (!body.present) {
      throw badRequest("A request body is required.", [
        { name: "body", reason: "Send a CreatePaymentRequest as JSON." },
      ]);
    }
    const reference = isPlainObject(body.value) && typeof body.value.reference === "string" ? body.value.reference : "";
    guard.rateLimit("create", `${msn}:${reference}`);
    const result = payments.create(msn, key, body.value);
    noteCall(reference, "create", caller);
    return jsonResponse(result.status, result.body);
  }

  function getPayment({ request, params }: RouteRequest): Response {
    const reference = params.reference!;
    const { msn, subscriptionKey } = guard.authenticate(request, "epayment");
    guard.checkReference(reference);
    guard.rateLimit("getPayment", `${subscriptionKey}:${reference}`);
    const payment = payments.find(msn, reference);
    if (!payment)
      throw new ProblemError(
        404,
        PROBLEM_TYPES.notFound,
        "Not Found",
        `Payment with reference ${reference} not found.`,
      );
    return jsonResponse(200, payments.getPaymentResponse(payment));
  }

  function getEvents({ request, params }: RouteRequest): Response {
    const reference = params.reference!;
    const { msn, subscriptionKey } = guard.authenticate(request, "epayment");
    guard.checkReference(reference);
    guard.rateLimit("getEvents", `${subscriptionKey}:${reference}`);
    return jsonResponse(200, payments.events(msn, reference));
  }

  const modify =
    (operation: Modification) =>
    async ({ request, params }: RouteRequest): Promise<Response> => {
      const reference = params.reference!;
      const caller = guard.authenticate(request, "epayment");
      const { msn } = caller;
      guard.checkSystemHeaders(request);
      const key = guard.idempotencyKey(request);
      guard.checkReference(reference);
      // Counted before the lock, like APIM counts every call it lets through.
      guard.rateLimit(operation, `${msn}:${reference}`);
      return payments.holdPayment(msn, reference, async () => {
        const body = await readJsonBody(request);
        const raw = body.present ? body.value : undefined;
        const result = payments[operation](msn, reference, key, raw, body.present);
        noteCall(reference, operation, caller);
        return jsonResponse(result.status, result.body);
      });
    };

  async function forceApprove({ request, params }: RouteRequest): Promise<Response> {
    const reference = params.reference!;
    const { msn } = guard.authenticate(request, "epayment");
    guard.checkReference(reference);
    return payments.holdPayment(msn, reference, async () => {
      const body = await readJsonBody(request);
      payments.approve(msn, reference, {
        body: body.present ? body.value : undefined,
        bodyPresent: body.present,
        forceApprove: true,
      });
      return emptyResponse(200);
    });
  }

  return [
    { method: "POST", path: "/accesstoken/get", handler: accessToken },
    { method: "POST", path: "/epayment/v1/payments", handler: withFault(faults, "create", createPayment) },
    { method: "GET", path: "/epayment/v1/payments/:reference", handler: withFault(faults, "get", getPayment) },
    { method: "GET", path: "/epayment/v1/payments/:reference/events", handler: getEvents },
    {
      method: "POST",
      path: "/epayment/v1/payments/:reference/capture",
      handler: withFault(faults, "capture", modify("capture")),
    },
    {
      method: "POST",
      path: "/epayment/v1/payments/:reference/cancel",
      handler: withFault(faults, "cancel", modify("cancel")),
    },
    {
      method: "POST",
      path: "/epayment/v1/payments/:reference/refund",
      handler: withFault(faults, "refund", modify("refund")),
    },
    { method: "POST", path: "/epayment/v1/test/payments/:reference/approve", handler: forceApprove },
  ];
}
