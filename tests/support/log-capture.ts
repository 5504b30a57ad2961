/**
 * A real logger (lib/log.ts: pino, its serializers and masking) writing into an array, so a test
 * can read the records a failure leaves, as JSON, exactly as they would be written.
 */
import { createLogger, type Logger, type LogLevel } from "@/lib/log";

export type LogRecord = Record<string, any>;

export function captureLog(
  level: LogLevel = "debug",
  component = "kassa",
): { log: Logger; records: () => LogRecord[]; lines: string[] } {
  const lines: string[] = [];
  const log = createLogger(level, component, { write: (line) => void lines.push(line) });
  return { log, lines, records: () => lines.map((line) => JSON.parse(line) as LogRecord) };
}
