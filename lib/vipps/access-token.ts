import "server-only";
/**
 * Access tokens for the Vipps MobilePay APIs (`POST {baseUrl}/accesstoken/get`).
 *
 * - Cached per (baseUrl, clientId, subscriptionKey, MSN). The cache key is a SHA-256 digest, so no
 *   credential is kept as a map key.
 * - Refreshed ahead of expiry by min(2 minutes, 10 % of the lifetime).
 * - Single-flight: concurrent callers share one in-flight request.
 * - `invalidate(token)` drops a token the API rejected with 401, unless it was already replaced.
 */
import { createHash } from "node:crypto";
import type { Clock } from "../clock";
import packageJson from "../../package.json";
import { VippsAuthError, VippsResponseShapeError, isJsonContentType } from "./errors";
import { AccessTokenResponseSchema } from "./schemas";

export interface VippsCredentials {
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
  /**
   * Merchant serial number, 4–6 digits: the sales unit the calls are for. Left out only with
   * partner keys acting for all of the partner's sales units (their webhook registration).
   */
  msn?: string;
}

/** Sent as the Vipps-System-* headers; each value is at most 30 characters. */
export interface VippsSystemInfo {
  name: string;
  version: string;
  pluginName: string;
  pluginVersion: string;
}

export const DEFAULT_SYSTEM_INFO: VippsSystemInfo = {
  name: "kassa-display",
  version: packageJson.version,
  pluginName: "kassa-display-pos",
  pluginVersion: packageJson.version,
};

/** What is about to be sent. Contains credentials and tokens: never log it unredacted. */
export interface VippsRequestInfo {
  operation: string;
  attempt: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export type VippsRequestHook = (info: VippsRequestInfo) => void;

export const systemClock: Clock = { now: () => Date.now() };

const SYSTEM_HEADER_MAX = 30;

function headerValue(value: string, max = SYSTEM_HEADER_MAX): string {
  // Header values must be printable ASCII; the Vipps-System-* headers are capped at 30 characters.
  return value
    .replace(/[^\x20-\x7e]/g, "")
    .trim()
    .slice(0, max);
}

export function resolveSystemInfo(system?: Partial<VippsSystemInfo>): VippsSystemInfo {
  const merged = { ...DEFAULT_SYSTEM_INFO, ...system };
  return {
    name: headerValue(merged.name),
    version: headerValue(merged.version),
    pluginName: headerValue(merged.pluginName),
    pluginVersion: headerValue(merged.pluginVersion),
  };
}

export function systemHeaders(system: VippsSystemInfo): Record<string, string> {
  const headers: Record<string, string> = {};
  if (system.name) headers["Vipps-System-Name"] = system.name;
  if (system.version) headers["Vipps-System-Version"] = system.version;
  if (system.pluginName) headers["Vipps-System-Plugin-Name"] = system.pluginName;
  if (system.pluginVersion) headers["Vipps-System-Plugin-Version"] = system.pluginVersion;
  return headers;
}

export const normalizeBaseUrl = (baseUrl: string): string => baseUrl.replace(/\/+$/, "");

export function accessTokenCacheKey(baseUrl: string, credentials: VippsCredentials): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        normalizeBaseUrl(baseUrl),
        credentials.clientId,
        credentials.subscriptionKey,
        credentials.msn ?? "",
      ]),
    )
    .digest("hex");
}

const MAX_REFRESH_MARGIN_MS = 2 * 60 * 1000;

/** How long before expiry a token is replaced: 2 minutes, or 10 % of a shorter lifetime. */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.max(0, Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs * 0.1));
}

export interface AccessToken {
  accessToken: string;
  /** Clock time at which the request for this token was sent. */
  obtainedAtMs: number;
  expiresAtMs: number;
  /** From this time on, getToken() fetches a replacement. */
  refreshAtMs: number;
}

interface CacheEntry {
  token?: AccessToken;
  inflight?: Promise<AccessToken>;
}

/**
 * Process-wide by default (see `defaultAccessTokenCache`) so that many short-lived clients share
 * one token per credential set. Tests pass their own instance.
 */
export class AccessTokenCache {
  private readonly entries = new Map<string, CacheEntry>();

  /** @internal */
  entry(key: string): CacheEntry {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {};
      this.entries.set(key, entry);
    }
    return entry;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

const GLOBAL_CACHE_KEY = Symbol.for("kassa-display.vipps.access-token-cache");
/** Kept on globalThis so that dev-server module reloads don't throw cached tokens away. */
export const defaultAccessTokenCache: AccessTokenCache = ((globalThis as Record<symbol, unknown>)[GLOBAL_CACHE_KEY] ??=
  new AccessTokenCache()) as AccessTokenCache;

export interface AccessTokenProviderOptions {
  baseUrl: string;
  credentials: VippsCredentials;
  system?: Partial<VippsSystemInfo>;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Per-request timeout. Default 10 000 ms. */
  timeoutMs?: number;
  cache?: AccessTokenCache;
  onRequest?: VippsRequestHook;
}

export interface AccessTokenProvider {
  /** A valid bearer token, from the cache when fresh enough. */
  getToken(): Promise<string>;
  /** Same, with the timing details. */
  getAccessToken(): Promise<AccessToken>;
  /**
   * Forgets the cached token. Pass the token the API rejected: if the cache already holds a newer
   * one (another caller refreshed meanwhile), it is kept.
   */
  invalidate(rejectedToken?: string): void;
}

/** Parses an `expires_*` string; undefined unless it is a positive whole number. */
function positiveSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value.trim());
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

export function createAccessTokenProvider(options: AccessTokenProviderOptions): AccessTokenProvider {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const { credentials } = options;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const cache = options.cache ?? defaultAccessTokenCache;
  const key = accessTokenCacheKey(baseUrl, credentials);
  const system = resolveSystemInfo(options.system);
  const secrets = [credentials.clientSecret, credentials.subscriptionKey];

  async function fetchToken(): Promise<AccessToken> {
    const url = `${baseUrl}/accesstoken/get`;
    const headers: Record<string, string> = {
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      "Ocp-Apim-Subscription-Key": credentials.subscriptionKey,
      ...systemHeaders(system),
    };
    if (credentials.msn) headers["Merchant-Serial-Number"] = credentials.msn;
    options.onRequest?.({ operation: "fetchAccessToken", attempt: 1, method: "POST", url, headers, body: undefined });

    const obtainedAtMs = clock.now();
    let response: Response;
    let rawBody: string;
    try {
      // No body: the credentials travel in headers only.
      response = await doFetch(url, { method: "POST", headers, signal: AbortSignal.timeout(timeoutMs) });
      rawBody = await response.text();
    } catch (cause) {
      throw new VippsAuthError({ cause, secrets });
    }
    const contentType = response.headers.get("content-type");
    if (!response.ok) {
      throw new VippsAuthError({ status: response.status, rawBody, contentType, secrets });
    }

    const shapeError = (reason: string, issues?: VippsResponseShapeError["issues"]) =>
      new VippsResponseShapeError({
        operation: "fetchAccessToken",
        status: response.status,
        reason,
        // A 200 body may contain the token itself; it is never kept on an error.
        rawBody: "[omitted]",
        contentType,
        issues,
      });
    if (contentType && !isJsonContentType(contentType)) throw shapeError(`content type ${contentType} is not JSON`);
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      throw shapeError("body is not valid JSON");
    }
    const parsed = AccessTokenResponseSchema.safeParse(json);
    if (!parsed.success) {
      throw shapeError(
        parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "),
        parsed.error.issues,
      );
    }

    // expires_in is relative, so it is immune to clock skew between us and Vipps; measured from when
    // the request was sent, it errs on the early side. expires_on (absolute) is the fallback.
    const expiresIn = positiveSeconds(parsed.data.expires_in);
    const expiresOn = positiveSeconds(parsed.data.expires_on);
    let lifetimeMs = 0;
    if (expiresIn !== undefined) lifetimeMs = expiresIn * 1000;
    else if (expiresOn !== undefined) lifetimeMs = Math.max(0, expiresOn * 1000 - obtainedAtMs);
    const expiresAtMs = obtainedAtMs + lifetimeMs;
    return {
      accessToken: parsed.data.access_token,
      obtainedAtMs,
      expiresAtMs,
      refreshAtMs: expiresAtMs - refreshMarginMs(lifetimeMs),
    };
  }

  async function getAccessToken(): Promise<AccessToken> {
    const entry = cache.entry(key);
    const cached = entry.token;
    if (cached && clock.now() < cached.refreshAtMs) return cached;

    let inflight = entry.inflight;
    if (!inflight) {
      const started = fetchToken().then((token) => {
        // A token without a usable lifetime is handed out once but never cached.
        if (token.expiresAtMs > token.obtainedAtMs) entry.token = token;
        return token;
      });
      const clear = () => {
        if (entry.inflight === started) entry.inflight = undefined;
      };
      started.then(clear, clear);
      entry.inflight = inflight = started;
    }
    try {
      return await inflight;
    } catch (error) {
      // In the refresh window the old token is still valid: keep using it while Vipps is unreachable.
      const current = entry.token;
      if (current && clock.now() < current.expiresAtMs - 5_000) return current;
      throw error;
    }
  }

  return {
    getAccessToken,
    async getToken() {
      return (await getAccessToken()).accessToken;
    },
    invalidate(rejectedToken?: string) {
      const entry = cache.entry(key);
      if (rejectedToken === undefined || entry.token?.accessToken === rejectedToken) entry.token = undefined;
    },
  };
}
