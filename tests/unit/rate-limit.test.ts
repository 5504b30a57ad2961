import { scryptSync } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sharedRateLimiter, SlidingWindowRateLimiter } from "@/lib/auth/rate-limit";
import { clientAddress, PEER_ADDRESS_HEADER, peerAddressStamp } from "@/lib/http/client-address";

import {
  AdminAccess,
  SIGN_IN_FAILURE_LIMIT,
  SIGN_IN_GLOBAL_FAILURE_LIMIT,
  SIGN_IN_WINDOW_MS,
} from "@/lib/auth/admin-access";
import { isDomainError } from "@/lib/errors";
import { SessionManager } from "@/lib/auth/sessions";
import { memoryStore, type TestStore } from "../support/memory-store";

const fake = {
  runtime: {
    secrets: { adminPasswordHash: "", apiKeyHash: "", sessionSecret: "session-secret-for-tests" },
    log: { debug: () => {}, warn: () => {}, info: () => {}, error: () => {} },
  },
};

let lastCookies: string[] = [];
type SignInResult =
  | { ok: true }
  | { ok: false; reason: "wrong-password" }
  | { ok: false; reason: "rate-limited"; retryAfterSeconds: number };
/** Sign-in as an outcome value, so each try reads as one assertion. */
let store: TestStore | undefined;
/** The owner account, made from the admin password's hash as the upgrade makes it. */
async function ownerStore(): Promise<TestStore> {
  if (!store) {
    store = await memoryStore();
    const at = new Date(0).toISOString();
    await store.repositories.staff.insertStaff({
      ...{ id: "staff_owner", username: "owner", name: "Owner", role: "owner", storeIds: [] },
      ...{ passwordHash: fake.runtime.secrets.adminPasswordHash, pinHash: null, pinFailures: 0, pinLockedAt: null },
      ...{ createdAt: at, updatedAt: at },
    });
  }
  return store;
}
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function signIn(request: Request, password: string): Promise<SignInResult> {
  const { repositories } = await ownerStore();
  const clock = { now: () => Date.now() };
  const access = new AdminAccess({
    secrets: fake.runtime.secrets,
    clock,
    log: fake.runtime.log,
    secureCookies: false,
    staff: repositories.staff,
    apiKeys: repositories.apiKeys,
    sessions: new SessionManager({ sessions: repositories.sessions, staff: repositories.staff, clock }),
    clientAddress: (request) => clientAddress(request, 0),
  });
  try {
    const { cookies } = await access.signIn(request, { password });
    lastCookies = cookies;
    return { ok: true };
  } catch (error) {
    if (isDomainError(error) && error.code === "rateLimited")
      return { ok: false, reason: "rate-limited", retryAfterSeconds: error.options.retryAfterSeconds ?? -1 };
    if (isDomainError(error) && error.code === "unauthorized") return { ok: false, reason: "wrong-password" };
    throw error;
  }
}

describe("SlidingWindowRateLimiter", () => {
  it("allows the limit, then blocks and says how long to wait", () => {
    const limiter = new SlidingWindowRateLimiter(3, 1_000);
    expect(limiter.consume("a", 0).allowed).toBe(true);
    expect(limiter.consume("a", 100).allowed).toBe(true);
    expect(limiter.consume("a", 200).allowed).toBe(true);
    expect(limiter.consume("a", 300)).toEqual({ allowed: false, retryAfterMs: 700 });
    expect(limiter.check("a", 999)).toEqual({ allowed: false, retryAfterMs: 1 });
  });

  it("recovers as the oldest hit leaves the window, one slot at a time", () => {
    const limiter = new SlidingWindowRateLimiter(3, 1_000);
    for (const at of [0, 400, 800]) limiter.record("a", at);
    expect(limiter.check("a", 999).allowed).toBe(false);
    // A hit exactly one window old no longer counts.
    expect(limiter.consume("a", 1_000).allowed).toBe(true);
    expect(limiter.check("a", 1_000)).toEqual({ allowed: false, retryAfterMs: 400 });
    expect(limiter.check("a", 1_399).allowed).toBe(false);
    expect(limiter.check("a", 1_400).allowed).toBe(true);
    // Long after, the whole window is free again.
    for (let i = 0; i < 3; i++) expect(limiter.consume("a", 10_000).allowed).toBe(true);
    expect(limiter.consume("a", 10_000).allowed).toBe(false);
  });

  it("does not count refused attempts, so hammering does not extend the block", () => {
    const limiter = new SlidingWindowRateLimiter(2, 1_000);
    limiter.consume("a", 0);
    limiter.consume("a", 0);
    for (let at = 1; at < 1_000; at += 50) expect(limiter.consume("a", at).allowed).toBe(false);
    expect(limiter.consume("a", 1_000).allowed).toBe(true);
  });

  it("check alone does not use up the window", () => {
    const limiter = new SlidingWindowRateLimiter(1, 1_000);
    for (let i = 0; i < 5; i++) expect(limiter.check("a", i).allowed).toBe(true);
    limiter.record("a", 10);
    expect(limiter.check("a", 11).allowed).toBe(false);
  });

  it("keeps keys independent", () => {
    const limiter = new SlidingWindowRateLimiter(2, 1_000);
    limiter.consume("a", 0);
    limiter.consume("a", 0);
    expect(limiter.consume("a", 1).allowed).toBe(false);
    expect(limiter.consume("b", 1).allowed).toBe(true);
    expect(limiter.consume("b", 2).allowed).toBe(true);
    expect(limiter.consume("b", 3).allowed).toBe(false);
    expect(limiter.check("c", 3).allowed).toBe(true);
  });

  it("reset frees one key only", () => {
    const limiter = new SlidingWindowRateLimiter(1, 1_000);
    limiter.record("a", 0);
    limiter.record("b", 0);
    limiter.reset("a");
    expect(limiter.check("a", 1).allowed).toBe(true);
    expect(limiter.check("b", 1).allowed).toBe(false);
  });

  it("keeps counting correctly when many keys force a prune", () => {
    const limiter = new SlidingWindowRateLimiter(1, 1_000);
    for (let i = 0; i < 10_001; i++) limiter.record(`ip-${i}`, 0);
    limiter.record("victim", 5_000);
    // The map is over its size bound now: this record prunes stale keys, and must keep live ones.
    limiter.record("trigger", 5_500);
    expect(limiter.check("victim", 5_600).allowed).toBe(false);
    expect(limiter.check("ip-1", 5_600).allowed).toBe(true);
  });
});

describe("sharedRateLimiter", () => {
  beforeEach(() => {
    delete (globalThis as { __kassaRateLimiters?: unknown }).__kassaRateLimiters;
  });

  it("hands out one limiter per name, shared by every caller", () => {
    const first = sharedRateLimiter("x", 2, 1_000);
    const again = sharedRateLimiter("x", 99, 5);
    expect(again).toBe(first);
    expect(again.limit).toBe(2);
    first.record("k", 0);
    first.record("k", 0);
    expect(again.check("k", 1).allowed).toBe(false);
    expect(sharedRateLimiter("y", 2, 1_000)).not.toBe(first);
  });
});

describe("admin sign-in limits", () => {
  const PASSWORD = "the-right-password";
  let now = Date.parse("2026-03-02T08:00:00.000Z");

  beforeEach(() => {
    delete (globalThis as { __kassaRateLimiters?: unknown }).__kassaRateLimiters;
    // Cheap scrypt parameters (they travel with the hash) keep dozens of attempts fast.
    const salt = Buffer.from("salt-for-tests!!");
    const key = scryptSync(PASSWORD, salt, 32, { N: 16, r: 1, p: 1 });
    fake.runtime.secrets.adminPasswordHash = [
      "scrypt",
      16,
      1,
      1,
      salt.toString("base64url"),
      key.toString("base64url"),
    ].join("$");
    vi.spyOn(Date, "now").mockImplementation(() => now);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** A request as the server stamps it: the connection's address (client-sent headers aside). */
  const from = (ip: string, headers: Record<string, string> = {}) =>
    new Request("http://localhost/api/admin/session", {
      method: "POST",
      headers: { ...headers, [PEER_ADDRESS_HEADER]: peerAddressStamp(ip) },
    });

  it("refuses the sixth wrong password from one address, even when it is right, until the window passes", async () => {
    now = Date.parse("2026-03-02T08:00:00.000Z");
    const start = now;
    for (let i = 0; i < SIGN_IN_FAILURE_LIMIT; i++) {
      expect(await signIn(from("203.0.113.1"), "wrong")).toEqual({ ok: false, reason: "wrong-password" });
      now += 1_000;
    }
    expect(await signIn(from("203.0.113.1"), PASSWORD)).toEqual({
      ok: false,
      reason: "rate-limited",
      retryAfterSeconds: 55,
    });
    // Another address is not affected.
    expect(await signIn(from("203.0.113.2"), PASSWORD)).toEqual({ ok: true });
    now = start + SIGN_IN_WINDOW_MS;
    expect(await signIn(from("203.0.113.1"), PASSWORD)).toEqual({ ok: true });
  });

  it("a successful sign-in clears the address's failures", async () => {
    now = Date.parse("2026-03-02T09:00:00.000Z");
    for (let i = 0; i < SIGN_IN_FAILURE_LIMIT - 1; i++)
      expect((await signIn(from("203.0.113.3"), "wrong")).ok).toBe(false);
    expect(await signIn(from("203.0.113.3"), PASSWORD)).toEqual({ ok: true });
    for (let i = 0; i < SIGN_IN_FAILURE_LIMIT; i++) {
      expect(await signIn(from("203.0.113.3"), "wrong")).toEqual({ ok: false, reason: "wrong-password" });
    }
    expect((await signIn(from("203.0.113.3"), "wrong")) as { reason: string }).toMatchObject({
      reason: "rate-limited",
    });
  });

  it("counts guesses by the connection's address: rotating X-Forwarded-For buys no fresh guesses", async () => {
    now = Date.parse("2026-03-02T09:30:00.000Z");
    for (let i = 0; i < SIGN_IN_FAILURE_LIMIT; i++) {
      expect(await signIn(from("203.0.113.9", { "x-forwarded-for": `198.51.100.${i}` }), "guess")).toEqual({
        ok: false,
        reason: "wrong-password",
      });
    }
    expect(await signIn(from("203.0.113.9", { "x-forwarded-for": "198.51.100.250" }), "guess")).toMatchObject({
      ok: false,
      reason: "rate-limited",
    });
  });

  it("a till the cashier has signed in on is never locked out by strangers' guesses, and is limited on its own", async () => {
    now = Date.parse("2026-03-02T12:00:00.000Z");
    expect(await signIn(from("192.0.2.10"), PASSWORD)).toEqual({ ok: true });
    const tillCookie = lastCookies.find((cookie) => cookie.startsWith("kassa_till="));
    expect(tillCookie).toMatch(
      /^kassa_till=[\w-]+\.[\w-]+; Path=\/api\/admin\/session; Max-Age=\d+; HttpOnly; SameSite=Strict$/,
    );
    const till = { cookie: tillCookie!.split(";")[0]! };
    // Strangers on many addresses use up the shared cap.
    for (let a = 0; a < SIGN_IN_GLOBAL_FAILURE_LIMIT / SIGN_IN_FAILURE_LIMIT; a++) {
      for (let i = 0; i < SIGN_IN_FAILURE_LIMIT; i++)
        expect((await signIn(from(`10.1.${a}.1`), "guess")).ok).toBe(false);
    }
    expect(await signIn(from("192.0.2.11"), PASSWORD)).toMatchObject({ ok: false, reason: "rate-limited" });
    // The known till, even on an address strangers share with it, still gets in.
    expect(await signIn(from("10.1.0.1", till), PASSWORD)).toEqual({ ok: true });
    expect(lastCookies.some((cookie) => cookie.startsWith("kassa_till="))).toBe(false);
    // Its own wrong passwords are limited like an address's.
    for (let i = 0; i < SIGN_IN_FAILURE_LIMIT; i++)
      expect(await signIn(from("192.0.2.10", till), "typo")).toEqual({ ok: false, reason: "wrong-password" });
    expect(await signIn(from("192.0.2.10", till), PASSWORD)).toMatchObject({ ok: false, reason: "rate-limited" });
    // A forged till cookie is just another stranger.
    const forged = { cookie: `kassa_till=${till.cookie.slice("kassa_till=".length).split(".")[0]}.forged` };
    expect(await signIn(from("192.0.2.12", forged), PASSWORD)).toMatchObject({ ok: false, reason: "rate-limited" });
  });

  it("caps wrong passwords from everyone together, against guesses spread over many addresses", async () => {
    now = Date.parse("2026-03-02T10:00:00.000Z");
    const start = now;
    expect(SIGN_IN_GLOBAL_FAILURE_LIMIT).toBeGreaterThan(SIGN_IN_FAILURE_LIMIT);
    for (let i = 0; i < SIGN_IN_GLOBAL_FAILURE_LIMIT; i++) {
      // One guess per forged address: the per-address limit never trips.
      expect(await signIn(from(`198.51.100.${i}`), "guess")).toEqual({ ok: false, reason: "wrong-password" });
    }
    now += 10_000;
    const fresh = await signIn(from("192.0.2.200"), PASSWORD);
    expect(fresh).toEqual({ ok: false, reason: "rate-limited", retryAfterSeconds: 50 });
    now = start + SIGN_IN_WINDOW_MS;
    expect(await signIn(from("192.0.2.200"), PASSWORD)).toEqual({ ok: true });
  });

  it("counts every address toward the shared cap, including those that hit their own limit", async () => {
    now = Date.parse("2026-03-02T11:00:00.000Z");
    const addresses = SIGN_IN_GLOBAL_FAILURE_LIMIT / SIGN_IN_FAILURE_LIMIT;
    for (let a = 0; a < addresses; a++) {
      for (let i = 0; i < SIGN_IN_FAILURE_LIMIT; i++)
        expect((await signIn(from(`10.0.${a}.1`), "guess")).ok).toBe(false);
    }
    expect(await signIn(from("10.9.9.9"), PASSWORD)).toMatchObject({ ok: false, reason: "rate-limited" });
  });
});
