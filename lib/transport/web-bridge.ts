/**
 * node:http ⇄ Fetch API, for a server on plain node:http that hands requests to code written
 * against Request and Response: the standalone simulator. Not marked server-only: the simulator
 * runs outside Next.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

// Hop-by-hop headers describe this connection, not the request the handler sees.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
  "te",
  "trailer",
]);

/** The request as a Fetch Request at `origin`, with `body` (already read). */
export function toWebRequest(req: IncomingMessage, body: Buffer, origin: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
    const name = req.rawHeaders[index]!;
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers.append(name, req.rawHeaders[index + 1]!);
  }
  const method = (req.method ?? "GET").toUpperCase();
  const hasBody = method !== "GET" && method !== "HEAD" && body.length > 0;
  // String concatenation, not new URL(path, origin): a target like "//host/x" must stay a path.
  return new Request(`${origin}${req.url ?? "/"}`, {
    method,
    headers,
    body: hasBody ? new Uint8Array(body) : undefined,
    signal,
  });
}

/**
 * Writes the answer; a client that has gone away meanwhile is not an error, the answer just has
 * nowhere to go. The answers written here are a few KiB at most (JSON, a phone page, a QR image),
 * so each is read whole and written with its length: piping the web stream into the socket cost a
 * twentieth of the simulator's CPU under a burst. Being in memory, an answer nobody will read holds
 * nothing that must be released: it is dropped.
 */
export async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  if (res.destroyed) return;
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (res.destroyed) return;
  if (body) headers["content-length"] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}
