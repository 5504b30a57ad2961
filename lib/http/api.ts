import { createHash, timingSafeEqual } from "node:crypto";
import type { z } from "zod";
import { readAdminSession } from "@/lib/auth/admin-session";
import { hashApiKey } from "@/lib/bootstrap";
import { getRuntime } from "@/lib/runtime";
import { fieldErrorsFromZod, isProblemError, problem, problemResponse, ProblemError } from "./problem";

/** POS requests are small; anything bigger is a mistake or an attack, refused before parsing. */
export const MAX_BODY_BYTES = 64 * 1024;

export function json(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  if (!headers.has("cache-control")) headers.set("cache-control", "no-store");
  return new Response(JSON.stringify(data), { ...init, headers });
}

/** Wraps a route handler: known problems become problem+json, anything else a logged, opaque 500. */
export function handle<Args extends unknown[]>(handler: (request: Request, ...args: Args) => Promise<Response>) {
  return async (request: Request, ...args: Args): Promise<Response> => {
    try {
      return await handler(request, ...args);
    } catch (error) {
      if (isProblemError(error)) return problemResponse(error.problem);
      const runtime = await getRuntime().catch(() => undefined);
      runtime?.log.error("Unhandled error in a route", { path: new URL(request.url).pathname, error: String(error) });
      return problem("internal", "The request could not be completed. It has been logged.");
    }
  };
}

function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** POS software authenticates with the API key; the admin page with its session cookie. */
export async function requireApiAccess(request: Request): Promise<"api" | "cashier"> {
  const runtime = await getRuntime();
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/.exec(authorization);
    if (match && sameDigest(hashApiKey(match[1]!), runtime.secrets.apiKeyHash)) return "api";
    throw new ProblemError("unauthorized", "The API key is missing or wrong. Send Authorization: Bearer <KASSA_API_KEY>.");
  }
  if (readAdminSession(request, runtime.secrets.sessionSecret, runtime.clock.now())) return "cashier";
  throw new ProblemError("unauthorized", "Send Authorization: Bearer <KASSA_API_KEY>, or sign in to the admin page.");
}

/** Reads a JSON body with a size cap and validates it; every failure is a 4xx with field reasons. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S, options: { optional?: boolean } = {}): Promise<z.infer<S>> {
  const contentType = request.headers.get("content-type") ?? "";
  const declaredLength = Number(request.headers.get("content-length") ?? "0");
  if (declaredLength > MAX_BODY_BYTES) throw new ProblemError("payloadTooLarge", `The body may be at most ${MAX_BODY_BYTES} bytes`);
  const buffer = new Uint8Array(await request.arrayBuffer());
  if (buffer.byteLength > MAX_BODY_BYTES) throw new ProblemError("payloadTooLarge", `The body may be at most ${MAX_BODY_BYTES} bytes`);
  let value: unknown;
  if (buffer.byteLength === 0) {
    if (!options.optional) throw new ProblemError("validation", "A JSON body is required", { errors: [{ field: "(body)", reason: "missing" }] });
    value = {};
  } else {
    if (!/^application\/([a-z.+-]*\+)?json\b/i.test(contentType)) {
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

export type RouteParams<T> = { params: Promise<T> };
