/**
 * The subset of fetch the Vipps client uses (a method, string headers, a string body, an abort
 * signal; the answer's status, headers and text), carried by node:http over kept-alive
 * connections.
 *
 * Why not fetch: in the burst profile (docs/perf/burst.md) Node's fetch, undici with its web
 * streams, was a seventh of the app's CPU for four or five small JSON calls a sale. The same calls
 * through node:http cost a fraction of that, and the connections stay open between calls, as
 * undici's did.
 *
 * An idle connection the server has just closed fails the next request on it before any answer
 * (ECONNRESET). Such a request never reached the server's handler, so it is sent again once on a
 * new connection, but only when sending it twice could not do anything twice: a GET, or a call
 * with an Idempotency-Key. Every Vipps payment call has one.
 *
 * Not marked server-only: the standalone simulator, which runs outside Next, sends its webhooks
 * with it too. It holds no secret, and node:http keeps it out of any browser bundle.
 */
import http, { type IncomingMessage } from "node:http";
import https from "node:https";

export interface KeepAliveFetchOptions {
  /** Largest answer read, in bytes; a longer one fails the call (the API's answers are a few KiB). */
  maxResponseBytes?: number;
  /**
   * Every request this fetch sends may arrive twice (webhook deliveries, which receivers dedupe),
   * so any of them is resent after a closed idle connection, not only GETs and keyed calls.
   */
  everyRequestRepeatable?: boolean;
}

const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
// Statuses whose Response must have no body (the Fetch standard's null body statuses).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function createKeepAliveFetch(options: KeepAliveFetchOptions = {}): typeof fetch {
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  // LIFO hands out the connection used last, so the ones left idle longest (the likeliest to have
  // been closed by the server) are the ones that time out here first.
  const agents = {
    "http:": new http.Agent({ keepAlive: true, scheduling: "lifo", timeout: 30_000 }),
    "https:": new https.Agent({ keepAlive: true, scheduling: "lifo", timeout: 30_000 }),
  };

  const keepAliveFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (input instanceof Request) throw new TypeError("keepAliveFetch takes a URL, not a Request");
    const url = new URL(input);
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new TypeError(`keepAliveFetch: unsupported protocol ${url.protocol}`);
    if (init.body !== undefined && init.body !== null && typeof init.body !== "string")
      throw new TypeError("keepAliveFetch sends string bodies only");
    const method = (init.method ?? "GET").toUpperCase();
    const headers = new Headers(init.headers);
    const body = init.body ?? undefined;
    if (body !== undefined) headers.set("content-length", String(Buffer.byteLength(body)));
    const mayResend = options.everyRequestRepeatable === true || method === "GET" || headers.has("idempotency-key");
    const request = {
      url,
      method,
      headers: Object.fromEntries(headers),
      body,
      signal: init.signal ?? undefined,
      agent: agents[url.protocol],
    };
    try {
      return await send(request, maxResponseBytes);
    } catch (error) {
      if (!(error instanceof StaleConnectionError) || !mayResend)
        throw error instanceof StaleConnectionError ? error.cause : error;
      return send({ ...request, freshConnection: true }, maxResponseBytes);
    }
  };
  return keepAliveFetch as typeof fetch;
}

/** The request failed on a reused connection before any answer: the server had closed it. */
class StaleConnectionError extends Error {
  constructor(override readonly cause: unknown) {
    super("reused connection closed by the server");
  }
}

interface OutgoingCall {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal | undefined;
  agent: http.Agent;
  freshConnection?: boolean;
}

function send(call: OutgoingCall, maxResponseBytes: number): Promise<Response> {
  const { url, signal } = call;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const transport = url.protocol === "https:" ? https : http;
    // A resend goes on a connection of its own: agent false opens one for this request alone.
    const request = transport.request(url, {
      method: call.method,
      headers: call.headers,
      agent: call.freshConnection ? false : call.agent,
    });
    let answered = false;
    let settled = false;
    const onAbort = () => request.destroy(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      reject(signal?.aborted ? signal.reason : error);
    };
    const succeed = (response: Response) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      resolve(response);
    };

    request.on("error", (error) => {
      if (!answered && request.reusedSocket && isConnectionReset(error) && !signal?.aborted)
        fail(new StaleConnectionError(error));
      else fail(error);
    });
    request.on("response", (response: IncomingMessage) => {
      answered = true;
      const chunks: Buffer[] = [];
      let received = 0;
      response.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxResponseBytes) {
          fail(new Error(`answer from ${url.host} is over ${maxResponseBytes} bytes`));
          request.destroy();
          return;
        }
        chunks.push(chunk);
      });
      // The connection closing mid-answer (or the abort above) ends the answer without "end".
      response.on("error", fail);
      response.on("aborted", () => fail(new Error(`answer from ${url.host} was cut off`)));
      response.on("end", () => {
        const status = response.statusCode ?? 0;
        const headers = new Headers();
        const raw = response.rawHeaders;
        for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
        try {
          succeed(
            new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), {
              status,
              statusText: response.statusMessage ?? "",
              headers,
            }),
          );
        } catch (error) {
          fail(error);
        }
      });
    });
    request.end(call.body);
  });
}

function isConnectionReset(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ECONNRESET" || code === "EPIPE";
}
