import { describe, expect, it } from "vitest";
import { AdminAccess, hashApiKey } from "@/lib/auth/admin-access";
import { ADMIN_SESSION_COOKIE, signAdminSession } from "@/lib/auth/admin-session";
import { createLogger } from "@/lib/log";

const NOW = Date.parse("2026-05-01T10:00:00.000Z");
const SECRET = "session-secret-for-tests";
const access = new AdminAccess({
  secrets: { sessionSecret: SECRET, apiKeyHash: hashApiKey("pos-api-key-0123456789"), adminPasswordHash: "" },
  clock: { now: () => NOW },
  log: createLogger("error"),
  secureCookies: false,
  publicUrl: "https://kassa.example",
});
const cookie = `${ADMIN_SESSION_COOKIE}=${signAdminSession(SECRET, NOW)}`;
const request = (method: string, headers: Record<string, string>) => new Request("http://127.0.0.1:3000/api/v1/sales/s1/refund", { method, headers: { host: "127.0.0.1:3000", ...headers } });

describe("admin access: cross-site requests with the cashier's cookie", () => {
  it("refuses an unsafe request from a page on another port of the same host (same site, other origin)", () => {
    expect(() => access.authenticate(request("POST", { cookie, origin: "http://127.0.0.1:4102" }))).toThrow(expect.objectContaining({ code: "forbidden" }));
    expect(() => access.authenticate(request("POST", { cookie, "sec-fetch-site": "same-site" }))).toThrow(expect.objectContaining({ code: "forbidden" }));
    expect(() => access.authenticate(request("DELETE", { cookie, "sec-fetch-site": "cross-site" }))).toThrow(expect.objectContaining({ code: "forbidden" }));
  });

  it("lets our own pages through: the request's origin, the public URL's, or same-origin fetch metadata", () => {
    expect(access.authenticate(request("POST", { cookie, origin: "http://127.0.0.1:3000" }))).toBe("cashier");
    expect(access.authenticate(request("POST", { cookie, origin: "https://kassa.example" }))).toBe("cashier");
    expect(access.authenticate(request("PATCH", { cookie, "sec-fetch-site": "same-origin" }))).toBe("cashier");
  });

  it("does not apply to reads, nor to POS software with its API key, nor to non-browser clients", () => {
    expect(access.authenticate(request("GET", { cookie, origin: "http://evil.example" }))).toBe("cashier");
    expect(access.authenticate(request("POST", { authorization: "Bearer pos-api-key-0123456789", origin: "http://evil.example" }))).toBe("api");
    expect(access.authenticate(request("POST", { cookie }))).toBe("cashier");
  });

  it("refuses a sign-in forced from another page before looking at the password", async () => {
    await expect(access.signIn(request("POST", { origin: "http://127.0.0.1:4102" }), "whatever")).rejects.toMatchObject({ code: "forbidden" });
  });
});
