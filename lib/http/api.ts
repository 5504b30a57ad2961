import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Principal } from "@/lib/entities/principal";
import { type Action, authorize } from "@/lib/auth/policy";
import { processLogger, withLogContext } from "@/lib/log";
import { getServices, type Services } from "@/lib/runtime";
import { readBodyWithLimit } from "./body";
import { fieldErrorsFromZod, ProblemError, problem, responseForError } from "./problem";

/** POS requests are small; anything bigger is a mistake or an attack, refused while reading. */
export const MAX_BODY_BYTES = 64 * 1024;

export type RouteParams<T> = { params: Promise<T> };

export function json(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  if (!headers.has("cache-control")) headers.set("cache-control", "no-store");
  return new Response(JSON.stringify(data), { ...init, headers });
}

/** A request id a proxy in front sent (X-Request-Id) is kept, if it is a short visible-ASCII token. */
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

function requestIdOf(request: Request): string {
  const sent = request.headers.get("x-request-id");
  return sent !== null && REQUEST_ID.test(sent) ? sent : randomUUID();
}

/**
 * Wraps a route handler: it gets the services and, with its params resolved, returns a response.
 * Every line logged while it runs carries the request's id. Known errors become problem+json here;
 * anything else an opaque 500, logged with its stack. Both name the request id (X-Request-Id), so
 * that what a client saw can be found in the log.
 */
export function route<Params = Record<string, never>>(
  handler: (request: Request, services: Services, params: Params) => Promise<Response>,
) {
  return (request: Request, context?: { params?: Promise<Params> }): Promise<Response> => {
    const requestId = requestIdOf(request);
    return withLogContext({ requestId }, async () => {
      let services: Services | undefined;
      let params: Params | undefined;
      try {
        services = await getServices();
        params = ((await context?.params) ?? {}) as Params;
        return await handler(request, services, params);
      } catch (error) {
        const known = responseForError(error);
        if (known) return withRequestId(known, requestId);
        // Without services (they failed to build) the configured logger is missing too.
        (services?.log ?? processLogger()).error("Unhandled error in a route", {
          requestId,
          method: request.method,
          path: new URL(request.url).pathname,
          params,
          err: error,
        });
        return withRequestId(
          problem("internal", `The request could not be completed. It has been logged as request ${requestId}.`),
          requestId,
        );
      }
    });
  };
}

function withRequestId(response: Response, requestId: string): Response {
  response.headers.set("x-request-id", requestId);
  return response;
}

/** A POS (API key) or a signed-in staff member; anyone else gets a 401. */
export function authenticate(request: Request, services: Services): Promise<Principal> {
  return services.admin.authenticate(request);
}

/** Authenticates, then lets through only a principal the policy allows the action (else 403). */
export async function authorized(request: Request, services: Services, action: Action): Promise<Principal> {
  const principal = await services.admin.authenticate(request);
  authorize(principal, action);
  return principal;
}

/** Records in the audit who did it, from which address (and, for staff, which device). */
export function audit(
  request: Request,
  services: Services,
  principal: Principal,
  action: string,
  target: string,
  /** storeId: the store of the target when the route has it (a sale's); else the audit looks it up. */
  extra: { saleId?: string; storeId?: string; detail?: Record<string, unknown> } = {},
): Promise<void> {
  const where = { address: services.admin.addressOf(request), device: request.headers.get("user-agent") ?? undefined };
  return services.audit.record(principal, where, action, target, extra);
}

export const noContent = () => new Response(null, { status: 204, headers: { "cache-control": "no-store" } });

/** Reads a JSON body with a size cap and validates it; every failure is a 4xx with field reasons. */
export async function readJson<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: { optional?: boolean } = {},
): Promise<z.infer<S>> {
  const buffer = await readBodyWithLimit(request, MAX_BODY_BYTES);
  let value: unknown;
  if (buffer.byteLength === 0) {
    if (!options.optional)
      throw new ProblemError("validation", "A JSON body is required", {
        errors: [{ field: "(body)", reason: "missing" }],
      });
    value = {};
  } else {
    if (!/^application\/([a-z.+-]*\+)?json\b/i.test(request.headers.get("content-type") ?? "")) {
      throw new ProblemError("unsupportedMediaType", "Send the body as application/json");
    }
    try {
      value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(buffer));
    } catch {
      throw new ProblemError("malformedJson", "The body is not valid JSON (UTF-8)");
    }
  }
  return parseWith(schema, value);
}

/** Validates a value; a failure is a 400 problem listing each field and its reason. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const errors = fieldErrorsFromZod(parsed.error.issues);
    throw new ProblemError("validation", errors.map((e) => `${e.field}: ${e.reason}`).join("; "), { errors });
  }
  return parsed.data;
}

export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  return parseWith(schema, Object.fromEntries(new URL(request.url).searchParams));
}

/** The POS may send an Idempotency-Key so a retried create never makes two sales. */
export function idempotencyKeyOf(request: Request): string | undefined {
  const key = request.headers.get("idempotency-key");
  if (key === null) return undefined;
  if (key.length < 1 || key.length > 100 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new ProblemError("validation", "Idempotency-Key must be 1 to 100 visible ASCII characters", {
      errors: [{ field: "Idempotency-Key", reason: "1 to 100 visible ASCII characters" }],
    });
  }
  return createHash("sha256").update(key).digest("hex").slice(0, 40);
}
