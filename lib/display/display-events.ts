import "server-only";
import { DomainError } from "@/lib/errors";
import { readCookie } from "@/lib/auth/admin-session";
import type { DisplayAccess, DisplayViewer } from "./display-access";
import { DISPLAY_DEVICE_COOKIE, hashDeviceToken } from "./pairing";
import type { DisplayPresenceService } from "./display-presence";

export interface DisplayEventsServices {
  displayAccess: Pick<DisplayAccess, "viewerOrThrow" | "authorize">;
  displayPresence: Pick<DisplayPresenceService, "streamOpened">;
}

/**
 * GET /api/display/{terminalId}/events: checks who is watching, opens the feed with `open` and
 * notes the display online while the stream lasts (until `signal` aborts). The 401 and 404 are
 * thrown before the feed writes anything.
 */
export async function openDisplayEvents<Feed>(
  request: Request,
  terminalId: string,
  signal: AbortSignal,
  { displayAccess, displayPresence }: DisplayEventsServices,
  open: (stillAuthorized: () => Promise<boolean>, credential: string) => Promise<Feed | undefined>,
): Promise<Feed> {
  const viewer = await displayAccess.viewerOrThrow(request, terminalId);
  // Asked again at every heartbeat: a replaced link or an unpaired device ends the open stream.
  const feed = await open(
    () => displayAccess.authorize(request, terminalId),
    credentialOf(request, terminalId, viewer),
  );
  if (feed === undefined) throw new DomainError("notFound", `No terminal with id ${terminalId}`);
  // Display health: this display is online while its stream is open and its heartbeats come.
  const query = new URL(request.url).searchParams;
  const gone = await displayPresence.streamOpened(terminalId, viewer, {
    displayId: query.get("display"),
    screen: query.get("screen"),
    userAgent: request.headers.get("user-agent"),
  });
  if (signal.aborted) gone();
  else signal.addEventListener("abort", gone, { once: true });
  return feed;
}

/**
 * What opened a stream, for the bound on open streams: the terminal's display link, one paired
 * device (its cookie, hashed), or the signed-in cashier's preview.
 */
function credentialOf(request: Request, terminalId: string, viewer: DisplayViewer): string {
  if (viewer !== "paired") return `${terminalId}|${viewer}`;
  const device = readCookie(request.headers.get("cookie"), DISPLAY_DEVICE_COOKIE) ?? "";
  return `${terminalId}|paired|${hashDeviceToken(device)}`;
}

export const DISPLAY_EVENTS_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
} as const;
