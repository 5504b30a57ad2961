import "server-only";
/**
 * One-line JSON logs. Field names that may carry secrets are masked here, centrally, so a careless
 * call site cannot leak a token or a password into the log.
 */
const SECRET_FIELD = /secret|password|token|authorization|api[-_]?key|subscription/i;
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_FIELD.test(key)) out[key] = "[redacted]";
    else if (value instanceof Error) out[key] = value.message;
    else if (value && typeof value === "object" && !Array.isArray(value)) out[key] = redact(value as Record<string, unknown>);
    else out[key] = value;
  }
  return out;
}

export function createLogger(minLevel: LogLevel = "info", component = "kassa"): Logger {
  const write = (level: LogLevel) => (message: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS[level] < LEVELS[minLevel]) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, component, message, ...redact(fields) });
    (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${line}\n`);
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}
