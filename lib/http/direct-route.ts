/**
 * Routes answered by the HTTP server itself, ahead of Next's pipeline.
 *
 * Every request through Next costs several milliseconds of CPU before a handler runs (building a
 * Request, routing, tracing, web streams) against well under one for plain node:http. For almost
 * every route that is nothing next to what the route does, but Vipps' webhooks arrive two or three
 * per sale, all at once when many counters are paid together, and there it was most of a sale's
 * cost (docs/perf/burst.md). A route installed here sees the raw request and answers it; Next never
 * sees it. Anything not installed here goes to Next as before.
 *
 * No Next imports: instrumentation.ts installs the routes before requests are served. The very
 * first request of a process may arrive before that, so each direct route keeps its ordinary Next
 * route as well, answering the same way.
 */
import { type IncomingMessage, Server, type ServerResponse } from "node:http";

/**
 * What next.config.mjs's headers() adds to every response of the app. Next never sees a direct
 * route's answer, so the routes add these themselves (tests/api/direct-routes.spec.ts compares).
 */
export const EVERY_RESPONSE_HEADERS = {
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "content-security-policy": "frame-ancestors 'none'",
  "x-frame-options": "DENY",
} as const;

export type DirectHandler = (request: IncomingMessage, response: ServerResponse) => void;
/** A route with a parameter in its path: called with the pattern's capture groups. */
export type DirectPatternHandler = (request: IncomingMessage, response: ServerResponse, groups: string[]) => void;

const ROUTES = Symbol.for("kassa-display.direct-routes");

interface DirectRoutes {
  exact: Map<string, DirectHandler>;
  /** Keyed by method and pattern source, so installing again replaces. */
  patterns: Map<string, { method: string; pattern: RegExp; handler: DirectPatternHandler }>;
}

type RoutedPrototype = Server & { [ROUTES]?: DirectRoutes };

/**
 * Answers requests whose path (without the query) is exactly `pathname` with `handler`, on every
 * http.Server of the process, made before or after. Installing the same path again replaces its
 * handler (Next evaluates modules once per bundle).
 */
export function installDirectRoute(pathname: string, handler: DirectHandler): void {
  directRoutes().exact.set(pathname, handler);
}

/**
 * Answers `method` requests whose whole path (without the query) matches `pattern`. A request the
 * pattern does not match, or of another method, goes on to Next, which answers it as it always
 * has (a 405, a 404, a path that does not decode).
 */
export function installDirectPatternRoute(method: string, pattern: RegExp, handler: DirectPatternHandler): void {
  directRoutes().patterns.set(`${method} ${pattern.source}`, { method, pattern, handler });
}

function directRoutes(): DirectRoutes {
  const prototype = Server.prototype as RoutedPrototype;
  const existing = prototype[ROUTES];
  if (existing) return existing;
  const routes: DirectRoutes = { exact: new Map(), patterns: new Map() };
  prototype[ROUTES] = routes;
  const emit = prototype.emit;
  prototype.emit = function directEmit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const request = args[0] as IncomingMessage;
      const response = args[1] as ServerResponse;
      const path = pathOf(request.url);
      const handler = routes.exact.get(path);
      if (handler) {
        handler(request, response);
        return true;
      }
      for (const { method, pattern, handler } of routes.patterns.values()) {
        if (request.method !== method) continue;
        const match = pattern.exec(path);
        if (match) {
          handler(request, response, match.slice(1));
          return true;
        }
      }
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof prototype.emit;
  return routes;
}

/** The path as sent, without its query; not normalised, so /api/./x is not /api/x (Next decides those). */
function pathOf(url: string | undefined): string {
  if (!url) return "";
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}
