/**
 * The checks every Vipps API request passes before it reaches a payment: APIM's subscription key,
 * the bearer token, the Merchant-Serial-Number, system headers, idempotency keys, references and
 * the per-payment rate limits. Shared by the ePayment, Webhooks and Report API routes.
 */
import type { Clock } from "../clock";
import type { SimulatorKeyring } from "./keyring";
import { PROBLEM_TYPES, ProblemError, ResponseError, apimResponse, badRequest } from "./http";
import type { RateLimitedOperation, RateLimiter } from "./rate-limit";
import type { TokenService } from "./tokens";
import { MSN_PATTERN, REFERENCE_PATTERN } from "./validation-fields";

const SYSTEM_HEADERS = [
  "Vipps-System-Name",
  "Vipps-System-Version",
  "Vipps-System-Plugin-Name",
  "Vipps-System-Plugin-Version",
];

export const missingSubscriptionKey = () =>
  apimResponse(
    401,
    "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.",
  );
export const invalidSubscriptionKey = () =>
  apimResponse(
    401,
    "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.",
  );

export class ApiGuard {
  constructor(
    private readonly keyring: SimulatorKeyring,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly limiter: RateLimiter | undefined,
  ) {}

  /**
   * APIM subscription key, then the bearer token, then the MSN. Returns the MSN to act for (on the
   * Webhooks API without one: the scope of the keys, all of their sales units) and the client id.
   */
  authenticate(
    request: Request,
    api: "epayment" | "webhooks" | "report" | "qr",
  ): { msn: string; subscriptionKey: string; clientId: string } {
    const headers = request.headers;
    const subscriptionKey = headers.get("ocp-apim-subscription-key");
    if (!subscriptionKey) throw new ResponseError(missingSubscriptionKey());
    const keys = this.keyring.bySubscriptionKey(subscriptionKey);
    if (!keys) throw new ResponseError(invalidSubscriptionKey());
    const authorization = headers.get("authorization");
    // "Bearer" is case-sensitive at Vipps.
    if (!authorization?.startsWith("Bearer ") || authorization.slice(7).trim() === "") {
      throw new ProblemError(
        401,
        PROBLEM_TYPES.unauthorized,
        "Unauthorized",
        "Missing or malformed Authorization header; expected 'Bearer <access token>'.",
      );
    }
    const verification = this.tokens.verify(authorization.slice(7).trim(), subscriptionKey, this.clock.now());
    if (!verification.ok) {
      const detail = {
        malformed: "The access token is not a valid JWT.",
        "bad-signature": "The access token is invalid.",
        expired: "The access token has expired. Fetch a new one from /accesstoken/get.",
        "wrong-subscription-key": "The access token was issued for another subscription key.",
      }[verification.reason];
      throw new ProblemError(401, PROBLEM_TYPES.unauthorized, "Unauthorized", detail);
    }
    const msnHeader = headers.get("merchant-serial-number");
    if (msnHeader === null || msnHeader === "") {
      // The Report API takes no MSN header: the keys (and the MSN a token was issued for) say whose ledger it is.
      if (api === "epayment" || api === "qr") {
        throw badRequest("The Merchant-Serial-Number header is required.", [
          {
            name: "Merchant-Serial-Number",
            reason: `${api === "qr" ? "The QR API" : "ePayment"} requires the Merchant-Serial-Number header on every operation.`,
          },
        ]);
      }
      // Keys of one sales unit act for it; a partner's keys (several) act for all of them.
      const only = keys.msns.size === 1 ? [...keys.msns][0] : undefined;
      return { msn: verification.claims.msn ?? only ?? keys.scope, subscriptionKey, clientId: keys.clientId };
    }
    if (!MSN_PATTERN.test(msnHeader)) {
      throw badRequest("The Merchant-Serial-Number header is invalid.", [
        { name: "Merchant-Serial-Number", reason: "Must be 4 to 6 digits." },
      ]);
    }
    if (!keys.msns.has(msnHeader)) {
      throw new ProblemError(
        403,
        PROBLEM_TYPES.forbidden,
        "Forbidden",
        `Merchant Not Allowed: MSN ${msnHeader} is not linked to these API keys.`,
      );
    }
    if (verification.claims.msn !== undefined && verification.claims.msn !== msnHeader) {
      throw new ProblemError(
        403,
        PROBLEM_TYPES.forbidden,
        "Forbidden",
        "The access token was issued for another Merchant-Serial-Number.",
      );
    }
    return { msn: msnHeader, subscriptionKey, clientId: keys.clientId };
  }

  checkSystemHeaders(request: Request): void {
    const issues = SYSTEM_HEADERS.filter((name) => (request.headers.get(name) ?? "").length > 30).map((name) => ({
      name,
      reason: "Must be at most 30 characters long.",
    }));
    if (issues.length > 0) throw badRequest("One or more headers are invalid.", issues);
  }

  idempotencyKey(request: Request): string {
    const key = request.headers.get("idempotency-key");
    if (key === null || key.trim() === "") {
      throw badRequest("The Idempotency-Key header is required.", [
        { name: "Idempotency-Key", reason: "Required on create, capture, cancel and refund." },
      ]);
    }
    if (key.length > 50) {
      throw badRequest("The Idempotency-Key header is too long.", [
        { name: "Idempotency-Key", reason: "Must be at most 50 characters long." },
      ]);
    }
    return key;
  }

  checkReference(reference: string): void {
    if (!REFERENCE_PATTERN.test(reference)) {
      throw badRequest("The reference is invalid.", [
        { name: "reference", reason: "Must be 8 to 50 characters of a-z, A-Z, 0-9 and '-'." },
      ]);
    }
  }

  rateLimit(operation: RateLimitedOperation, scope: string): void {
    const retryAfter = this.limiter?.hit(operation, scope, this.clock.now());
    if (retryAfter !== undefined) {
      throw new ResponseError(
        apimResponse(429, `Rate limit is exceeded. Try again in ${retryAfter} seconds.`, {
          "retry-after": String(retryAfter),
        }),
      );
    }
  }
}
