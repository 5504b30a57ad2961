import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashAdminPassword } from "@/lib/auth/admin-session";
import { PIN_LOCK_AFTER } from "@/lib/auth/admin-access";
import { PEER_ADDRESS_HEADER } from "@/lib/http/client-address";
import { memoryStore, type TestStore } from "../support/memory-store";
import { ORIGIN, staffAccess, TEST_API_KEY } from "../support/staff-access";
import { createTillDeviceCookie } from "@/lib/auth/admin-session";

let store: TestStore;
let access: ReturnType<typeof staffAccess>;

beforeEach(async () => {
  store = await memoryStore();
  access = staffAccess(store.repositories);
});
afterEach(async () => {
  await store.close();
});

const request = (method: string, headers: Record<string, string>) =>
  new Request(`${ORIGIN}/api/v1/sales/s1/refund`, { method, headers: { host: "127.0.0.1:3000", ...headers } });

describe("admin access: cross-site requests with a staff cookie", () => {
  it("refuses an unsafe request from a page on another port of the same host (same site, other origin)", async () => {
    const cookie = await access.cookieFor(await access.addStaff("owner", "owner"));
    await expect(
      access.admin.authenticate(request("POST", { cookie, origin: "http://127.0.0.1:4102" })),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      access.admin.authenticate(request("POST", { cookie, "sec-fetch-site": "same-site" })),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      access.admin.authenticate(request("DELETE", { cookie, "sec-fetch-site": "cross-site" })),
    ).rejects.toMatchObject({ code: "forbidden" });
  });

  it("lets our own pages through: the request's origin, the public URL's, or same-origin fetch metadata", async () => {
    const cookie = await access.cookieFor(await access.addStaff("owner", "owner"));
    const ours: Record<string, string>[] = [
      { origin: ORIGIN },
      { origin: "https://kassa.example" },
      { "sec-fetch-site": "same-origin" },
    ];
    for (const headers of ours) {
      expect(await access.admin.authenticate(request("POST", { cookie, ...headers }))).toMatchObject({
        type: "staff",
        username: "owner",
        role: "owner",
      });
    }
  });

  it("does not apply to reads, nor to POS software with its API key", async () => {
    const cookie = await access.cookieFor(await access.addStaff("owner", "owner"));
    expect(await access.admin.authenticate(request("GET", { cookie, origin: "http://evil.example" }))).toMatchObject({
      type: "staff",
    });
    expect(
      await access.admin.authenticate(
        request("POST", { authorization: `Bearer ${TEST_API_KEY}`, origin: "http://evil.example" }),
      ),
    ).toMatchObject({ type: "api-key", name: "KASSA_API_KEY", storeIds: null });
  });

  it("refuses a sign-in forced from another page before looking at the password", async () => {
    await expect(
      access.admin.signIn(request("POST", { origin: "http://127.0.0.1:4102" }), { password: "whatever" }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("admin access: sign-in", () => {
  it("a password without a username signs the owner in, as the single admin password did", async () => {
    await access.addStaff("owner", "owner", { password: "the-owner-password" });
    const cookie = await access.signIn({ password: "the-owner-password" });
    expect(await access.admin.authenticate(request("GET", { cookie }))).toMatchObject({ username: "owner" });
    await expect(access.signIn({ password: "wrong-password" })).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("a username and password sign that member in, with their role and stores", async () => {
    await access.addStaff("mia", "manager", { password: "mia-password-1", storeIds: ["store-2"] });
    const cookie = await access.signIn({ username: "mia", password: "mia-password-1" });
    expect(await access.admin.authenticate(request("GET", { cookie }))).toMatchObject({
      type: "staff",
      username: "mia",
      role: "manager",
      storeIds: ["store-2"],
    });
    await expect(access.signIn({ username: "nobody", password: "mia-password-1" })).rejects.toMatchObject({
      code: "unauthorized",
    });
  });

  it("keeps the carried-over scrypt hash working and stores argon2id after the first sign-in", async () => {
    await access.addStaff("owner", "owner", { passwordHash: await hashAdminPassword("old-admin-password") });
    await access.signIn({ password: "old-admin-password" });
    const owner = await store.repositories.staff.getStaffByUsername("owner");
    expect(owner?.passwordHash).toMatch(/^\$argon2id\$/);
    await access.signIn({ password: "old-admin-password" });
  });

  it("a PIN signs a cashier in only on an enrolled till, and locks after repeated wrong PINs", async () => {
    const cashier = await access.addStaff("anna", "cashier", { pin: "4821" });
    await expect(access.signIn({ username: "anna", pin: "4821" })).rejects.toMatchObject({ code: "forbidden" });
    const owner = await access.addStaff("owner", "owner");
    const principal = await access.admin.authenticate(request("GET", { cookie: await access.cookieFor(owner) }));
    if (principal.type !== "staff") throw new Error("expected staff");
    const { cookie: setCookie } = await access.admin.enrolTill(principal, "Counter 1");
    const till = setCookie.split(";")[0]!;
    const cookie = await access.signIn({ username: "anna", pin: "4821" }, till);
    expect(await access.admin.authenticate(request("GET", { cookie }))).toMatchObject({ username: "anna" });
    // A forged device cookie opens nothing.
    const forged = createTillDeviceCookie("another-secret", "till_x").split(";")[0]!;
    await expect(access.signIn({ username: "anna", pin: "4821" }, forged)).rejects.toMatchObject({ code: "forbidden" });

    for (let i = 0; i < PIN_LOCK_AFTER; i++) {
      await expect(access.signIn({ username: "anna", pin: "0000" }, till)).rejects.toMatchObject({
        code: "unauthorized",
      });
    }
    // Locked: even the right PIN is refused until a manager sets a new one.
    await expect(access.signIn({ username: "anna", pin: "4821" }, till)).rejects.toMatchObject({ code: "forbidden" });
    expect((await store.repositories.staff.getStaff(cashier.id))?.pinLockedAt).not.toBeNull();
  });
});

describe("admin access: sessions live in the store", () => {
  it("a session ended on one instance is refused on another at its next request", async () => {
    const owner = await access.addStaff("owner", "owner", { password: "the-owner-password" });
    const cookie = await access.signIn({ password: "the-owner-password" });
    const other = staffAccess(store.repositories);
    const principal = await other.admin.authenticate(request("GET", { cookie }));
    if (principal.type !== "staff") throw new Error("expected staff");
    await access.sessions.end(owner.id, principal.sessionId);
    await expect(other.admin.authenticate(request("GET", { cookie }))).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("sign-out ends only this browser's session; a stranger's sign-out ends nothing", async () => {
    const owner = await access.addStaff("owner", "owner");
    const [first, second] = [await access.cookieFor(owner), await access.cookieFor(owner)];
    await access.admin.signOut(new Request(`${ORIGIN}/api/admin/session`, { method: "DELETE" }));
    await access.admin.signOut(
      new Request(`${ORIGIN}/api/admin/session`, { method: "DELETE", headers: { cookie: first, origin: ORIGIN } }),
    );
    await expect(access.admin.authenticate(request("GET", { cookie: first }))).rejects.toMatchObject({
      code: "unauthorized",
    });
    expect(await access.admin.authenticate(request("GET", { cookie: second }))).toMatchObject({ username: "owner" });
  });

  it("a revoked API key is refused", async () => {
    const { ApiKeyService } = await import("@/lib/staff/api-key-service");
    const keys = new ApiKeyService({ apiKeys: store.repositories.apiKeys, clock: { now: () => Date.now() } });
    const { id, key } = await keys.create({ name: "Webshop", scopes: ["sales:read"], storeIds: ["store-1"] });
    const bearer = { authorization: `Bearer ${key}` };
    expect(await access.admin.authenticate(request("GET", bearer))).toMatchObject({
      type: "api-key",
      name: "Webshop",
      scopes: ["sales:read"],
      storeIds: ["store-1"],
    });
    await keys.revoke(id);
    await expect(access.admin.authenticate(request("GET", bearer))).rejects.toMatchObject({ code: "unauthorized" });
  });
});

describe("admin access: sign-in limits shared by every instance", () => {
  it("wrong passwords counted on one instance count on another that shares the store", async () => {
    const { StoreRateLimit } = await import("@/lib/auth/rate-limit");
    const { SIGN_IN_FAILURE_LIMIT, SIGN_IN_GLOBAL_FAILURE_LIMIT, SIGN_IN_WINDOW_MS } = await import(
      "@/lib/auth/admin-access"
    );
    const signInLimits = {
      perClient: new StoreRateLimit(store, "admin-sign-in", SIGN_IN_FAILURE_LIMIT, SIGN_IN_WINDOW_MS),
      everyone: new StoreRateLimit(store, "admin-sign-in-all", SIGN_IN_GLOBAL_FAILURE_LIMIT, SIGN_IN_WINDOW_MS),
    };
    await access.addStaff("owner", "owner", { password: "the-owner-password" });
    const [a, b] = [
      staffAccess(store.repositories, { signInLimits }),
      staffAccess(store.repositories, { signInLimits }),
    ];
    const from = () =>
      new Request(`${ORIGIN}/api/admin/session`, { method: "POST", headers: { [PEER_ADDRESS_HEADER]: "203.0.113.7" } });
    for (let i = 0; i < SIGN_IN_FAILURE_LIMIT; i++)
      await expect((i % 2 ? a : b).admin.signIn(from(), { password: "wrong" })).rejects.toMatchObject({
        code: "unauthorized",
      });
    await expect(a.admin.signIn(from(), { password: "wrong" })).rejects.toMatchObject({ code: "rateLimited" });
    await expect(b.admin.signIn(from(), { password: "wrong" })).rejects.toMatchObject({ code: "rateLimited" });
  });
});
