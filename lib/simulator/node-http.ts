/**
 * The standalone simulator's request bodies on node:http: read with a hard size limit, and the
 * rest of a refused one drained. The Request and Response conversions are lib/transport/web-bridge.ts.
 */
import type { IncomingMessage } from "node:http";

/** No simulator request comes close: the largest is a create with a full receipt, a few KiB. */
export const MAX_BODY_BYTES = 256 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body exceeds ${limit} bytes.`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Reads the whole request body, and stops at `limit` bytes: announced by Content-Length or only
 * found out while a chunked body streams in. Nothing past the limit is kept in memory.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

/** After a 413: how much more of the refused body is read (and dropped) before the connection is cut. */
const LINGER_BYTES = 1024 * 1024;
const LINGER_MS = 2_000;

/**
 * Reads and drops the rest of a refused body, within LINGER_BYTES and LINGER_MS, then cuts the
 * connection if the client is still sending. Closing at once would reset the connection while the
 * client is mid-upload, and many clients then report the reset instead of the 413 they were sent.
 */
export function discardRest(req: IncomingMessage): void {
  if (req.complete) return;
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES + LINGER_BYTES) {
    req.socket.destroy();
    return;
  }
  let dropped = 0;
  const cut = () => {
    clearTimeout(timer);
    req.socket.destroy();
  };
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) cut();
  });
  req.once("end", () => clearTimeout(timer));
  req.resume();
}
