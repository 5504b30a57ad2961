import { delay, http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AdjustableClock } from "@/lib/clock";
import {
  AccessTokenCache,
  accessTokenCacheKey,
  createAccessTokenProvider,
  refreshMarginMs,
  type AccessTokenProviderOptions,
} from "@/lib/vipps/access-token";
import { VippsAuthError, VippsResponseShapeError } from "@/lib/vipps/errors";

const BASE = "https://vipps.test";
const TOKEN_URL = `${BASE}/accesstoken/get`;
const CREDENTIALS = {
  clientId: "0b6c8a0e-2f9d-4c1b-9a57-3d2e1f4a5b6c",
  clientSecret: "client-secret-DO-NOT-LEAK",
  subscriptionKey: "subscription-key-DO-NOT-LEAK",
  msn: "123456",
};

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface TokenCall {
  headers: Headers;
  body: string;
  method: string;
}

/** Issues token-1, token-2, ... with the given lifetime (seconds, as strings like the real API). */
function tokenServer(
  options: { expiresIn?: string; latencyMs?: number; clock?: AdjustableClock; omit?: string[] } = {},
) {
  const calls: TokenCall[] = [];
  server.use(
    http.post(TOKEN_URL, async ({ request }) => {
      calls.push({ headers: request.headers, body: await request.text(), method: request.method });
      if (options.latencyMs) await delay(options.latencyMs);
      const nowSeconds = Math.floor((options.clock?.now() ?? Date.now()) / 1000);
      const expiresIn = options.expiresIn ?? "3600";
      const body: Record<string, string> = {
        token_type: "Bearer",
        expires_in: expiresIn,
        ext_expires_in: "0",
        expires_on: String(nowSeconds + Number(expiresIn)),
        not_before: String(nowSeconds),
        resource: "00000002-0000-0000-c000-000000000000",
        access_token: `token-${calls.length}`,
      };
      for (const field of options.omit ?? []) delete body[field];
      return HttpResponse.json(body, { headers: { "content-type": "application/json;charset=UTF-8" } });
    }),
  );
  return calls;
}

function provider(overrides: Partial<AccessTokenProviderOptions> = {}) {
  return createAccessTokenProvider({
    baseUrl: BASE,
    credentials: CREDENTIALS,
    cache: new AccessTokenCache(),
    ...overrides,
  });
}

describe("access token provider", () => {
  it("POSTs without a body, with credentials and system headers, and parses the string fields", async () => {
    const calls = tokenServer({ expiresIn: "3600" });
    const clock = new AdjustableClock();
    const tokens = provider({ clock });

    const before = clock.now();
    const token = await tokens.getAccessToken();

    expect(token.accessToken).toBe("token-1");
    expect(token.expiresAtMs - token.obtainedAtMs).toBe(3_600_000);
    expect(token.obtainedAtMs).toBeGreaterThanOrEqual(before);
    expect(token.expiresAtMs - token.refreshAtMs).toBe(120_000);

    expect(calls).toHaveLength(1);
    const [call] = calls as [TokenCall];
    expect(call.method).toBe("POST");
    expect(call.body).toBe("");
    expect(call.headers.get("client_id")).toBe(CREDENTIALS.clientId);
    expect(call.headers.get("client_secret")).toBe(CREDENTIALS.clientSecret);
    expect(call.headers.get("ocp-apim-subscription-key")).toBe(CREDENTIALS.subscriptionKey);
    expect(call.headers.get("merchant-serial-number")).toBe("123456");
    expect(call.headers.get("vipps-system-name")).toBe("kassa-display");
    expect(call.headers.get("vipps-system-plugin-name")).toBe("kassa-display-pos");
    expect(call.headers.get("authorization")).toBeNull();
  });

  it("serves the cached token without another request", async () => {
    const calls = tokenServer();
    const tokens = provider();
    expect(await tokens.getToken()).toBe("token-1");
    expect(await tokens.getToken()).toBe("token-1");
    expect(calls).toHaveLength(1);
  });

  it("refreshes 2 minutes before expiry of a 1 hour token", async () => {
    const clock = new AdjustableClock();
    const calls = tokenServer({ expiresIn: "3600", clock });
    const tokens = provider({ clock });

    expect(await tokens.getToken()).toBe("token-1");
    clock.advance(3_600_000 - 121_000);
    expect(await tokens.getToken()).toBe("token-1");
    expect(calls).toHaveLength(1);
    clock.advance(2_000);
    expect(await tokens.getToken()).toBe("token-2");
    expect(calls).toHaveLength(2);
    expect(await tokens.getToken()).toBe("token-2");
    expect(calls).toHaveLength(2);
  });

  it("refreshes 10 % before expiry when that is less than 2 minutes", async () => {
    const clock = new AdjustableClock();
    const calls = tokenServer({ expiresIn: "600", clock });
    const tokens = provider({ clock });

    await tokens.getToken();
    clock.advance(539_000);
    expect(await tokens.getToken()).toBe("token-1");
    clock.advance(2_000);
    expect(await tokens.getToken()).toBe("token-2");
    expect(calls).toHaveLength(2);
    expect(refreshMarginMs(600_000)).toBe(60_000);
    expect(refreshMarginMs(86_400_000)).toBe(120_000);
  });

  it("falls back to expires_on when expires_in is absent", async () => {
    const clock = new AdjustableClock();
    tokenServer({ expiresIn: "900", clock, omit: ["expires_in"] });
    const tokens = provider({ clock });
    const token = await tokens.getAccessToken();
    // expires_on has whole-second precision, and a loaded machine may take a moment between the
    // server's answer and the client's reading of it.
    expect(token.expiresAtMs - token.obtainedAtMs).toBeGreaterThan(895_000);
    expect(token.expiresAtMs - token.obtainedAtMs).toBeLessThanOrEqual(900_000);
  });

  it("makes exactly one request for 10 concurrent callers", async () => {
    const calls = tokenServer({ latencyMs: 30 });
    const tokens = provider();
    const results = await Promise.all(Array.from({ length: 10 }, () => tokens.getToken()));
    expect(new Set(results)).toEqual(new Set(["token-1"]));
    expect(calls).toHaveLength(1);
  });

  it("shares the cache between providers with the same credentials, not across MSNs", async () => {
    const calls = tokenServer();
    const cache = new AccessTokenCache();
    await provider({ cache }).getToken();
    await provider({ cache }).getToken();
    expect(calls).toHaveLength(1);
    await provider({ cache, credentials: { ...CREDENTIALS, msn: "654321" } }).getToken();
    expect(calls).toHaveLength(2);
  });

  it("hashes the cache key so no credential is stored in clear", () => {
    const key = accessTokenCacheKey(BASE, CREDENTIALS);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(accessTokenCacheKey(`${BASE}/`, CREDENTIALS)).toBe(key);
    expect(accessTokenCacheKey(BASE, { ...CREDENTIALS, msn: "654321" })).not.toBe(key);
  });

  it("invalidate(rejected) forces a new fetch, but keeps a token that already replaced it", async () => {
    const calls = tokenServer();
    const tokens = provider();
    expect(await tokens.getToken()).toBe("token-1");
    tokens.invalidate("token-1");
    expect(await tokens.getToken()).toBe("token-2");
    tokens.invalidate("token-1");
    expect(await tokens.getToken()).toBe("token-2");
    expect(calls).toHaveLength(2);
  });

  it("does not cache a failure: the next call tries again", async () => {
    let attempts = 0;
    server.use(
      http.post(TOKEN_URL, () => {
        attempts += 1;
        if (attempts === 1) return new HttpResponse("upstream down", { status: 500 });
        return HttpResponse.json({
          token_type: "Bearer",
          expires_in: "3600",
          ext_expires_in: "0",
          expires_on: "0",
          not_before: "0",
          resource: "r",
          access_token: "after-outage",
        });
      }),
    );
    const tokens = provider();
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsAuthError);
    expect((error as VippsAuthError).status).toBe(500);
    expect((error as VippsAuthError).isRetryable).toBe(true);
    expect(await tokens.getToken()).toBe("after-outage");
  });

  it("keeps using a still-valid token when a refresh fails", async () => {
    const clock = new AdjustableClock();
    tokenServer({ expiresIn: "3600", clock });
    const tokens = provider({ clock });
    await tokens.getToken();
    clock.advance(3_600_000 - 60_000);
    server.use(http.post(TOKEN_URL, () => HttpResponse.error()));
    expect(await tokens.getToken()).toBe("token-1");
    clock.advance(60_000);
    await expect(tokens.getToken()).rejects.toBeInstanceOf(VippsAuthError);
  });

  it("reports rejected credentials as VippsAuthError without leaking any secret", async () => {
    server.use(
      http.post(TOKEN_URL, ({ request }) =>
        HttpResponse.json(
          {
            error: "invalid_client",
            message: `Invalid client_secret ${request.headers.get("client_secret")} for key ${request.headers.get("ocp-apim-subscription-key")}`,
          },
          { status: 401 },
        ),
      ),
    );
    const tokens = provider();
    const error = await tokens.getToken().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VippsAuthError);
    const authError = error as VippsAuthError;
    expect(authError.status).toBe(401);
    expect(authError.isRetryable).toBe(false);
    expect(authError.message).toContain("401");
    for (const text of [
      authError.message,
      authError.rawBody ?? "",
      String(authError.stack),
      JSON.stringify(authError),
    ]) {
      expect(text).not.toContain(CREDENTIALS.clientSecret);
      expect(text).not.toContain(CREDENTIALS.subscriptionKey);
    }
    expect(authError.rawBody).toContain("[redacted]");
  });

  it("reports a network failure as a retryable VippsAuthError", async () => {
    server.use(http.post(TOKEN_URL, () => HttpResponse.error()));
    const error = await provider()
      .getToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsAuthError);
    expect((error as VippsAuthError).status).toBeUndefined();
    expect((error as VippsAuthError).isRetryable).toBe(true);
  });

  it("rejects a 200 without a token as VippsResponseShapeError and never echoes the body", async () => {
    server.use(http.post(TOKEN_URL, () => HttpResponse.json({ token_type: "Bearer", expires_in: "3600" })));
    const error = await provider()
      .getToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsResponseShapeError);
    expect((error as VippsResponseShapeError).rawBody).toBe("[omitted]");
  });
});
