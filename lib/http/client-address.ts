/**
 * Who is asking: the address limits are counted per (sign-in guesses, pairing codes).
 *
 * Next hands route handlers a Request without the connection's address, and it fills in
 * X-Forwarded-For only when the client sent none, so that header is whatever a client chooses
 * unless a proxy of ours rewrote it. Rotating it used to buy fresh guesses. So the server stamps
 * every incoming request with the address of the connection it came on (a header of our own that
 * overwrites any sent in), and X-Forwarded-For counts only behind proxies the operator declared
 * with KASSA_TRUST_PROXY (how many hops in front of the app rewrite it).
 *
 * No Next imports: instrumentation.ts installs the stamp before the first request is served.
 */
import { Server } from "node:http";

/** Set by the server on every request; a value sent by a client is overwritten. */
export const PEER_ADDRESS_HEADER = "x-kassa-peer-address";

const INSTALLED = Symbol.for("kassa-display.peer-address-installed");

/**
 * Wraps http.Server#emit so every "request" carries the connection's address in
 * PEER_ADDRESS_HEADER before Next sees it. Idempotent; applies to servers made before or after.
 *
 * The app's only patch of Node's HTTP server, kept because Next offers no other way to learn the
 * connection's address in a route handler. It answers nothing and passes every request on to Next
 * unchanged but for that header: a request is answered one way, by its route in app/.
 */
export function installPeerAddressStamp(): void {
  const prototype = Server.prototype as Server & { [INSTALLED]?: true };
  if (prototype[INSTALLED]) return;
  const emit = prototype.emit;
  prototype.emit = function stampedEmit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const request = args[0] as { headers: Record<string, string | string[] | undefined>; socket?: { remoteAddress?: string } };
      request.headers[PEER_ADDRESS_HEADER] = request.socket?.remoteAddress ?? "unknown";
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof prototype.emit;
  prototype[INSTALLED] = true;
}

/** Strips the IPv4-mapped prefix so 127.0.0.1 and ::ffff:127.0.0.1 count as one address. */
function normalise(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith("::ffff:") && trimmed.includes(".") ? trimmed.slice(7) : trimmed;
}

/**
 * The client's address. With no trusted proxy it is the connection's own address. Behind
 * `trustedProxyHops` proxies, each of which appends the address it saw to X-Forwarded-For, the
 * client is the entry that many places from the right of the chain [...forwarded, connection]:
 * anything further left was written by the client and proves nothing.
 */
export function clientAddress(request: Request, trustedProxyHops: number): string {
  const peer = request.headers.get(PEER_ADDRESS_HEADER);
  if (trustedProxyHops <= 0 || peer === null) return normalise(peer ?? "unknown") || "unknown";
  const forwarded = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const chain = [...forwarded, peer];
  return normalise(chain[Math.max(0, chain.length - 1 - trustedProxyHops)] ?? peer) || "unknown";
}
