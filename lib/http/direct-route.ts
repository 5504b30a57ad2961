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

export type DirectHandler = (request: IncomingMessage, response: ServerResponse) => void;

const ROUTES = Symbol.for("kassa-display.direct-routes");

type RoutedPrototype = Server & { [ROUTES]?: Map<string, DirectHandler> };

/**
 * Answers requests whose path (without the query) is exactly `pathname` with `handler`, on every
 * http.Server of the process, made before or after. Installing the same path again replaces its
 * handler (Next evaluates modules once per bundle).
 */
export function installDirectRoute(pathname: string, handler: DirectHandler): void {
  const prototype = Server.prototype as RoutedPrototype;
  const existing = prototype[ROUTES];
  if (existing) {
    existing.set(pathname, handler);
    return;
  }
  const routes = new Map([[pathname, handler]]);
  prototype[ROUTES] = routes;
  const emit = prototype.emit;
  prototype.emit = function directEmit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const request = args[0] as IncomingMessage;
      const handler = routes.get(pathOf(request.url));
      if (handler) {
        handler(request, args[1] as ServerResponse);
        return true;
      }
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof prototype.emit;
}

/** The path as sent, without its query; not normalised, so /api/./x is not /api/x (Next decides those). */
function pathOf(url: string | undefined): string {
  if (!url) return "";
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}
