/**
 * Simulated access tokens. They are real JWTs (HS256) signed with the simulator's secret from the
 * database, so they need no token table, survive a restart and expire by the simulator clock.
 * The claims bind a token to the subscription key (by hash) and to the MSN it was issued for.
 */
import { createHash, createHmac, randomUUID } from "node:crypto";
import { safeEqual } from "../safe-equal";

export interface TokenClaims {
  iss: string;
  sub: string;
  /** base64url(sha256(subscription key)), truncated: binds the token to the key without storing it. */
  skh: string;
  msn?: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
}

export interface AuthorizationTokenResponse {
  token_type: "Bearer";
  expires_in: string;
  ext_expires_in: string;
  expires_on: string;
  not_before: string;
  resource: string;
  access_token: string;
}

export type TokenVerification =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: "malformed" | "bad-signature" | "expired" | "wrong-subscription-key" };

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export const subscriptionKeyHash = (key: string) =>
  createHash("sha256").update(key, "utf8").digest("base64url").slice(0, 22);

export class TokenService {
  constructor(
    private readonly secret: Buffer,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
  ) {}

  private sign(input: string): string {
    return createHmac("sha256", this.secret).update(`jwt.${input}`).digest("base64url");
  }

  issue(params: {
    clientId: string;
    subscriptionKey: string;
    msn?: string;
    nowMs: number;
  }): AuthorizationTokenResponse {
    const iat = Math.floor(params.nowMs / 1000);
    const claims: TokenClaims = {
      iss: this.issuer,
      sub: params.clientId,
      skh: subscriptionKeyHash(params.subscriptionKey),
      ...(params.msn ? { msn: params.msn } : {}),
      iat,
      nbf: iat,
      exp: iat + this.ttlSeconds,
      jti: randomUUID(),
    };
    const unsigned = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(JSON.stringify(claims))}`;
    return {
      token_type: "Bearer",
      expires_in: String(this.ttlSeconds),
      ext_expires_in: "0",
      expires_on: String(claims.exp),
      not_before: String(claims.nbf),
      resource: "00000002-0000-0000-c000-000000000000",
      access_token: `${unsigned}.${this.sign(unsigned)}`,
    };
  }

  verify(token: string, subscriptionKey: string, nowMs: number): TokenVerification {
    const parts = token.split(".");
    if (parts.length !== 3) return { ok: false, reason: "malformed" };
    const [header, payload, signature] = parts as [string, string, string];
    if (!safeEqual(this.sign(`${header}.${payload}`), signature)) return { ok: false, reason: "bad-signature" };
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as TokenClaims;
    } catch {
      return { ok: false, reason: "malformed" };
    }
    const now = Math.floor(nowMs / 1000);
    if (typeof claims.exp !== "number" || now >= claims.exp) return { ok: false, reason: "expired" };
    // nbf is not enforced: an AdjustableClock's offset is not persisted, so after a restart "now" can be
    // earlier than a token's issue time, and rejecting it would only confuse.
    if (claims.skh !== subscriptionKeyHash(subscriptionKey)) return { ok: false, reason: "wrong-subscription-key" };
    return { ok: true, claims };
  }
}
