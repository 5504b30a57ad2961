import { describe, expect, it } from "vitest";
import { AdminAccess, hashApiKey, sessionSigningKey } from "@/lib/auth/admin-access";
import { ADMIN_SESSION_COOKIE, signAdminSession } from "@/lib/auth/admin-session";
import { createLogger } from "@/lib/log";
import { PEER_ADDRESS_HEADER } from "@/lib/http/client-address";

const NOW = Date.parse("2026-05-01T10:00:00.000Z");

/** Settings kept in a map: all the session epoch needs. */
function settingsStore() {
  const settings = new Map<string, string>();
  return {
    getSetting: async (key: string) => settings.get(key),
    setSetting: async (key: string, value: string) => void settings.set(key, value),
  };
}
const SECRET = "session-secret-for-tests";
const access = new AdminAccess({
  secrets: { sessionSecret: SECRET, apiKeyHash: hashApiKey("pos-api-key-0123456789"), adminPasswordHash: "hash" },
  clock: { now: () => NOW },
  log: createLogger("error"),
  secureCookies: false,
  publicUrl: "https://kassa.example",
  settings: settingsStore(),
});
const cookie = `${ADMIN_SESSION_COOKIE}=${signAdminSession(sessionSigningKey({ sessionSecret: SECRET, adminPasswordHash: "hash" }, "0"), NOW)}`;
const request = (method: string, headers: Record<string, string>) =>
  new Request("http://127.0.0.1:3000/api/v1/sales/s1/refund", {
    method,
    headers: { host: "127.0.0.1:3000", ...headers },
  });

describe("admin access: cross-site requests with the cashier's cookie", () => {
  it("refuses an unsafe request from a page on another port of the same host (same site, other origin)", async () => {
    await expect(
      access.authenticate(request("POST", { cookie, origin: "http://127.0.0.1:4102" })),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(access.authenticate(request("POST", { cookie, "sec-fetch-site": "same-site" }))).rejects.toMatchObject(
      { code: "forbidden" },
    );
    await expect(
      access.authenticate(request("DELETE", { cookie, "sec-fetch-site": "cross-site" })),
    ).rejects.toMatchObject({ code: "forbidden" });
  });

  it("lets our own pages through: the request's origin, the public URL's, or same-origin fetch metadata", async () => {
    expect(await access.authenticate(request("POST", { cookie, origin: "http://127.0.0.1:3000" }))).toBe("cashier");
    expect(await access.authenticate(request("POST", { cookie, origin: "https://kassa.example" }))).toBe("cashier");
    expect(await access.authenticate(request("PATCH", { cookie, "sec-fetch-site": "same-origin" }))).toBe("cashier");
  });

  it("does not apply to reads, nor to POS software with its API key, nor to non-browser clients", async () => {
    expect(await access.authenticate(request("GET", { cookie, origin: "http://evil.example" }))).toBe("cashier");
    expect(
      await access.authenticate(
        request("POST", { authorization: "Bearer pos-api-key-0123456789", origin: "http://evil.example" }),
      ),
    ).toBe("api");
    expect(await access.authenticate(request("POST", { cookie }))).toBe("cashier");
  });

  it("refuses a sign-in forced from another page before looking at the password", async () => {
    await expect(access.signIn(request("POST", { origin: "http://127.0.0.1:4102" }), "whatever")).rejects.toMatchObject(
      { code: "forbidden" },
    );
  });
});

describe("admin access: sessions end on sign-out and with the password", () => {
  const secrets = {
    sessionSecret: SECRET,
    apiKeyHash: hashApiKey("pos-api-key-0123456789"),
    adminPasswordHash: "hash-of-old-password",
  };
  const make = (store = settingsStore(), adminPasswordHash = secrets.adminPasswordHash) =>
    new AdminAccess({
      secrets: { ...secrets, adminPasswordHash },
      clock: { now: () => NOW },
      log: createLogger("error"),
      secureCookies: false,
      settings: store,
    });
  const signedIn = (value: string) => request("POST", { cookie: value, origin: "http://127.0.0.1:3000" });
  /** A session cookie as sign-in issues it before any sign-out (epoch 0). */
  const sessionFor = (adminPasswordHash = secrets.adminPasswordHash) =>
    `${ADMIN_SESSION_COOKIE}=${signAdminSession(sessionSigningKey({ sessionSecret: SECRET, adminPasswordHash }, "0"), NOW)}`;

  it("a cookie stops working after its cashier signs out, also a copy of it elsewhere", async () => {
    const store = settingsStore();
    const shop = make(store);
    const session = sessionFor();
    expect(await shop.authenticate(signedIn(session))).toBe("cashier");
    await shop.signOut(
      new Request("http://127.0.0.1:3000/api/admin/session", {
        method: "DELETE",
        headers: { cookie: session, origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" },
      }),
    );
    // Another instance reading the same store sees the sign-out too.
    await expect(make(store).authenticate(signedIn(session))).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("a stranger's sign-out only clears their own cookie", async () => {
    const store = settingsStore();
    const shop = make(store);
    const session = sessionFor();
    await shop.signOut(new Request("http://127.0.0.1:3000/api/admin/session", { method: "DELETE" }));
    expect(await shop.authenticate(signedIn(session))).toBe("cashier");
  });

  it("a cookie from before a password change stops working", async () => {
    const store = settingsStore();
    const session = sessionFor();
    expect(await make(store).authenticate(signedIn(session))).toBe("cashier");
    await expect(make(store, "hash-of-new-password").authenticate(signedIn(session))).rejects.toMatchObject({
      code: "unauthorized",
    });
  });
});

describe("admin access: sign-in limits shared by every instance", () => {
  it("wrong passwords counted on one instance count on another that shares the store", async () => {
    const { memoryStore } = await import("../support/memory-store");
    const { StoreRateLimit } = await import("@/lib/auth/rate-limit");
    const { SIGN_IN_FAILURE_LIMIT, SIGN_IN_GLOBAL_FAILURE_LIMIT, SIGN_IN_WINDOW_MS } = await import(
      "@/lib/auth/admin-access"
    );
    const store = await memoryStore();
    const instance = () =>
      new AdminAccess({
        secrets: { sessionSecret: SECRET, apiKeyHash: "", adminPasswordHash: "scrypt$16$1$1$c2FsdA$a2V5" },
        clock: { now: () => NOW },
        log: createLogger("error"),
        secureCookies: false,
        settings: store,
        signInLimits: {
          perClient: new StoreRateLimit(store, "admin-sign-in", SIGN_IN_FAILURE_LIMIT, SIGN_IN_WINDOW_MS),
          everyone: new StoreRateLimit(store, "admin-sign-in-all", SIGN_IN_GLOBAL_FAILURE_LIMIT, SIGN_IN_WINDOW_MS),
        },
      });
    const from = () =>
      new Request("http://127.0.0.1:3000/api/admin/session", {
        method: "POST",
        headers: { [PEER_ADDRESS_HEADER]: "203.0.113.7" },
      });
    const [a, b] = [instance(), instance()];
    for (let i = 0; i < SIGN_IN_FAILURE_LIMIT; i++)
      await expect((i % 2 ? a : b).signIn(from(), "wrong")).rejects.toMatchObject({ code: "unauthorized" });
    await expect(a.signIn(from(), "wrong")).rejects.toMatchObject({ code: "rateLimited" });
    await expect(b.signIn(from(), "wrong")).rejects.toMatchObject({ code: "rateLimited" });
    await store.close();
  });
});
