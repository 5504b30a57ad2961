/**
 * Environment of the standalone simulator (server.ts). The same variable names as the app, with
 * defaults for a simulator of its own: port 4010, loopback only, the demo credentials.
 */
import { isIP } from "node:net";
import { z } from "zod";
import { brandSwitchAtSchema, SIMULATOR_DEMO_CREDENTIALS, simulatorControlsSchema } from "./settings";
import type { SimulatorCredentials } from "./settings";
import { MSN_PATTERN } from "./validation-fields";

const blank = (value: unknown) => (value === "" ? undefined : value);

const envSchema = z.object({
  PORT: z.preprocess(
    blank,
    z.coerce
      .number({ error: "must be a port number from 1 to 65535" })
      .int({ error: "must be a port number from 1 to 65535" })
      .min(1, { error: "must be a port number from 1 to 65535" })
      .max(65535, { error: "must be a port number from 1 to 65535" })
      .default(4010),
  ),
  PUBLIC_URL: z.preprocess(
    blank,
    z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
  ),
  KASSA_DATA_DIR: z.preprocess(blank, z.string().default("./data")),
  KASSA_BIND_ADDRESS: z.preprocess(
    blank,
    z
      .string()
      .refine((value) => value === "localhost" || isIP(value) !== 0, { error: "must be an IP address or localhost" })
      .default("127.0.0.1"),
  ),
  VIPPS_CLIENT_ID: z.preprocess(blank, z.string().default(SIMULATOR_DEMO_CREDENTIALS.clientId)),
  VIPPS_CLIENT_SECRET: z.preprocess(blank, z.string().default(SIMULATOR_DEMO_CREDENTIALS.clientSecret)),
  VIPPS_SUBSCRIPTION_KEY: z.preprocess(blank, z.string().default(SIMULATOR_DEMO_CREDENTIALS.subscriptionKey)),
  VIPPS_MSN: z.preprocess(
    blank,
    z.string().regex(MSN_PATTERN, { error: "must be 4 to 6 digits" }).default(SIMULATOR_DEMO_CREDENTIALS.msn),
  ),
  KASSA_SIMULATOR_CONTROLS: simulatorControlsSchema,
  KASSA_BRAND_SWITCH_AT: brandSwitchAtSchema,
});

export interface SimulatorServerConfig {
  port: number;
  host: string;
  /** Without a trailing slash. */
  publicUrl: string;
  dataDir: string;
  credentials: SimulatorCredentials;
  controls: boolean;
  /** KASSA_BRAND_SWITCH_AT, as the app reads it. */
  brandSwitchAtMs: number;
}

export type ServerEnvResult = { ok: true; config: SimulatorServerConfig } | { ok: false; message: string };

/** A bad variable gives one line that names it; secrets are never echoed back. */
export function loadServerEnv(env: Record<string, string | undefined>): ServerEnvResult {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${String(issue.path[0] ?? "?")} ${issue.message}`);
    return { ok: false, message: `Invalid simulator configuration: ${problems.join("; ")}` };
  }
  const vars = parsed.data;
  return {
    ok: true,
    config: {
      port: vars.PORT,
      host: vars.KASSA_BIND_ADDRESS,
      publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`).replace(/\/+$/, ""),
      dataDir: vars.KASSA_DATA_DIR,
      credentials: {
        clientId: vars.VIPPS_CLIENT_ID,
        clientSecret: vars.VIPPS_CLIENT_SECRET,
        subscriptionKey: vars.VIPPS_SUBSCRIPTION_KEY,
        msn: vars.VIPPS_MSN,
      },
      controls: vars.KASSA_SIMULATOR_CONTROLS,
      brandSwitchAtMs: vars.KASSA_BRAND_SWITCH_AT,
    },
  };
}
