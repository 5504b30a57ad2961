/**
 * The simulator's own settings: its credentials (the demo ones too), its log and the parsing of its two variables. They
 * live here, not in the app's config, so the standalone simulator (server-env.ts) needs nothing of
 * the app; lib/config.ts imports them for the embedded one.
 */
import { z } from "zod";
import { DEFAULT_BRAND_SWITCH_AT } from "../vipps/brand";

/**
 * Demo credentials the embedded simulator accepts when no real ones are configured. They are
 * documented in the README so any Vipps client (the official SDK, curl) can talk to the simulator.
 */
export const SIMULATOR_DEMO_CREDENTIALS = {
  clientId: "8d3f0b2a-5c1e-4f6a-9b7d-2e4c6a8b0d1f",
  clientSecret: "kassa-simulator-secret",
  subscriptionKey: "kassa-simulator-subscription-key",
  msn: "123456",
} as const;

export interface SimulatorCredentials {
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
  msn: string;
}

export type SimulatorLog = (
  level: "debug" | "info" | "warn" | "error",
  message: string,
  fields?: Record<string, unknown>,
) => void;

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

/** The simulator's /_sim test controls (clock, forced outcomes, faults): a shop must not offer them. */
export const simulatorControlsSchema = z.preprocess(
  emptyAsUndefined,
  z
    .enum(["on", "off"], { error: 'must be "on" or "off"' })
    .default("off")
    .transform((value) => value === "on"),
);

/** KASSA_BRAND_SWITCH_AT: the instant MobilePay becomes Vipps (lib/vipps/brand.ts), in milliseconds. */
export const brandSwitchAtSchema = z.preprocess(
  emptyAsUndefined,
  z.iso
    .datetime({ offset: true, error: "must be a date and time with its offset, e.g. 2027-01-12T00:00:00+01:00" })
    .default(DEFAULT_BRAND_SWITCH_AT)
    .transform((value) => Date.parse(value)),
);
