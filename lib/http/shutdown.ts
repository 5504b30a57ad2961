import "server-only";
/**
 * The end of the process, on SIGTERM (a supervisor, `docker stop`) or SIGINT (Ctrl-C).
 *
 * Next's own handler stops listening and exits once every connection has closed, but a display's
 * event stream never ends by itself: the old process lived on for as long as a display stayed
 * connected, pinging it, while sales were made on the new server. So here every long-lived
 * response ends on shutdownSignal() (the display reconnects and resyncs with whoever answers next),
 * a connection is closed once its last response is done, and the process exits at the latest after
 * SHUTDOWN_DEADLINE_MS. Requests in flight are answered.
 */
import { subscribe } from "node:diagnostics_channel";
import type { Server, ServerResponse } from "node:http";
import { constants } from "node:os";
import type { Logger } from "@/lib/log";

/** Inside the 10 s that Docker and most supervisors give between SIGTERM and SIGKILL. */
export const SHUTDOWN_DEADLINE_MS = 8_000;

interface ShutdownState {
  controller: AbortController;
  installed: boolean;
}

// Next loads this module once per bundle (instrumentation, each route): the state is per process.
const STATE = Symbol.for("kassa-display.shutdown");

function state(): ShutdownState {
  const holder = globalThis as { [STATE]?: ShutdownState };
  holder[STATE] ??= { controller: new AbortController(), installed: false };
  return holder[STATE];
}

/** Aborts when the process begins to shut down. Responses that would never end (streams) end on it. */
export function shutdownSignal(): AbortSignal {
  return state().controller.signal;
}

type ShutdownLog = Pick<Logger, "info" | "warn">;

/** Shuts down on SIGTERM and SIGINT, beside Next's own handler. Once per process. */
export function installShutdown(log: ShutdownLog): void {
  const current = state();
  if (current.installed) return;
  current.installed = true;
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => beginShutdown(signal, log));
}

/** Exported for tests; the signal handlers call it. Only the first call does anything. */
export function beginShutdown(signal: "SIGTERM" | "SIGINT", log: ShutdownLog, deadlineMs = SHUTDOWN_DEADLINE_MS): void {
  const { controller } = state();
  if (controller.signal.aborted) return;
  log.info("Shutting down", { signal });
  // A kept-alive connection could go on sending requests to a process that is leaving: every
  // answer from now on says the connection closes after it.
  subscribe("http.server.request.start", (message) => {
    (message as { response: ServerResponse }).response.shouldKeepAlive = false;
  });
  // An answer begun before the signal (a stream that is ending now) leaves its connection idle
  // but open until the keep-alive timeout; Next's server.close() closed the idle ones only once.
  subscribe("http.server.response.finish", (message) => {
    const { server } = message as { server: Server };
    setImmediate(() => server.closeIdleConnections());
  });
  controller.abort();
  setTimeout(() => {
    log.warn("Shutdown took too long; exiting with connections still open", { afterMs: deadlineMs });
    process.exit(128 + constants.signals[signal]);
  }, deadlineMs).unref();
}
