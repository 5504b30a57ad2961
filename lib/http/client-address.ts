/**
 * Who is asking: the address limits are counted per (sign-in guesses, pairing codes).
 *
 * Next hands route handlers a Request without the connection's address, and it fills in
 * X-Forwarded-For only when the client sent none, so that header is whatever a client chooses
 * unless a proxy of ours rewrote it. Rotating it used to buy fresh guesses. So the server stamps
 * every incoming request with the address of the connection it came on (a header of our own that
 * overwrites any sent in, with a proof only this process knows: peer-address-stamp.cjs), and
 * X-Forwarded-For counts only behind proxies the operator declared with KASSA_TRUST_PROXY (how
 * many hops in front of the app rewrite it).
 *
 * No Next imports: the stamp is installed before the first request is served.
 */
import { timingSafeEqual } from "node:crypto";
import {
  installPeerAddressStamp,
  PEER_ADDRESS_HEADER,
  peerAddressProof,
  peerAddressStamp,
} from "./peer-address-stamp.cjs";

export { installPeerAddressStamp, PEER_ADDRESS_HEADER, peerAddressStamp };

/** The address the stamp wrote, or null when the value was not written by this process's stamp. */
function stampedPeer(value: string | null): string | null {
  if (value === null) return null;
  const space = value.indexOf(" ");
  if (space < 0) return null;
  const proof = Buffer.from(peerAddressProof());
  const claimed = Buffer.from(value.slice(0, space));
  return claimed.length === proof.length && timingSafeEqual(claimed, proof) ? value.slice(space + 1) : null;
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
  // A request the stamp never saw counts as one unknown address, never as one the client named.
  const peer = stampedPeer(request.headers.get(PEER_ADDRESS_HEADER));
  if (trustedProxyHops <= 0 || peer === null) return normalise(peer ?? "unknown") || "unknown";
  const forwarded = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const chain = [...forwarded, peer];
  return normalise(chain[Math.max(0, chain.length - 1 - trustedProxyHops)] ?? peer) || "unknown";
}
