/** The Webhooks API v1: register, list and delete the merchant's webhook registrations. */
import type { SimulatorContext } from "./context";
import { emptyResponse, jsonResponse, readJsonBody } from "./http";
import type { Route, RouteRequest } from "./router";

export function webhookApiRoutes(ctx: SimulatorContext): Route[] {
  const { guard, webhooks } = ctx;

  async function register({ request }: RouteRequest): Promise<Response> {
    const { msn } = guard.authenticate(request, "webhooks");
    guard.checkSystemHeaders(request);
    const body = await readJsonBody(request);
    return jsonResponse(201, webhooks.register(msn, body.present ? body.value : undefined, body.present));
  }

  function list({ request }: RouteRequest): Response {
    const { msn } = guard.authenticate(request, "webhooks");
    guard.checkSystemHeaders(request);
    return jsonResponse(200, webhooks.list(msn));
  }

  function remove({ request, params }: RouteRequest): Response {
    const { msn } = guard.authenticate(request, "webhooks");
    guard.checkSystemHeaders(request);
    webhooks.remove(msn, params.id!);
    return emptyResponse(204);
  }

  return [
    { method: "GET", path: "/webhooks/v1/webhooks", handler: list },
    { method: "POST", path: "/webhooks/v1/webhooks", handler: register },
    { method: "DELETE", path: "/webhooks/v1/webhooks/:id", handler: remove },
  ];
}
