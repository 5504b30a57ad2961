/**
 * Follows a terminal's display the way a kiosk does (its SSE stream, opened with the display
 * link's token) and tells when a given phase of a given sale arrives. For tests and benchmarks.
 */
import http, { type IncomingMessage } from "node:http";
import type { AppHandle } from "./app-server";

export interface DisplayWatcher {
  /** Every state frame seen so far, with its arrival time (performance.now()). */
  seen: { phase: string; saleId?: string; at: number }[];
  /** When `phase` of `saleId` arrived (at once if it already has); rejects after `timeoutMs`. */
  waitFor(phase: string, saleId: string, timeoutMs?: number): Promise<number>;
  /** Resolves (with performance.now()) when the stream ends, whichever side ended it. */
  ended: Promise<number>;
  close(): void;
}

export async function watchDisplay(app: AppHandle, terminalId: string): Promise<DisplayWatcher> {
  const terminal = (await (await app.api(`/api/v1/terminals/${terminalId}`)).json()) as { displayUrl: string };
  const token = new URL(terminal.displayUrl).searchParams.get("token") ?? "";
  // node:http rather than fetch: a benchmark holds a hundred of these on the machine it measures,
  // and fetch's web streams cost it several times the CPU for the same frames.
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    http
      .get(`${app.url}/api/display/${terminalId}/events?token=${encodeURIComponent(token)}`, resolve)
      .on("error", reject);
  });
  if (response.statusCode !== 200) {
    response.destroy();
    throw new Error(`The display stream answered ${response.statusCode}`);
  }
  const seen: DisplayWatcher["seen"] = [];
  const waiters: { phase: string; saleId: string; resolve: (at: number) => void }[] = [];
  let buffer = "";
  response.setEncoding("utf8");
  response.on("data", (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame.split("\n").find((line) => line.startsWith("data: "));
      if (!frame.includes("event: state") || !data) continue;
      const state = JSON.parse(data.slice(6)) as { phase: string; sale?: { id: string } };
      const at = performance.now();
      seen.push({ phase: state.phase, saleId: state.sale?.id, at });
      for (const waiter of [...waiters]) {
        if (waiter.phase === state.phase && waiter.saleId === state.sale?.id) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(at);
        }
      }
    }
  });
  // Closed by its owner, or by the server going away: the waiters time out on their own.
  response.on("error", () => undefined);
  const ended = new Promise<number>((resolve) => response.once("close", () => resolve(performance.now())));
  return {
    seen,
    waitFor(phase, saleId, timeoutMs = 10_000) {
      const already = seen.find((entry) => entry.phase === phase && entry.saleId === saleId);
      if (already) return Promise.resolve(already.at);
      return new Promise((resolve, reject) => {
        waiters.push({ phase, saleId, resolve });
        setTimeout(
          () =>
            reject(
              new Error(`no ${phase} for ${saleId} within ${timeoutMs} ms; saw ${JSON.stringify(seen.slice(-5))}`),
            ),
          timeoutMs,
        ).unref?.();
      });
    },
    ended,
    close: () => response.destroy(),
  };
}
