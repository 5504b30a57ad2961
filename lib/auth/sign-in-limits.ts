import "server-only";
import { DomainError } from "@/lib/errors";
import { inProcessRateLimit, type SharedRateLimit, sharedRateLimiter, type Verdict } from "./rate-limit";

/** Five wrong passwords per minute per address; the sixth try is refused before the hash runs. */
export const SIGN_IN_FAILURE_LIMIT = 5;
export const SIGN_IN_WINDOW_MS = 60_000;
/** Wrong passwords from strangers together, against guessing spread over many addresses. */
export const SIGN_IN_GLOBAL_FAILURE_LIMIT = 30;
/**
 * Tries per address per minute when they come from a known till or a known address (below): more
 * than a stranger's five, so a real till behind an address strangers share still gets in, and
 * counted in the same window as the strangers' tries from that address.
 */
export const SIGN_IN_KNOWN_ADDRESS_LIMIT = 15;
/** Distinct known-till cookies one address may use per minute; further ones count as no cookie. */
export const KNOWN_TILLS_PER_ADDRESS = 4;
/** How long an address where a member signed in stays known for them (until their record changes). */
export const KNOWN_ADDRESS_FOR_MS = 30 * 24 * 60 * 60 * 1000;

export interface PasswordLimits {
  /** Per address: strangers up to SIGN_IN_FAILURE_LIMIT, known tills and addresses up to SIGN_IN_KNOWN_ADDRESS_LIMIT. */
  perClient: SharedRateLimit;
  /** Strangers together. */
  everyone: SharedRateLimit;
  /** Per known till, and per member at a known address. */
  perKnownTill?: SharedRateLimit;
  /** Which known tills an address used this window. */
  tillsPerClient?: SharedRateLimit;
}

export function rateLimited(verdict: Verdict, what: string): void {
  if (verdict.allowed) return;
  const seconds = Math.ceil(verdict.retryAfterMs / 1000);
  throw new DomainError("rateLimited", `Too many wrong ${what}. Try again in ${seconds} s.`, {
    retryAfterSeconds: seconds,
  });
}

/** Who a password try comes from, as far as the limits are concerned. */
export type Standing =
  | { kind: "known-till"; key: string }
  | { kind: "known-address"; key: string }
  | { kind: "stranger"; key?: undefined };

/**
 * The limits on password sign-in. Strangers are counted per address and all together, so guessing
 * from many addresses is slow, and this cap is checked before the password: a try over it is
 * refused unverified. Verifying the password first and letting a right one through would make the
 * cap an oracle, not a cap: a guesser with many addresses would learn every guess's answer.
 *
 * The shop's own staff must not be locked out by that cap, so a try is exempt from it when it
 * carries something a stranger does not have:
 * - a known-till cookie earned by this member with their current password (its own bucket), or
 * - the address this member signed in from before, since their record last changed (a bucket per
 *   member and address). A cookie can go missing or be overwritten by a page on another port
 *   (cookie tossing); the till's address cannot be forged, so the real cashier there gets in.
 * Both still count against their address, with a higher allowance than strangers, and an address
 * may use only a few distinct known tills per window, so a pile of cookies buys no more guesses.
 */
export class PasswordSignInLimits {
  private readonly limits: Required<PasswordLimits>;

  constructor(limits?: PasswordLimits) {
    const inProcess = (name: string, limit: number) =>
      inProcessRateLimit(sharedRateLimiter(name, limit, SIGN_IN_WINDOW_MS));
    this.limits = {
      perClient: inProcess("admin-sign-in", SIGN_IN_FAILURE_LIMIT),
      everyone: inProcess("admin-sign-in-all", SIGN_IN_GLOBAL_FAILURE_LIMIT),
      perKnownTill: inProcess("admin-sign-in-till", SIGN_IN_FAILURE_LIMIT),
      tillsPerClient: inProcess("admin-sign-in-tills", KNOWN_TILLS_PER_ADDRESS),
      ...limits,
    };
  }

  /**
   * Takes this try's tokens, or refuses it (429) before the password is checked. `knownAddress`
   * is asked only when the try has no honoured till cookie. Wall-clock time: tests that jump the
   * app's clock must not reset the window.
   */
  async admit(attempt: {
    address: string;
    memberId: string | undefined;
    tillId: string | undefined;
    knownAddress: () => Promise<boolean>;
  }): Promise<Standing> {
    const { perClient, everyone, perKnownTill } = this.limits;
    const nowMs = Date.now();
    const standing = await this.standing(attempt, nowMs);
    // Each limit is one atomic take-a-token, so a burst of parallel guesses, on one instance or
    // several, cannot all slip through.
    if (standing.kind === "stranger") {
      rateLimited(await perClient.consume(attempt.address, nowMs), "passwords");
      rateLimited(await everyone.consume("all", nowMs), "passwords");
    } else {
      rateLimited(await perClient.consume(attempt.address, nowMs, SIGN_IN_KNOWN_ADDRESS_LIMIT), "passwords");
      rateLimited(await perKnownTill.consume(standing.key, nowMs), "passwords");
    }
    return standing;
  }

  /** A right password clears its address's and its till's (or member's) count; the shared cap stays. */
  async succeeded(address: string, standing: Standing): Promise<void> {
    await this.limits.perClient.reset(address);
    if (standing.key) await this.limits.perKnownTill.reset(standing.key);
  }

  private async standing(
    attempt: {
      address: string;
      memberId: string | undefined;
      tillId: string | undefined;
      knownAddress: () => Promise<boolean>;
    },
    nowMs: number,
  ): Promise<Standing> {
    if (attempt.tillId && (await this.honoursTill(attempt.address, attempt.tillId, nowMs))) {
      return { kind: "known-till", key: `till:${attempt.tillId}` };
    }
    // Asked for unknown usernames too (with no member), so the answer takes as long either way.
    const known = await attempt.knownAddress();
    if (known && attempt.memberId)
      return { kind: "known-address", key: `member:${attempt.memberId}@${attempt.address}` };
    return { kind: "stranger" };
  }

  /** Whether the address may use this till cookie: one it used this window, or one of the first few. */
  private async honoursTill(address: string, tillId: string, nowMs: number): Promise<boolean> {
    const { tillsPerClient } = this.limits;
    const seen = `seen:${tillId}@${address}`;
    if (!(await tillsPerClient.check(seen, nowMs, 1)).allowed) return true;
    if (!(await tillsPerClient.consume(`address:${address}`, nowMs)).allowed) return false;
    await tillsPerClient.record(seen, nowMs);
    return true;
  }
}
