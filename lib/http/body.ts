import "server-only";
import { processLogger } from "@/lib/log";
import { ProblemError } from "./problem";

/**
 * Reads a request body, but never more than `limit` bytes: a declared Content-Length over the
 * limit is refused before reading, and a chunked body is cut off at the limit (the rest is not
 * read, and the stream is cancelled). Either way the client gets a 413.
 */
export async function readBodyWithLimit(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = () => new ProblemError("payloadTooLarge", `The body may be at most ${limit} bytes`);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) {
    await request.body?.cancel().catch(cancelFailed);
    throw tooLarge();
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read().catch(() => {
      // The connection ended before the body did (the client gave up, or the server closed a body
      // that trickled in too slowly): nobody is left to answer, and it is not our failure to log.
      throw new ProblemError("validation", "The request body did not arrive whole");
    });
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(cancelFailed);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * Cancelling tells the client's stream we will read no more; when that fails (the client is gone
 * already) the 413 goes out all the same, so this is a debug line, not a warning: a flood of
 * too-large bodies must not flood the log.
 */
function cancelFailed(error: unknown): void {
  processLogger().debug("Could not cancel a request body that is too large", { err: error });
}
