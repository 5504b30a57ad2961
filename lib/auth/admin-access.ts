import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "@/lib/clock";
import { DomainError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import { safeEqual } from "@/lib/safe-equal";
import { SCOPES, type ApiKeyPrincipal, type Principal, type StaffPrincipal } from "@/lib/entities/principal";
import type { StaffMember } from "@/lib/entities/staff";
import type { ApiKeysRepository, StaffRepository } from "@/lib/store/repositories";
import {
  ADMIN_SESSION_TTL_MS,
  clearAdminSessionCookie,
  createKnownTillCookie,
  createTillDeviceCookie,
  readKnownTill,
  readSessionToken,
  readTillDevice,
  sessionTokenCookie,
} from "./admin-session";
import { hashSecret, spendVerifyTime, verifySecret } from "./passwords";
import { inProcessRateLimit, type SharedRateLimit, sharedRateLimiter } from "./rate-limit";
import type { SessionManager } from "./sessions";
import {
  KNOWN_ADDRESS_FOR_MS,
  type PasswordLimits,
  PasswordSignInLimits,
  rateLimited,
  SIGN_IN_WINDOW_MS,
} from "./sign-in-limits";

export {
  KNOWN_TILLS_PER_ADDRESS,
  SIGN_IN_FAILURE_LIMIT,
  SIGN_IN_GLOBAL_FAILURE_LIMIT,
  SIGN_IN_KNOWN_ADDRESS_LIMIT,
  SIGN_IN_WINDOW_MS,
} from "./sign-in-limits";

/** Wrong PINs in a row that lock a member's PIN until a manager resets it. */
export const PIN_LOCK_AFTER = 5;
/** PIN tries per enrolled till per minute, whoever's. */
export const PIN_DEVICE_LIMIT = 10;

/** The account a sign-in with a password and no username means: the owner, as before staff existed. */
export const OWNER_USERNAME = "owner";

export type { Principal };

export interface AdminSecrets {
  apiKeyHash: string;
  adminPasswordHash: string;
  sessionSecret: string;
}

/** API keys are long random strings, so a plain SHA-256 is enough to keep them out of the database. */
export const hashApiKey = (key: string) => createHash("sha256").update(key, "utf8").digest("hex");

/** KASSA_API_KEY (or the key generated at first start): an owner key with every scope. */
const ENVIRONMENT_KEY: ApiKeyPrincipal = {
  type: "api-key",
  id: "environment",
  name: "KASSA_API_KEY",
  scopes: [...SCOPES],
  storeIds: null,
};

export type SignInInput = { username?: string; password: string } | { username: string; pin: string };

/**
 * Who may use the POS API and the admin: a POS by an API key, staff by a session cookie opened
 * with a password, or with a PIN on an enrolled till.
 */
export class AdminAccess {
  constructor(
    private readonly deps: {
      secrets: AdminSecrets;
      clock: Clock;
      log: Logger;
      secureCookies: boolean;
      publicUrl?: string;
      staff: StaffRepository;
      apiKeys: Pick<ApiKeysRepository, "getApiKeyByHash">;
      sessions: SessionManager;
      /** Wrong-password limits (lib/auth/sign-in-limits.ts) and PINs per till; in-process when not given. */
      signInLimits?: PasswordLimits & { perTill?: SharedRateLimit };
      /** The client's address as far as it can be trusted (lib/http/client-address.ts). */
      clientAddress: (request: Request) => string;
    },
  ) {
    this.passwordLimits = new PasswordSignInLimits(deps.signInLimits);
    this.pinLimit =
      deps.signInLimits?.perTill ??
      inProcessRateLimit(sharedRateLimiter("pin-sign-in", PIN_DEVICE_LIMIT, SIGN_IN_WINDOW_MS));
  }

  private readonly passwordLimits: PasswordSignInLimits;
  private readonly pinLimit: SharedRateLimit;

  addressOf(request: Request): string {
    return this.deps.clientAddress(request);
  }

  /**
   * A request that acts with a staff cookie must come from our own pages. SameSite=Strict does not
   * stop a page on another port of the same host (same site), so the Origin header must be ours;
   * without one, Sec-Fetch-Site must say same-origin. A request with neither header does not come
   * from a browser, and only browsers send cookies on their own.
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

  /** POS software authenticates with an API key; staff with their session cookie. */
  async authenticate(request: Request): Promise<Principal> {
    const authorization = request.headers.get("authorization");
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/.exec(authorization);
      const principal = match ? await this.apiKeyPrincipal(match[1] ?? "") : undefined;
      if (principal) return principal;
      throw new DomainError(
        "unauthorized",
        "The API key is missing, wrong or revoked. Send Authorization: Bearer <key>.",
      );
    }
    const staff = await this.deps.sessions.resolve(readSessionToken(request));
    if (staff) {
      this.assertSameOrigin(request);
      return staff;
    }
    throw new DomainError("unauthorized", "Send Authorization: Bearer <KASSA_API_KEY>, or sign in to the admin page.");
  }

  private async apiKeyPrincipal(key: string): Promise<ApiKeyPrincipal | undefined> {
    const hash = hashApiKey(key);
    if (safeEqual(hash, this.deps.secrets.apiKeyHash)) return ENVIRONMENT_KEY;
    const stored = await this.deps.apiKeys.getApiKeyByHash(hash);
    if (!stored) return undefined;
    return { type: "api-key", id: stored.id, name: stored.name, scopes: stored.scopes, storeIds: stored.storeIds };
  }

  /** The signed-in staff member of a session cookie's value (server-rendered admin pages). */
  signedIn(sessionCookieValue: string | undefined): Promise<StaffPrincipal | undefined> {
    return this.deps.sessions.resolve(sessionCookieValue);
  }

  async isSignedIn(sessionCookieValue: string | undefined): Promise<boolean> {
    return (await this.signedIn(sessionCookieValue)) !== undefined;
  }

  async isCashierRequest(request: Request): Promise<boolean> {
    return (await this.deps.sessions.resolve(readSessionToken(request))) !== undefined;
  }

  /**
   * Checks a username and password (no username: the owner) or, on an enrolled till, a username
   * and PIN, and opens a session. Wrong passwords are limited as lib/auth/sign-in-limits.ts says;
   * wrong PINs per till and per account, which locks.
   */
  async signIn(request: Request, input: SignInInput): Promise<{ cookies: string[]; expiresAt: string }> {
    // A sign-in forced from another page would put the victim in our session (login CSRF).
    this.assertSameOrigin(request);
    const secure = { secure: this.deps.secureCookies };
    const { member, tillCookie } =
      "pin" in input ? { member: await this.checkPin(request, input) } : await this.checkPassword(request, input);
    const device = request.headers.get("user-agent") ?? "unknown browser";
    const tillId = readTillDevice(request, this.deps.secrets.sessionSecret, secure);
    const till = tillId ? await this.deps.staff.getTillDevice(tillId) : undefined;
    const { token, session } = await this.deps.sessions.open(
      member,
      till && !till.revokedAt ? `Till: ${till.label}` : device,
      this.addressOf(request),
    );
    return {
      cookies: [sessionTokenCookie(token, secure), ...(tillCookie ? [tillCookie] : [])],
      expiresAt: new Date(Date.parse(session.createdAt) + ADMIN_SESSION_TTL_MS).toISOString(),
    };
  }

  /** The member, and a known-till cookie bound to them when the browser has none that is. */
  private async checkPassword(
    request: Request,
    input: { username?: string; password: string },
  ): Promise<{ member: StaffMember; tillCookie?: string }> {
    const secret = this.deps.secrets.sessionSecret;
    const secure = { secure: this.deps.secureCookies };
    const address = this.addressOf(request);
    const username = input.username ?? OWNER_USERNAME;
    const member = await this.deps.staff.getStaffByUsername(username);
    const tillId = member ? readKnownTill(request, secret, member, secure) : undefined;
    const standing = await this.passwordLimits.admit({
      address,
      memberId: member?.id,
      tillId,
      knownAddress: () =>
        this.deps.sessions.signedInFrom(member ?? { id: "", updatedAt: "" }, address, KNOWN_ADDRESS_FOR_MS),
    });
    const verdict = member ? await verifySecret(input.password, member.passwordHash) : undefined;
    if (!member) await spendVerifyTime(input.password);
    if (!member || !verdict?.ok) {
      this.deps.log.warn("Admin sign-in failed", { client: standing.key ?? address, username });
      throw new DomainError("unauthorized", "The username or password is wrong.", {
        errors: [{ field: "password", reason: "wrong" }],
      });
    }
    await this.passwordLimits.succeeded(address, standing);
    let signedIn = member;
    if (verdict.needsRehash) {
      // The owner's carried-over scrypt hash becomes argon2id now that the password is at hand.
      const now = new Date(this.deps.clock.now()).toISOString();
      signedIn = { ...member, passwordHash: await hashSecret(input.password), updatedAt: now };
      await this.deps.staff.updateStaff(signedIn);
    }
    // Bound to the hash as stored now: a cookie from before the rehash would no longer match.
    const known = signedIn === member && tillId !== undefined;
    return { member: signedIn, tillCookie: known ? undefined : createKnownTillCookie(secret, signedIn, secure) };
  }

  private async checkPin(request: Request, input: { username: string; pin: string }): Promise<StaffMember> {
    const tillId = readTillDevice(request, this.deps.secrets.sessionSecret, { secure: this.deps.secureCookies });
    const till = tillId ? await this.deps.staff.getTillDevice(tillId) : undefined;
    if (!till || till.revokedAt) {
      throw new DomainError("forbidden", "PIN sign-in works only on a till an owner or manager has enrolled.");
    }
    rateLimited(await this.pinLimit.consume(`till-device:${till.id}`, Date.now()), "PINs");
    const member = await this.deps.staff.getStaffByUsername(input.username);
    if (member?.pinLockedAt) {
      throw new DomainError("forbidden", "This PIN is locked after too many wrong tries; a manager can reset it.", {
        errors: [{ field: "pin", reason: "locked" }],
      });
    }
    const verdict = member ? await verifySecret(input.pin, member.pinHash) : undefined;
    if (!member) await spendVerifyTime(input.pin);
    if (!member || !verdict?.ok) {
      if (member) {
        const now = new Date(this.deps.clock.now()).toISOString();
        await this.deps.staff.recordPinFailure(member.id, PIN_LOCK_AFTER, now);
      }
      this.deps.log.warn("PIN sign-in failed", { till: till.id, username: input.username });
      throw new DomainError("unauthorized", "The username or PIN is wrong.", {
        errors: [{ field: "pin", reason: "wrong" }],
      });
    }
    await this.deps.staff.clearPinFailures(member.id);
    return member;
  }

  /**
   * Enrols this browser as a till (an owner's or manager's act): a signed device id in a cookie
   * and its row in the store, which a later revocation marks.
   */
  async enrolTill(principal: StaffPrincipal, label: string): Promise<{ cookie: string; deviceId: string }> {
    const id = `till_${randomBytes(9).toString("base64url")}`;
    await this.deps.staff.saveTillDevice({
      id,
      label,
      enrolledBy: principal.username,
      createdAt: new Date(this.deps.clock.now()).toISOString(),
      revokedAt: null,
    });
    const secure = { secure: this.deps.secureCookies };
    return { cookie: createTillDeviceCookie(this.deps.secrets.sessionSecret, id, secure), deviceId: id };
  }

  /** Signs out: ends this browser's session (other sessions stay; they are ended from the session list). */
  async signOut(request: Request): Promise<string> {
    const staff = await this.deps.sessions.resolve(readSessionToken(request));
    if (staff) {
      this.assertSameOrigin(request);
      await this.deps.sessions.endCurrent(staff.sessionId);
      this.deps.log.info("Staff member signed out", { username: staff.username });
    }
    return clearAdminSessionCookie({ secure: this.deps.secureCookies });
  }
}
