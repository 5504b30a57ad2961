import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";

/**
 * One-line JSON logs, written by pino: debug and info to stdout, warn and error to stderr. An
 * Error in the fields is logged with its type, message, stack and causes (pino's err serializer),
 * wherever in the fields it sits. Field names that may carry secrets are masked here, centrally and
 * at any depth, so a careless call site cannot leak a token or a password into the log; pino's own
 * `redact` would need every path spelled out in advance.
 */
const SECRET_FIELD = /secret|password|token|authorization|cookie|api[-_]?key|subscription/i;
/** Deeper than any field a call site passes; it stops a cyclic object from looping. */
const MAX_DEPTH = 8;

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** What every line logged while a request is handled carries (see withLogContext). */
export interface LogContext {
  requestId: string;
}

// Next loads this module once per bundle, but the services (and their logger) are built once per
// process: the context must be the same one for all copies, so it lives on globalThis.
const CONTEXT_KEY = Symbol.for("kassa-display.log-context");
const holder = globalThis as { [CONTEXT_KEY]?: AsyncLocalStorage<LogContext> };
const context = (holder[CONTEXT_KEY] ??= new AsyncLocalStorage<LogContext>());

/** Runs `work` so that every line logged from it, and from what it starts, carries `fields`. */
export function withLogContext<T>(fields: LogContext, work: () => T): T {
  return context.run(fields, work);
}

/** Runs `work`, and what it starts (timers, background loops), outside any request's context. */
export function outsideLogContext<T>(work: () => T): T {
  return context.exit(work);
}

function clean(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) return "[too deep]";
  if (value instanceof Error) return clean(pino.stdSerializers.err(value), depth);
  if (Array.isArray(value)) return value.map((item) => clean(item, depth + 1));
  if (!value || typeof value !== "object" || value instanceof Date) return value;
  const out: LogFields = {};
  for (const [key, field] of Object.entries(value))
    out[key] = SECRET_FIELD.test(key) ? "[redacted]" : clean(field, depth + 1);
  return out;
}

/** Where the lines go; a test passes its own to read them. */
export interface LogDestination {
  write(line: string): void;
}

let standard: pino.DestinationStream | undefined;

function standardStreams(): pino.DestinationStream {
  // Synchronous, as console.log is: a line is out before the process can die of what it reports.
  standard ??= pino.multistream(
    [
      { level: "debug", stream: pino.destination({ fd: 1, sync: true }) },
      { level: "warn", stream: pino.destination({ fd: 2, sync: true }) },
    ],
    // Each line goes to one stream only: the one for the highest level it reaches.
    { dedupe: true },
  );
  return standard;
}

export function createLogger(minLevel: LogLevel = "info", component = "kassa", destination?: LogDestination): Logger {
  const logger = pino(
    {
      level: minLevel,
      base: { component },
      messageKey: "message",
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...context.getStore() }),
      // Errors are serialized by clean() below, at any key; pino's own `err` serializer would take
      // the result for an error again and call its type "Object".
      serializers: { err: (value: unknown) => value },
    },
    destination ?? standardStreams(),
  );
  const write =
    (level: LogLevel) =>
    (message: string, fields: LogFields = {}) => {
      if (logger.isLevelEnabled(level)) logger[level](clean(fields, 0) as LogFields, message);
    };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];
const PROCESS_KEY = Symbol.for("kassa-display.process-log");

/**
 * The process's logger, at KASSA_LOG_LEVEL as the configuration reads it, for code that is not
 * handed the services' one: the HTTP helpers below the routes, and a route's 500 when the services
 * (and with them the configured logger) could not be built.
 */
export function processLogger(): Logger {
  const holder = globalThis as { [PROCESS_KEY]?: Logger };
  const wanted = process.env.KASSA_LOG_LEVEL as LogLevel | undefined;
  holder[PROCESS_KEY] ??= createLogger(wanted && LEVELS.includes(wanted) ? wanted : "info");
  return holder[PROCESS_KEY];
}
