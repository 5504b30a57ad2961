import { z } from "zod";
import { brandSwitchAtSchema, SIMULATOR_DEMO_CREDENTIALS, simulatorControlsSchema } from "@/lib/simulator/settings";
import { MsnSchema } from "@/lib/vipps/schemas";

// Re-exported: tests and scripts take the demo credentials from the app's config.
export { SIMULATOR_DEMO_CREDENTIALS };

export const VIPPS_BASE_URLS = {
  test: "https://apitest.vipps.no",
  production: "https://api.vipps.no",
} as const;

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

/**
 * How many proxies in front of the app rewrite X-Forwarded-For: "off" (the default: the header is
 * ignored, the connection's address counts), "on" (one, e.g. the Caddy of deploy/), or a number.
 */
const trustProxySchema = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .default("off")
    .transform((value, ctx) => {
      if (value === "off" || value === "0") return 0;
      if (value === "on") return 1;
      if (/^[1-9]$/.test(value)) return Number(value);
      ctx.addIssue({ code: "custom", message: 'must be "off", "on" or a number of proxies from 1 to 9' });
      return z.NEVER;
    }),
);

const envSchema = z.object({
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).default(3000)),
  PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  KASSA_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./data")),
  VIPPS_ENV: z.preprocess(emptyAsUndefined, z.enum(["simulator", "test", "production"]).default("simulator")),
  VIPPS_CLIENT_ID: optionalString,
  VIPPS_CLIENT_SECRET: optionalString,
  VIPPS_SUBSCRIPTION_KEY: optionalString,
  VIPPS_MSN: z.preprocess(emptyAsUndefined, MsnSchema.optional()),
  VIPPS_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  KASSA_API_KEY: z.preprocess(emptyAsUndefined, z.string().min(16, "must be at least 16 characters").optional()),
  KASSA_ADMIN_PASSWORD: z.preprocess(emptyAsUndefined, z.string().min(8, "must be at least 8 characters").optional()),
  KASSA_SHOP_NAME: optionalString,
  KASSA_SECRETS_KEY: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, "must be at least 32 characters (e.g. openssl rand -base64 32)").optional(),
  ),
  KASSA_LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(["debug", "info", "warn", "error"]).default("info")),
  KASSA_SIMULATOR_CONTROLS: simulatorControlsSchema,
  KASSA_QR_SOURCE: z.preprocess(
    emptyAsUndefined,
    z.enum(["app", "vipps"], { error: 'must be "app" or "vipps"' }).default("app"),
  ),
  KASSA_TRUST_PROXY: trustProxySchema,
  KASSA_WEBHOOK_ALLOW_PRIVATE: simulatorControlsSchema,
  KASSA_BRAND_SWITCH_AT: brandSwitchAtSchema,
  KASSA_DISPLAY_STREAMS_PER_LINK: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(100).default(5)),
  KASSA_SETTLEMENT_IMPORT: z.preprocess(
    emptyAsUndefined,
    z.enum(["on", "off"], { error: 'must be "on" or "off"' }).optional(),
  ),
  KASSA_SETTLEMENT_POLL_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(86_400).default(60)),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" }).optional(),
  ),
});

export type VippsEnvironment = "simulator" | "test" | "production";

export interface AppConfig {
  port: number;
  /** Origin that a customer's phone and Vipps' webhooks reach, without a trailing slash. */
  publicUrl: string;
  /** Origin the server uses to call itself (the embedded simulator) over loopback. */
  internalUrl: string;
  dataDir: string;
  vippsEnv: VippsEnvironment;
  vipps: {
    baseUrl: string;
    clientId: string;
    clientSecret: string;
    subscriptionKey: string;
    msn: string;
  };
  apiKeyOverride?: string;
  adminPasswordOverride?: string;
  shopNameOverride?: string;
  /** KASSA_SECRETS_KEY: seals the stores' own Vipps secrets in the database (lib/stores/secret-box.ts). */
  secretsKey?: string;
  logLevel: "debug" | "info" | "warn" | "error";
  /** KASSA_SIMULATOR_CONTROLS=on: the embedded simulator answers its /_sim test controls. */
  simulatorControls: boolean;
  /** KASSA_QR_SOURCE: "app" draws the QR from Vipps' link; "vipps" shows Vipps' own image. */
  qrSource: "app" | "vipps";
  /** KASSA_TRUST_PROXY: proxies in front of the app whose X-Forwarded-For counts (0 = none). */
  trustedProxyHops: number;
  /** KASSA_DISPLAY_STREAMS_PER_LINK: open display streams per display link or paired device; past it the oldest ends. */
  displayStreamsPerLink: number;
  /** KASSA_BRAND_SWITCH_AT: from this instant (server clock) MobilePay is called Vipps everywhere (lib/vipps/brand.ts). */
  brandSwitchAtMs: number;
  /** DATABASE_URL: PostgreSQL, shared by several app instances; without it, SQLite in dataDir. */
  databaseUrl?: string;
  /** KASSA_WEBHOOK_ALLOW_PRIVATE=on: the POS's webhook endpoints may be plain http and private addresses. */
  webhookAllowPrivate: boolean;
  /**
   * KASSA_SETTLEMENT_IMPORT: read the Report API's ledger. On by default, except with VIPPS_ENV=test:
   * Vipps' test environment has no Report API.
   */
  settlementImport: boolean;
  /** KASSA_SETTLEMENT_POLL_SECONDS: how often the ledger is read (default 60). */
  settlementPollMs: number;
}

const CONFIG_ERROR_BRAND = Symbol.for("kassa-display.config-error");

export class ConfigError extends Error {
  readonly [CONFIG_ERROR_BRAND] = true;

  constructor(readonly issues: { variable: string; reason: string }[]) {
    super(`Invalid configuration: ${issues.map((issue) => `${issue.variable} ${issue.reason}`).join("; ")}`);
    this.name = "ConfigError";
  }
}

/** Recognised by its brand, not `instanceof`: Next may load this module once per bundle. */
export function isConfigError(error: unknown): error is ConfigError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { [CONFIG_ERROR_BRAND]?: unknown })[CONFIG_ERROR_BRAND] === true
  );
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? "?"), reason: issue.message })),
    );
  }
  const vars = parsed.data;
  const publicUrl = (vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`).replace(/\/+$/, "");
  const internalUrl = `http://127.0.0.1:${vars.PORT}`;

  let vipps: AppConfig["vipps"];
  if (vars.VIPPS_ENV === "simulator") {
    vipps = {
      baseUrl: (vars.VIPPS_BASE_URL ?? `${internalUrl}/sim`).replace(/\/+$/, ""),
      clientId: vars.VIPPS_CLIENT_ID ?? SIMULATOR_DEMO_CREDENTIALS.clientId,
      clientSecret: vars.VIPPS_CLIENT_SECRET ?? SIMULATOR_DEMO_CREDENTIALS.clientSecret,
      subscriptionKey: vars.VIPPS_SUBSCRIPTION_KEY ?? SIMULATOR_DEMO_CREDENTIALS.subscriptionKey,
      msn: vars.VIPPS_MSN ?? SIMULATOR_DEMO_CREDENTIALS.msn,
    };
  } else {
    const missing = (["VIPPS_CLIENT_ID", "VIPPS_CLIENT_SECRET", "VIPPS_SUBSCRIPTION_KEY", "VIPPS_MSN"] as const).filter(
      (name) => !vars[name],
    );
    if (missing.length > 0) {
      throw new ConfigError(
        missing.map((variable) => ({ variable, reason: `is required when VIPPS_ENV=${vars.VIPPS_ENV}` })),
      );
    }
    vipps = {
      baseUrl: (vars.VIPPS_BASE_URL ?? VIPPS_BASE_URLS[vars.VIPPS_ENV]).replace(/\/+$/, ""),
      clientId: vars.VIPPS_CLIENT_ID!,
      clientSecret: vars.VIPPS_CLIENT_SECRET!,
      subscriptionKey: vars.VIPPS_SUBSCRIPTION_KEY!,
      msn: vars.VIPPS_MSN!,
    };
  }

  return {
    port: vars.PORT,
    publicUrl,
    internalUrl,
    dataDir: vars.KASSA_DATA_DIR,
    vippsEnv: vars.VIPPS_ENV,
    vipps,
    apiKeyOverride: vars.KASSA_API_KEY,
    adminPasswordOverride: vars.KASSA_ADMIN_PASSWORD,
    shopNameOverride: vars.KASSA_SHOP_NAME,
    secretsKey: vars.KASSA_SECRETS_KEY,
    logLevel: vars.KASSA_LOG_LEVEL,
    simulatorControls: vars.KASSA_SIMULATOR_CONTROLS,
    trustedProxyHops: vars.KASSA_TRUST_PROXY,
    qrSource: vars.KASSA_QR_SOURCE,
    webhookAllowPrivate: vars.KASSA_WEBHOOK_ALLOW_PRIVATE,
    databaseUrl: vars.DATABASE_URL,
    brandSwitchAtMs: vars.KASSA_BRAND_SWITCH_AT,
    displayStreamsPerLink: vars.KASSA_DISPLAY_STREAMS_PER_LINK,
    settlementImport: (vars.KASSA_SETTLEMENT_IMPORT ?? (vars.VIPPS_ENV === "test" ? "off" : "on")) === "on",
    settlementPollMs: vars.KASSA_SETTLEMENT_POLL_SECONDS * 1000,
  };
}
