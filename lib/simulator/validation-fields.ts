/**
 * The field-level checks the ePayment request validators are built from: amounts, strings,
 * integers, enums and URLs, each adding `{ name, reason }` issues with `name` the JSON path.
 */
import type { ExtraDetail } from "./http";
import { isPlainObject } from "./http";

export const CURRENCIES = ["NOK", "DKK", "EUR"] as const;
export type Currency = (typeof CURRENCIES)[number];
export const MIN_PAYMENT_AMOUNT: Record<Currency, number> = { NOK: 100, DKK: 1, EUR: 1 };
export const MAX_AMOUNT = 65_000_000;

/**
 * A reference: 8–64 since ePayment 1.7; the 1.4.1 spec file still says 50
 * (../shared/research/VIPPS-FACTS.md; vippsas/agent-toolkit
 * plugins/vipps-developer/skills/epayment/SKILL.md). This and the MSN pattern are the simulator's
 * own, kept apart from lib/vipps/facts.ts on purpose: the simulator is the client's test oracle, so
 * one wrong constant must not make both agree. Within the simulator, each is written once.
 */
export const REFERENCE_PATTERN = /^[a-zA-Z0-9-]{8,64}$/;
export const MSN_PATTERN = /^[0-9]{4,6}$/;

export interface Amount {
  value: number;
  currency: Currency;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ExtraDetail[] };

export class Issues {
  readonly list: ExtraDetail[] = [];
  add(name: string, reason: string): void {
    this.list.push({ name, reason });
  }
}

export const isInteger = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value);
export const isString = (value: unknown): value is string => typeof value === "string";

export function checkEnum<T extends string>(
  issues: Issues,
  name: string,
  value: unknown,
  allowed: readonly T[],
  required: boolean,
): value is T {
  if (value === undefined || value === null) {
    if (required) issues.add(name, `The ${name} field is required.`);
    return false;
  }
  if (!isString(value) || !(allowed as readonly string[]).includes(value)) {
    issues.add(name, `Invalid value. Allowed values: ${allowed.join(", ")}.`);
    return false;
  }
  return true;
}

/**
 * Checks an Amount object. `minimumFor` applies the per-currency minimum of a new payment;
 * modifications must instead be at least 1 minor unit (a zero-value capture or refund makes no sense).
 */
export function checkAmount(
  issues: Issues,
  name: string,
  raw: unknown,
  mode: "payment" | "modification",
): Amount | undefined {
  if (raw === undefined || raw === null) {
    issues.add(name, `The ${name} field is required.`);
    return undefined;
  }
  if (!isPlainObject(raw)) {
    issues.add(name, "Amount must be an object with value and currency.");
    return undefined;
  }
  const currencyOk = checkEnum(issues, `${name}.currency`, raw.currency, CURRENCIES, true);
  const value = raw.value;
  let valueOk = false;
  if (value === undefined || value === null) {
    issues.add(`${name}.value`, `The ${name}.value field is required.`);
  } else if (typeof value !== "number" || !Number.isFinite(value)) {
    issues.add(`${name}.value`, "Amount invalid: value must be an integer number of minor units.");
  } else if (!Number.isInteger(value)) {
    issues.add(`${name}.value`, "Amount invalid: decimals are not allowed; use minor units (10.00 NOK is 1000).");
  } else if (value < 0 || value > MAX_AMOUNT) {
    issues.add(`${name}.value`, `Amount invalid: value must be between 0 and ${MAX_AMOUNT}.`);
  } else {
    valueOk = true;
  }
  if (!currencyOk || !valueOk) return undefined;
  const amount = { value: value as number, currency: raw.currency as Currency };
  if (mode === "payment" && amount.value < MIN_PAYMENT_AMOUNT[amount.currency]) {
    issues.add(
      `${name}.value`,
      `Amount too small: the minimum for ${amount.currency} is ${MIN_PAYMENT_AMOUNT[amount.currency]} minor units.`,
    );
    return undefined;
  }
  if (mode === "modification" && amount.value < 1) {
    issues.add(`${name}.value`, "Amount invalid: the modification amount must be greater than 0.");
    return undefined;
  }
  return amount;
}

/** https:// or a custom app scheme; plain http:// (and script/data/file schemes) give "Invalid URL". */
export function isAllowedMerchantUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (scheme === "https") return url.hostname.length > 0;
  if (["http", "javascript", "data", "file", "ftp", "blob", "about", "ws", "wss"].includes(scheme)) return false;
  return /^[a-z][a-z0-9+.-]*$/.test(scheme);
}

export function checkString(
  issues: Issues,
  name: string,
  value: unknown,
  opts: { required?: boolean; min?: number; max?: number; pattern?: RegExp; nullable?: boolean },
): value is string {
  if (value === undefined || (value === null && opts.nullable)) {
    if (opts.required) issues.add(name, `The ${name} field is required.`);
    return false;
  }
  if (!isString(value)) {
    issues.add(name, `The ${name} field must be a string.`);
    return false;
  }
  if (opts.min !== undefined && value.length < opts.min) {
    issues.add(name, `The ${name} field must be at least ${opts.min} characters long.`);
    return false;
  }
  if (opts.max !== undefined && value.length > opts.max) {
    issues.add(name, `The ${name} field must be at most ${opts.max} characters long.`);
    return false;
  }
  if (opts.pattern && !opts.pattern.test(value)) {
    issues.add(name, `The ${name} field must match the pattern ${opts.pattern.source}.`);
    return false;
  }
  return true;
}

export function checkInteger(
  issues: Issues,
  name: string,
  value: unknown,
  opts: { required?: boolean; min?: number; max?: number; nullable?: boolean },
): boolean {
  if (value === undefined || (value === null && opts.nullable)) {
    if (opts.required) issues.add(name, `The ${name} field is required.`);
    return !opts.required;
  }
  if (!isInteger(value)) {
    issues.add(name, `The ${name} field must be an integer.`);
    return false;
  }
  if ((opts.min !== undefined && value < opts.min) || (opts.max !== undefined && value > opts.max)) {
    issues.add(name, `The ${name} field must be between ${opts.min ?? "-∞"} and ${opts.max ?? "∞"}.`);
    return false;
  }
  return true;
}

export function checkBoolean(issues: Issues, name: string, value: unknown): void {
  if (value !== undefined && value !== null && typeof value !== "boolean")
    issues.add(name, `The ${name} field must be a boolean.`);
}
