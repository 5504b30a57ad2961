/**
 * AdminAccess on a real (SQLite) store's staff, sessions and API keys, with helpers to add staff
 * and to sign them in, for unit tests of routes and of the access rules.
 */
import { AdminAccess, hashApiKey, type SignInInput } from "@/lib/auth/admin-access";
import { hashSecret } from "@/lib/auth/passwords";
import type { SharedRateLimit } from "@/lib/auth/rate-limit";
import { SessionManager } from "@/lib/auth/sessions";
import type { Clock } from "@/lib/clock";
import type { Role } from "@/lib/entities/principal";
import type { StaffMember } from "@/lib/entities/staff";
import { clientAddress } from "@/lib/http/client-address";
import type { KyselyStore } from "@/lib/store/kysely-store";

export const TEST_SESSION_SECRET = "session-secret-for-tests";
export const TEST_API_KEY = "pos-api-key-0123456789";
export const ORIGIN = "http://127.0.0.1:3000";

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export function staffAccess(
  repositories: KyselyStore,
  options: {
    clock?: Clock;
    signInLimits?: { perClient: SharedRateLimit; everyone: SharedRateLimit; perTill?: SharedRateLimit };
    /** As when PUBLIC_URL is https: cookies Secure, the till cookies `__Host-` prefixed. */
    secureCookies?: boolean;
  } = {},
) {
  const clock = options.clock ?? { now: () => Date.now() };
  const sessions = new SessionManager({ sessions: repositories.sessions, staff: repositories.staff, clock });
  const make = () =>
    new AdminAccess({
      secrets: { sessionSecret: TEST_SESSION_SECRET, apiKeyHash: hashApiKey(TEST_API_KEY), adminPasswordHash: "" },
      clock,
      log: quiet,
      secureCookies: options.secureCookies ?? false,
      publicUrl: "https://kassa.example",
      staff: repositories.staff,
      apiKeys: repositories.apiKeys,
      sessions,
      clientAddress: (request) => clientAddress(request, 0),
      ...(options.signInLimits ? { signInLimits: options.signInLimits } : {}),
    });
  const admin = make();

  async function addStaff(
    username: string,
    role: Role,
    extra: { password?: string; pin?: string; storeIds?: string[]; passwordHash?: string } = {},
  ): Promise<StaffMember> {
    const now = new Date(clock.now()).toISOString();
    const member: StaffMember = {
      id: `staff_${username}`,
      username,
      name: username,
      role,
      storeIds: extra.storeIds ?? ["store-1"],
      passwordHash: extra.passwordHash ?? (extra.password ? await hashSecret(extra.password) : null),
      pinHash: extra.pin ? await hashSecret(extra.pin) : null,
      pinFailures: 0,
      pinLockedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await repositories.staff.insertStaff(member);
    return member;
  }

  /** Opens a session for the member as sign-in would; returns the Cookie header value. */
  async function cookieFor(member: StaffMember, device = "test browser"): Promise<string> {
    const { token } = await sessions.open(member, device, "127.0.0.1");
    return `kassa_admin=${token}`;
  }

  /** The session cookie a sign-in sets, as a Cookie header value. */
  async function signIn(input: SignInInput, cookie?: string): Promise<string> {
    const { cookies } = await admin.signIn(
      new Request(`${ORIGIN}/api/admin/session`, {
        method: "POST",
        headers: { host: "127.0.0.1:3000", origin: ORIGIN, ...(cookie ? { cookie } : {}) },
      }),
      input,
    );
    return cookies[0]!.split(";")[0]!;
  }

  return { admin, make, sessions, addStaff, cookieFor, signIn };
}
