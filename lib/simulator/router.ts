/**
 * The simulator's declarative routing: a table of method + path pattern + handler, matched against
 * the already decoded path segments. A pattern is literal segments and `:name` parameters, e.g.
 * `/epayment/v1/payments/:reference/capture`; every segment matches exactly one path segment.
 */

export type RouteMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface RouteRequest {
  request: Request;
  url: URL;
  params: Readonly<Record<string, string>>;
  /** Aborts when the client goes away or the simulator stops; long waits (fault injection) honour it. */
  signal: AbortSignal;
}

export type RouteHandler = (input: RouteRequest) => Promise<Response> | Response;

export interface Route {
  method: RouteMethod;
  path: string;
  handler: RouteHandler;
}

export type RouteMatch =
  | { kind: "found"; handler: RouteHandler; params: Record<string, string>; path: string }
  | { kind: "wrong-method"; allow: string[] }
  | { kind: "none" };

type Part = { literal: string } | { param: string };

interface CompiledRoute {
  method: RouteMethod;
  path: string;
  parts: Part[];
  handler: RouteHandler;
}

function compile(route: Route): CompiledRoute {
  const parts = route.path
    .split("/")
    .filter(Boolean)
    .map((segment): Part => (segment.startsWith(":") ? { param: segment.slice(1) } : { literal: segment }));
  return { method: route.method, path: route.path, parts, handler: route.handler };
}

function matchParts(parts: Part[], segments: readonly string[]): Record<string, string> | undefined {
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index]!;
    if ("literal" in part) {
      if (part.literal !== segment) return undefined;
    } else {
      params[part.param] = segment;
    }
  }
  return params;
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    const seen = new Set<string>();
    for (const route of routes) {
      // A repeated entry would silently shadow the later one; that is always a mistake in the table.
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) throw new Error(`Duplicate simulator route: ${key}`);
      seen.add(key);
    }
    this.routes = routes.map(compile);
  }

  match(method: string, segments: readonly string[]): RouteMatch {
    const allow: string[] = [];
    for (const route of this.routes) {
      const params = matchParts(route.parts, segments);
      if (!params) continue;
      if (route.method === method) return { kind: "found", handler: route.handler, params, path: route.path };
      if (!allow.includes(route.method)) allow.push(route.method);
    }
    return allow.length > 0 ? { kind: "wrong-method", allow } : { kind: "none" };
  }
}
