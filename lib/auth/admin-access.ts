import "server-only";
import { createHash, createHmac } from "node:crypto";
import type { Clock } from "@/lib/clock";
import { DomainError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import { safeEqual } from "@/lib/safe-equal";
import type { SettingsRepository } from "@/lib/store/repositories";
import {
  ADMIN_SESSION_TTL_MS,
  clearAdminSessionCookie,
  createAdminSessionCookie,
  createKnownTillCookie,
  readAdminSession,
  readKnownTill,
  verifyAdminPassword,
  verifyAdminSessionValue,
} from "./admin-session";
import { inProcessRateLimit, type SharedRateLimit, sharedRateLimiter } from "./rate-limit";
import type { Principal } from "@/lib/entities/principal";
import { clientAddress } from "@/lib/http/client-address";

const connectionAddress = (request: Request) => clientAddress(request, 0);

/** Five wrong passwords per minute per address; the sixth try is refused before scrypt runs. */
export const SIGN_IN_FAILURE_LIMIT = 5;
export const SIGN_IN_WINDOW_MS = 60_000;
/**
 * Wrong passwords from everyone together, against guessing spread over many addresses. A browser
 * the cashier has signed in on before (a known till) is counted on its own instead, so the cap can
 * slow strangers down but never lock the shop's own till out.
 */
export const SIGN_IN_GLOBAL_FAILURE_LIMIT = 30;

export type { Principal };

const SETTING_SESSION_EPOCH = "auth.sessionEpoch";

/** The key of the session cookies for a password and an epoch of sign-outs. */
export function sessionSigningKey(
  secrets: Pick<AdminSecrets, "sessionSecret" | "adminPasswordHash">,
  epoch: string,
): string {
  return createHmac("sha256", secrets.sessionSecret).update(`${secrets.adminPasswordHash}|${epoch}`).digest("hex");
}

export interface AdminSecrets {
  apiKeyHash: string;
  adminPasswordHash: string;
  sessionSecret: string;
}

/** API keys are long random strings, so a plain SHA-256 is enough to keep them out of the database. */
export const hashApiKey = (key: string) => createHash("sha256").update(key, "utf8").digest("hex");

/** Who may use the POS API and the admin page: the POS by its API key, the cashier by password and session cookie. */
export class AdminAccess {
  constructor(
    private readonly deps: {
      secrets: AdminSecrets;
      clock: Clock;
      log: Logger;
      secureCookies: boolean;
      publicUrl?: string;
      /** Holds the session epoch, shared by every instance. */
      settings: Pick<SettingsRepository, "getSetting" | "setSetting">;
      /** Wrong-password limits, per client and for everyone together; in-process when not given. */
      signInLimits?: { perClient: SharedRateLimit; everyone: SharedRateLimit };
      /** The client's address as far as it can be trusted; the connection's own when not given. */
      clientAddress?: (request: Request) => string;
    },
  ) {
    this.signInLimits = deps.signInLimits ?? {
      perClient: inProcessRateLimit(sharedRateLimiter("admin-sign-in", SIGN_IN_FAILURE_LIMIT, SIGN_IN_WINDOW_MS)),
      everyone: inProcessRateLimit(
        sharedRateLimiter("admin-sign-in-all", SIGN_IN_GLOBAL_FAILURE_LIMIT, SIGN_IN_WINDOW_MS),
      ),
    };
  }

  private readonly signInLimits: { perClient: SharedRateLimit; everyone: SharedRateLimit };

  /**
   * The key session cookies are signed with. It changes with the admin password and with the
   * session epoch, which sign-out moves on: either way every cookie signed before stops working,
   * on every instance, at once.
   */
  private async sessionKey(): Promise<string> {
    return sessionSigningKey(this.deps.secrets, (await this.deps.settings.getSetting(SETTING_SESSION_EPOCH)) ?? "0");
  }

  /**
   * A request that acts with the cashier's cookie must come from our own pages. SameSite=Strict
   * does not stop a page on another port of the same host (same site), so the Origin header must
   * be ours; without one, Sec-Fetch-Site must say same-origin. A request with neither header does
   * not come from a browser, and only browsers send cookies on their own.
   */
  assertSameOrigin(request: Request): void {
    if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return;
    const origin = request.headers.get("origin");
    if (origin !== null) {
      if (this.ownOrigins(request).has(origin)) return;
      throw new DomainError("forbidden", "This request came from another site's page; it was refused.");
    }
    const site = request.headers.get("sec-fetch-site");
    if (site === null || site === "same-origin") return;
    throw new DomainError("forbidden", "This request came from another site's page; it was refused.");
  }

  private ownOrigins(request: Request): Set<string> {
    const origins = new Set<string>([new URL(request.url).origin]);
    if (this.deps.publicUrl) origins.add(new URL(this.deps.publicUrl).origin);
    // Behind a proxy or on a LAN address the browser names the host it used.
    const host = request.headers.get("host");
    if (host) for (const scheme of ["http", "https"]) origins.add(`${scheme}://${host}`);
    return origins;
  }

  /** POS software authenticates with the API key; the admin page with its session cookie. */
  async authenticate(request: Request): Promise<Principal> {
    const authorization = request.headers.get("authorization");
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/.exec(authorization);
      if (match && safeEqual(hashApiKey(match[1] ?? ""), this.deps.secrets.apiKeyHash)) return "api";
      throw new DomainError(
        "unauthorized",
        "The API key is missing or wrong. Send Authorization: Bearer <KASSA_API_KEY>.",
      );
    }
    if (readAdminSession(request, await this.sessionKey(), this.deps.clock.now())) {
      this.assertSameOrigin(request);
      return "cashier";
    }
    throw new DomainError("unauthorized", "Send Authorization: Bearer <KASSA_API_KEY>, or sign in to the admin page.");
  }

  /** A signed-in cashier, from the request's cookies (server-rendered admin pages). */
  async isSignedIn(sessionCookieValue: string | undefined): Promise<boolean> {
    return verifyAdminSessionValue(sessionCookieValue, await this.sessionKey(), this.deps.clock.now());
  }

  async isCashierRequest(request: Request): Promise<boolean> {
    return readAdminSession(request, await this.sessionKey(), this.deps.clock.now());
  }

  /**
   * Checks the admin password and returns the session cookie (and, for a browser not yet known,
   * the known-till cookie). Wrong passwords are counted per known till, or per address and for
   * everyone together. Wall-clock time for the limits, not the adjustable clock: tests that jump
   * the clock must not reset the window.
   */
  async signIn(request: Request, password: string): Promise<{ cookies: string[]; expiresAt: string }> {
    // A sign-in forced from another page would put the victim in our session (login CSRF).
    this.assertSameOrigin(request);
    const { perClient: limiter, everyone } = this.signInLimits;
    const till = readKnownTill(request, this.deps.secrets.sessionSecret);
    const key = till ? `till:${till}` : (this.deps.clientAddress ?? connectionAddress)(request);
    const wallMs = Date.now();
    // Each limit is one atomic take-a-token, before the (slow) check, so a burst of parallel
    // guesses, on one instance or several, cannot all slip through.
    const verdicts = [await limiter.consume(key, wallMs)];
    if (!till && verdicts[0]!.allowed) verdicts.push(await everyone.consume("all", wallMs));
    for (const verdict of verdicts) {
      if (!verdict.allowed) {
        const seconds = Math.ceil(verdict.retryAfterMs / 1000);
        throw new DomainError("rateLimited", `Too many wrong passwords. Try again in ${seconds} s.`, {
          retryAfterSeconds: seconds,
        });
      }
    }
    if (!(await verifyAdminPassword(password, this.deps.secrets.adminPasswordHash))) {
      this.deps.log.warn("Admin sign-in failed", { client: key });
      throw new DomainError("unauthorized", "The password is wrong.", {
        errors: [{ field: "password", reason: "wrong" }],
      });
    }
    await limiter.reset(key);
    const nowMs = this.deps.clock.now();
    const secure = { secure: this.deps.secureCookies };
    return {
      cookies: [
        createAdminSessionCookie(await this.sessionKey(), nowMs, secure),
        ...(till ? [] : [createKnownTillCookie(this.deps.secrets.sessionSecret, secure)]),
      ],
      expiresAt: new Date(nowMs + ADMIN_SESSION_TTL_MS).toISOString(),
    };
  }

  /**
   * Signs out: a signed-in cashier's sign-out ends every cashier session (the epoch moves on), so
   * a copied cookie dies with it. Anyone else only gets their cookie cleared: a stranger must not
   * be able to sign the shop out.
   */
  async signOut(request: Request): Promise<string> {
    if (await this.isCashierRequest(request)) {
      this.assertSameOrigin(request);
      const epoch = Number((await this.deps.settings.getSetting(SETTING_SESSION_EPOCH)) ?? "0");
      await this.deps.settings.setSetting(SETTING_SESSION_EPOCH, String(epoch + 1));
      this.deps.log.info("Cashier signed out; every session ended");
    }
    return clearAdminSessionCookie({ secure: this.deps.secureCookies });
  }
}
