import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DISPLAY_EVENTS_HEADERS, type DisplayEventsServices, openDisplayEvents } from "@/lib/display/display-events";
import type { DisplayService } from "@/lib/display/display-service";
import type { FeedSink } from "@/lib/display/display-stream";
import { TERMINAL_ID_PATTERN } from "@/lib/terminals/terminal-ids";
import { PEER_ADDRESS_HEADER } from "./client-address";
import { type DirectPatternHandler, EVERY_RESPONSE_HEADERS } from "./direct-route";
import { problem, responseForError } from "./problem";
import { toWebRequest, writeWebResponse } from "./web-bridge";

/**
 * The display streams' path, for ids a terminal can have; anything else goes on to Next's route,
 * which answers it as before.
 */
export const DISPLAY_EVENTS_PATTERN = new RegExp(`^/api/display/(${TERMINAL_ID_PATTERN.source.slice(1, -1)})/events$`);

type Services = DisplayEventsServices & { displays: Pick<DisplayService, "follow"> };

/**
 * GET /api/display/{terminalId}/events on plain node:http (installed by instrumentation.ts through
 * direct-route.ts): the same checks and frames as the Next route, written straight to the socket.
 * Every display of every counter holds one of these open, and each sale sends each of them three or
 * four frames; through Next every frame went through two web streams and Next's response piping,
 * about a tenth of the app's CPU while a hundred counters were paid at once (docs/perf/burst.md).
 */
export function displayEventsListener(services: () => Promise<Services>): DirectPatternHandler {
  return (request, response, [terminalId = ""]) => {
    serve(request, response, terminalId, services).catch((error: unknown) => {
      console.error("Unhandled error opening a display stream", error);
      if (!response.headersSent) void writeWebResponse(response, problem("internal", "The request could not be completed. It has been logged."), EVERY_RESPONSE_HEADERS);
      else response.destroy();
    });
  };
}

async function serve(request: IncomingMessage, response: ServerResponse, terminalId: string, services: () => Promise<Services>): Promise<void> {
  const closed = new AbortController();
  response.once("close", () => closed.abort());
  const webRequest = webRequestOf(request, closed.signal);
  const sink: FeedSink = {
    write(chunk) {
      if (response.destroyed) return false;
      if (!response.headersSent) {
        response.writeHead(200, { ...EVERY_RESPONSE_HEADERS, ...DISPLAY_EVENTS_HEADERS });
        // Frames are small and must leave at once.
        response.socket?.setNoDelay(true);
      }
      response.write(chunk);
      return true;
    },
    end() {
      response.end();
    },
  };
  const all = await services();
  try {
    await openDisplayEvents(webRequest, terminalId, closed.signal, all, (stillAuthorized) =>
      all.displays.follow(terminalId, sink, closed.signal, stillAuthorized).then((opened) => (opened ? true : undefined)),
    );
  } catch (error) {
    const known = responseForError(error);
    if (!known) throw error;
    closed.abort();
    if (!response.headersSent) await writeWebResponse(response, known, EVERY_RESPONSE_HEADERS);
    else response.end();
  }
}

/**
 * The request as the Next route sees it, for the access checks: its URL, its headers and the
 * connection's own address. The address header is set here, over anything the client sent: this
 * listener runs before the server's own stamp (client-address.ts).
 */
function webRequestOf(request: IncomingMessage, signal: AbortSignal): Request {
  // The path matched the pattern; a Host header that is no host must not turn this into a 500.
  const host = URL.canParse(`http://${request.headers.host}/`) ? request.headers.host : "localhost";
  return toWebRequest(request, NO_BODY, `http://${host}`, signal, { [PEER_ADDRESS_HEADER]: request.socket.remoteAddress ?? "unknown" });
}

const NO_BODY = Buffer.alloc(0);
