/**
 * The one constant-time comparison of secrets: signatures, API keys, display tokens, password
 * hashes. Both sides are hashed to SHA-256 first, so that the time taken depends neither on where
 * they differ nor on their lengths, and timingSafeEqual always gets two buffers of one length.
 * Not server-only: the standalone simulator checks its credentials with it too.
 */
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string | Uint8Array) => createHash("sha256").update(value).digest();

/** Whether `a` and `b` are the same text (UTF-8) or the same bytes. */
export function safeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
