import "server-only";
import type { DisplayState } from "./display-state";
import { terminalTopic, type EventBus } from "@/lib/events/event-bus";
import { shutdownSignal } from "@/lib/http/shutdown";

const HEARTBEAT_MS = 15_000;

/** Where a display feed's SSE text goes (the web stream a Next route answers with). */
interface FeedSink {
  /** Sends SSE text; false once the other end is gone (the feed then stops). */
  write(chunk: string): boolean;
  /** Ends the stream from our side (a replaced link, an unpaired device). */
  end(): void;
}

export interface DisplayFeedParams {
  terminalId: string;
  bus: EventBus<DisplayState>;
  current: () => Promise<DisplayState | undefined>;
  now: () => number;
  signal: AbortSignal;
  /**
   * Asked again at every heartbeat: when the display link was replaced or the device unpaired
   * while the stream was open, the stream ends and the reconnect meets the 401.
   */
  stillAuthorized?: () => Promise<boolean>;
}

/**
 * One terminal's display state as SSE text into `sink`: the current state at once, then every
 * change, a heartbeat every 15 s. When a state says when to return to idle, the feed recomputes at
 * that moment, so a display that lost its own timers (a sleeping tab) is still brought back to the
 * idle screen. Stops when `signal` aborts, the sink refuses a write, or authorisation lapses.
 * Resolves once the first state is written.
 */
async function followDisplayState(params: DisplayFeedParams, sink: FeedSink): Promise<void> {
  let closed = false;
  let idleTimer: NodeJS.Timeout | undefined;
  const send = (chunk: string) => {
    if (closed) return;
    let accepted = false;
    try {
      accepted = sink.write(chunk);
    } catch {
      // A sink that throws is as gone as one that says so.
    }
    if (!accepted) stop();
  };
  const sendState = (state: DisplayState) => {
    // The id lets a display that reconnects (to any instance) say where it was.
    const id = state.version !== undefined ? `id: ${state.version}\n` : "";
    send(`${id}event: state\ndata: ${JSON.stringify(state)}\n\n`);
    if (idleTimer) clearTimeout(idleTimer);
    if (state.returnToIdleAt) {
      const wait = Date.parse(state.returnToIdleAt) - Date.parse(state.serverTime) + 50;
      idleTimer = setTimeout(() => void params.current().then((next) => next && sendState(next)), Math.max(wait, 0));
    }
  };
  const unsubscribe = params.bus.subscribe(terminalTopic(params.terminalId), sendState);
  // A named event (not an SSE comment) so the page can see the stream is alive and re-sync its clock.
  const heartbeat = setInterval(() => {
    const ping = () =>
      send(`event: ping\ndata: ${JSON.stringify({ serverTime: new Date(params.now()).toISOString() })}\n\n`);
    if (!params.stillAuthorized) return ping();
    void params.stillAuthorized().then(
      (allowed) => (allowed ? ping() : stop()),
      () => ping(),
    );
  }, HEARTBEAT_MS);
  function stop() {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    if (idleTimer) clearTimeout(idleTimer);
    params.signal.removeEventListener("abort", stop);
    try {
      sink.end();
    } catch {
      // Already closed by the client.
    }
  }
  if (params.signal.aborted) return stop();
  params.signal.addEventListener("abort", stop, { once: true });
  // Tell EventSource to reconnect quickly after a drop.
  send("retry: 1000\n\n");
  const initial = await params.current();
  if (initial) sendState(initial);
}

/** The same feed as a web stream, for a Next route's Response. */
export function displayStateStream(params: DisplayFeedParams): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const abandoned = new AbortController();
  const signal = AbortSignal.any([params.signal, abandoned.signal]);
  // A process that is shutting down ends the stream: the display reconnects to the next server.
  // A listener of our own (removed at the end), not AbortSignal.any, on the process-long signal.
  const shutdown = shutdownSignal();
  const endForShutdown = () => abandoned.abort();
  if (shutdown.aborted) endForShutdown();
  else shutdown.addEventListener("abort", endForShutdown, { once: true });
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      await followDisplayState(
        { ...params, signal },
        {
          write(chunk) {
            controller.enqueue(encoder.encode(chunk));
            return true;
          },
          end() {
            shutdown.removeEventListener("abort", endForShutdown);
            controller.close();
          },
        },
      );
    },
    cancel() {
      abandoned.abort();
    },
  });
}
