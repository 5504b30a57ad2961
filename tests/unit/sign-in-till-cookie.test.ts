/**
 * The known-till cookie and the sign-in limits, as the hardening review found them: till cookies
 * outlived the password and bought their own guesses without bound, and a cookie tossed in from a
 * page on another port locked the real till out while strangers held the shared cap.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  KNOWN_TILLS_PER_ADDRESS,
  SIGN_IN_FAILURE_LIMIT,
  SIGN_IN_GLOBAL_FAILURE_LIMIT,
  SIGN_IN_KNOWN_ADDRESS_LIMIT,
  type SignInInput,
} from "@/lib/auth/admin-access";
import { hashSecret } from "@/lib/auth/passwords";
import type { StaffMember } from "@/lib/entities/staff";
import { isDomainError } from "@/lib/errors";
import { PEER_ADDRESS_HEADER, peerAddressStamp } from "@/lib/http/client-address";
import { memoryStore, type TestStore } from "../support/memory-store";
import { ORIGIN, staffAccess } from "../support/staff-access";

let store: TestStore;
let appNow = Date.parse("2026-03-02T08:00:00.000Z");
const clock = { now: () => appNow };

beforeEach(async () => {
  delete (globalThis as { __kassaRateLimiters?: unknown }).__kassaRateLimiters;
  store = await memoryStore();
});
afterEach(async () => {
  await store.close();
});

type Outcome = { status: 200; cookies: string[] } | { status: 401 | 403 | 429 };

/** One sign-in from an address, as the server stamps it, with the browser's Cookie header if any. */
async function signIn(
  access: ReturnType<typeof staffAccess>,
  address: string,
  input: SignInInput,
  cookie?: string,
): Promise<Outcome> {
  const request = new Request(`${ORIGIN}/api/admin/session`, {
    method: "POST",
    headers: {
      host: "127.0.0.1:3000",
      origin: ORIGIN,
      [PEER_ADDRESS_HEADER]: peerAddressStamp(address),
      ...(cookie ? { cookie } : {}),
    },
  });
  try {
    return { status: 200, cookies: (await access.admin.signIn(request, input)).cookies };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const status = ({ unauthorized: 401, forbidden: 403, rateLimited: 429 } as const)[error.code as string];
    if (!status) throw error;
    return { status };
  }
}

/** The known-till cookie a sign-in set, as a Cookie header value. */
function tillCookieOf(outcome: Outcome, name = "kassa_till"): string {
  if (outcome.status !== 200) throw new Error(`sign-in answered ${outcome.status}`);
  const cookie = outcome.cookies.find((c) => c.startsWith(`${name}=`));
  if (!cookie) throw new Error(`no ${name} cookie in ${outcome.cookies.join(" | ")}`);
  return cookie.split(";")[0]!;
}

/** Strangers on six addresses use up the cap shared by everyone without a till or address of their own. */
async function strangersHoldTheCap(access: ReturnType<typeof staffAccess>): Promise<void> {
  for (let a = 0; a < SIGN_IN_GLOBAL_FAILURE_LIMIT / SIGN_IN_FAILURE_LIMIT; a++) {
    for (let i = 0; i < SIGN_IN_FAILURE_LIMIT; i++) await signIn(access, `203.0.113.${100 + a}`, { password: "guess" });
  }
  expect((await signIn(access, "203.0.113.200", { password: "guess" })).status).toBe(429);
}

async function changePassword(member: StaffMember, password: string): Promise<void> {
  appNow += 60_000;
  const now = new Date(appNow).toISOString();
  await store.repositories.staff.updateStaff({ ...member, passwordHash: await hashSecret(password), updatedAt: now });
}

const statuses = (outcomes: Outcome[]) => outcomes.map((outcome) => outcome.status);

describe("known-till cookies are bound to the member and their password, and bounded per address", () => {
  it("eight till cookies earned before a password change buy no guesses after it", async () => {
    const access = staffAccess(store.repositories, { clock });
    const owner = await access.addStaff("owner", "owner", { password: "old-password" });
    const tills: string[] = [];
    for (let i = 0; i < 8; i++)
      tills.push(tillCookieOf(await signIn(access, "198.51.100.7", { password: "old-password" })));
    await changePassword(owner, "new-password");

    // Five wrong guesses per cookie, as the review sent them: before, each cookie had its own five.
    const outcomes: Outcome[] = [];
    for (const till of tills)
      for (let i = 0; i < 5; i++) outcomes.push(await signIn(access, "198.51.100.7", { password: "guess" }, till));
    expect(statuses(outcomes).filter((status) => status === 401)).toHaveLength(SIGN_IN_FAILURE_LIMIT);
    expect(statuses(outcomes).filter((status) => status === 429)).toHaveLength(40 - SIGN_IN_FAILURE_LIMIT);
  });

  it("with the password unchanged, a pile of till cookies on one address buys no more than its allowance", async () => {
    const access = staffAccess(store.repositories, { clock });
    await access.addStaff("owner", "owner", { password: "the-password" });
    const tills: string[] = [];
    for (let i = 0; i < 8; i++)
      tills.push(tillCookieOf(await signIn(access, "198.51.100.8", { password: "the-password" })));
    const outcomes = await Promise.all(
      tills.flatMap((till) =>
        Array.from({ length: 5 }, () => signIn(access, "198.51.100.8", { password: "guess" }, till)),
      ),
    );
    expect(statuses(outcomes).filter((status) => status === 401).length).toBe(SIGN_IN_KNOWN_ADDRESS_LIMIT);
    // The address's allowance binds before the number of tills does.
    expect(KNOWN_TILLS_PER_ADDRESS * SIGN_IN_FAILURE_LIMIT).toBeGreaterThan(SIGN_IN_KNOWN_ADDRESS_LIMIT);
  });

  it("a cashier's till cookie opens no bucket of its own for guessing the owner's password", async () => {
    const access = staffAccess(store.repositories, { clock });
    await access.addStaff("owner", "owner", { password: "owner-password" });
    await access.addStaff("mallory", "cashier", { password: "mallory-password" });
    const tills: string[] = [];
    for (let i = 0; i < 3; i++) {
      const outcome = await signIn(access, `198.51.100.${20 + i}`, {
        username: "mallory",
        password: "mallory-password",
      });
      tills.push(tillCookieOf(outcome));
    }
    const outcomes: Outcome[] = [];
    for (const till of tills)
      for (let i = 0; i < 5; i++) outcomes.push(await signIn(access, "198.51.100.30", { password: "guess" }, till));
    expect(statuses(outcomes).filter((status) => status === 401)).toHaveLength(SIGN_IN_FAILURE_LIMIT);
  });
});

describe("a missing, garbled or foreign till cookie never fails the real cashier's right password", () => {
  it("signs the cashier in at her till while strangers hold the cap, whatever cookie the till now has", async () => {
    const access = staffAccess(store.repositories, { clock });
    await access.addStaff("owner", "owner", { password: "owner-password" });
    await access.addStaff("anna", "cashier", { password: "anna-password" });
    await access.addStaff("mallory", "cashier", { password: "mallory-password" });
    const anna = { username: "anna", password: "anna-password" };
    const ownTill = tillCookieOf(await signIn(access, "192.0.2.10", anna));
    // Mallory earns a till cookie of her own and spends its guesses, then tosses it into Anna's till.
    const foreign = tillCookieOf(
      await signIn(access, "198.51.100.66", { username: "mallory", password: "mallory-password" }),
    );
    for (let i = 0; i < SIGN_IN_FAILURE_LIMIT; i++)
      await signIn(access, "198.51.100.66", { username: "mallory", password: "guess" }, foreign);
    await strangersHoldTheCap(access);

    const garbled = `${ownTill.slice(0, -4)}AAAA`;
    for (const cookie of [undefined, garbled, foreign, ownTill]) {
      expect((await signIn(access, "192.0.2.10", anna, cookie)).status, `cookie ${cookie}`).toBe(200);
    }
    // The same right password from an address that has never signed Anna in stays refused: over the
    // cap nothing is checked, so a guesser with many addresses learns nothing.
    expect((await signIn(access, "192.0.2.99", anna)).status).toBe(429);
    // And at her till, wrong passwords are still limited.
    const wrong = [];
    for (let i = 0; i <= SIGN_IN_FAILURE_LIMIT; i++)
      wrong.push((await signIn(access, "192.0.2.10", { username: "anna", password: "typo" })).status);
    expect(wrong).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("an address stops being the member's own once their password changes", async () => {
    const access = staffAccess(store.repositories, { clock });
    const anna = await access.addStaff("anna", "cashier", { password: "anna-password" });
    await signIn(access, "192.0.2.10", { username: "anna", password: "anna-password" });
    await changePassword(anna, "anna-new-password");
    await strangersHoldTheCap(access);
    expect((await signIn(access, "192.0.2.10", { username: "anna", password: "anna-new-password" })).status).toBe(429);
  });
});

describe("over https the till cookies carry the __Host- prefix", () => {
  it("sets __Host- cookies with Path=/ and Secure and no Domain, and reads no unprefixed one", async () => {
    const secure = staffAccess(store.repositories, { clock, secureCookies: true });
    const plain = staffAccess(store.repositories, { clock });
    await secure.addStaff("anna", "cashier", { password: "anna-password", pin: "4821" });
    const anna = { username: "anna", password: "anna-password" };
    const first = await signIn(secure, "192.0.2.10", anna);
    if (first.status !== 200) throw new Error(`sign-in answered ${first.status}`);
    const set = first.cookies.find((c) => c.startsWith("__Host-kassa_till="));
    expect(set).toMatch(/^__Host-kassa_till=[\w-]+\.[\w-]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/);
    const hostTill = set!.split(";")[0]!;

    // A cookie under the old name, even one this server signed, is a tossed one over https.
    const unprefixed = tillCookieOf(await signIn(plain, "192.0.2.11", anna));
    await strangersHoldTheCap(secure);
    expect((await signIn(secure, "192.0.2.12", anna, unprefixed)).status).toBe(429);
    expect((await signIn(secure, "192.0.2.12", anna, hostTill)).status).toBe(200);

    const owner = await secure.addStaff("owner", "owner");
    const principal = await secure.admin.authenticate(
      new Request(`${ORIGIN}/api/v1/me`, { headers: { cookie: await secure.cookieFor(owner) } }),
    );
    if (principal.type !== "staff") throw new Error("expected staff");
    const { cookie: device } = await secure.admin.enrolTill(principal, "Counter 1");
    expect(device).toMatch(
      /^__Host-kassa_till_device=[\w-]+\.[\w-]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/,
    );
    const pin = { username: "anna", pin: "4821" };
    expect((await signIn(secure, "192.0.2.13", pin, device.split(";")[0])).status).toBe(200);
    expect((await signIn(secure, "192.0.2.13", pin, device.split(";")[0]!.replace("__Host-", ""))).status).toBe(403);
  });
});
