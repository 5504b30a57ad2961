/**
 * Vipps MobilePay webhook request signing (HMAC-SHA256 over date, host and body hash).
 * The simulator signs with signWebhookRequest; the app's webhook route verifies with
 * verifyWebhookSignature. Both are pure so they can be checked against the documented example.
 */
import { createHash, createHmac } from "node:crypto";
import { safeEqual } from "../safe-equal";

export const SIGNED_HEADERS = "x-ms-date;host;x-ms-content-sha256";
const AUTHORIZATION_PREFIX = `HMAC-SHA256 SignedHeaders=${SIGNED_HEADERS}&Signature=`;

/** No window is documented; five minutes tolerates drifting clocks and slow retries alike. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export function contentHash(rawBody: string | Uint8Array): string {
  return createHash("sha256").update(rawBody).digest("base64");
}

export function stringToSign(method: string, pathAndQuery: string, date: string, host: string, hash: string): string {
  return `${method.toUpperCase()}\n${pathAndQuery}\n${date};${host};${hash}`;
}

export function computeSignature(secret: string, toSign: string): string {
  // The secret is used as its UTF-8 bytes, not base64-decoded, although it often looks like base64.
  return createHmac("sha256", Buffer.from(secret, "utf8")).update(toSign, "utf8").digest("base64");
}

/** The host a .NET Uri.Authority gives: default ports dropped, others kept. */
export function authorityOf(url: URL): string {
  return url.host;
}

export function pathAndQueryOf(url: URL): string {
  return `${url.pathname}${url.search}`;
}

export interface SignedWebhookHeaders {
  "x-ms-date": string;
  "x-ms-content-sha256": string;
  host: string;
  authorization: string;
}

export function signWebhookRequest(params: {
  secret: string;
  url: string;
  body: string;
  date: Date;
}): SignedWebhookHeaders {
  const url = new URL(params.url);
  const date = params.date.toUTCString();
  const hash = contentHash(params.body);
  const host = authorityOf(url);
  const signature = computeSignature(params.secret, stringToSign("POST", pathAndQueryOf(url), date, host, hash));
  return {
    "x-ms-date": date,
    "x-ms-content-sha256": hash,
    host,
    authorization: `${AUTHORIZATION_PREFIX}${signature}`,
  };
}

export type WebhookVerification =
  | { ok: true }
  | { ok: false; reason: "missing-header" | "content-hash-mismatch" | "bad-date" | "clock-skew" | "bad-signature" };

export interface VerifyWebhookParams {
  secret: string;
  /** Path and query of the URL registered with Vipps, not whatever a proxy forwarded. */
  pathAndQuery: string;
  /** Host of the registered URL. */
  host: string;
  headers: { get(name: string): string | null };
  rawBody: string;
  nowMs: number;
  maxClockSkewMs?: number;
}

export function verifyWebhookSignature(params: VerifyWebhookParams): WebhookVerification {
  const date = params.headers.get("x-ms-date");
  const claimedHash = params.headers.get("x-ms-content-sha256");
  const authorization = params.headers.get("authorization");
  if (!date || !claimedHash || !authorization) return { ok: false, reason: "missing-header" };

  const actualHash = contentHash(params.rawBody);
  if (!safeEqual(actualHash, claimedHash)) return { ok: false, reason: "content-hash-mismatch" };

  const sentAt = Date.parse(date);
  if (Number.isNaN(sentAt)) return { ok: false, reason: "bad-date" };
  if (Math.abs(params.nowMs - sentAt) > (params.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS)) {
    return { ok: false, reason: "clock-skew" };
  }

  const expected = `${AUTHORIZATION_PREFIX}${computeSignature(
    params.secret,
    stringToSign("POST", params.pathAndQuery, date, params.host, actualHash),
  )}`;
  return safeEqual(expected, authorization) ? { ok: true } : { ok: false, reason: "bad-signature" };
}
