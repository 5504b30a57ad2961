import "server-only";
import type { DisplayState } from "./display-state";
import { terminalTopic, type EventBus } from "@/lib/events/event-bus";

const HEARTBEAT_MS = 15_000;

/**
 * An SSE stream of one terminal's display state: the current state at once, then every change.
 * When a state says when to return to idle, the stream recomputes at that moment, so a display
 * that lost its own timers (a sleeping tab) is still brought back to the idle screen.
 */
export function displayStateStream(params: {
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
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let idleTimer: NodeJS.Timeout | undefined;
      const send = (chunk: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          cleanup();
        }
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
        const ping = () => send(`event: ping\ndata: ${JSON.stringify({ serverTime: new Date(params.now()).toISOString() })}\n\n`);
        if (!params.stillAuthorized) return ping();
        void params.stillAuthorized().then(
          (allowed) => (allowed ? ping() : cleanup()),
          () => ping(),
        );
      }, HEARTBEAT_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
        if (idleTimer) clearTimeout(idleTimer);
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      params.signal.addEventListener("abort", cleanup, { once: true });
      // Tell EventSource to reconnect quickly after a drop.
      send("retry: 1000\n\n");
      const initial = await params.current();
      if (initial) sendState(initial);
    },
    cancel() {
      cleanup();
    },
  });
}
