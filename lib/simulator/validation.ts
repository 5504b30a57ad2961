/**
 * Validation of ePayment request bodies, following the ePayment 1.4.1 spec plus the newer rules in
 * ../shared/vipps/EPAYMENT-API.md (per-currency minimums, 60-day expiresAt, cancelTransactionOnly,
 * taxRate, extraDetails). Every problem found is reported at once as `extraDetails: [{ name, reason }]`,
 * with `name` the JSON path of the offending field.
 */
import { isPlainObject } from "./http";
import {
  type Amount,
  Issues,
  REFERENCE_PATTERN,
  type ValidationResult,
  checkAmount,
  checkEnum,
  checkInteger,
  checkString,
  isAllowedMerchantUrl,
  isInteger,
  isString,
} from "./validation-fields";
import { checkReceipt, type Receipt } from "./validation-receipt";

export type { OrderLine, PaymentSources, Receipt } from "./validation-receipt";

export const USER_FLOWS = ["PUSH_MESSAGE", "NATIVE_REDIRECT", "WEB_REDIRECT", "QR"] as const;
export type UserFlow = (typeof USER_FLOWS)[number];
export const QR_FORMATS = ["TEXT/TARGETURL", "IMAGE/SVG+XML", "IMAGE/PNG"] as const;
export type QrFormat = (typeof QR_FORMATS)[number];
const PAYMENT_METHOD_TYPES = ["WALLET", "CARD"] as const;
const CUSTOMER_INTERACTIONS = ["CUSTOMER_PRESENT", "CUSTOMER_NOT_PRESENT"] as const;
const PROFILE_SCOPES = ["name", "address", "email", "phoneNumber", "birthDate", "nin"];

const PHONE_PATTERN = /^\d{10,15}$/;
// The RFC 3339 pattern from the spec's CreatePaymentRequest.expiresAt.
const RFC3339_PATTERN =
  /^((?:(\d{4}-\d{2}-\d{2})(T|t)(\d{2}:\d{2}:\d{2}(?:\.\d+)?))(Z|z|([+-](?:2[0-3]|[01][0-9]):[0-5][0-9])))$/;

export const DEFAULT_PAYMENT_TTL_MS = 10 * 60 * 1000;
const EXPIRES_AT_MIN_MS = 10 * 60 * 1000;
const EXPIRES_AT_MAX_MS = 60 * 24 * 60 * 60 * 1000;

export interface CreatePaymentInput {
  amount: Amount;
  paymentMethod: { type: "WALLET" | "CARD" };
  reference: string;
  userFlow: UserFlow;
  customer?: Record<string, string>;
  customerInteraction: string;
  returnUrl?: string;
  paymentDescription?: string;
  /** Epoch ms when the payment expires if nobody acts on it. */
  expiresAtMs: number;
  qrFormat: { format: QrFormat; size: number };
  receipt?: Receipt;
  receiptUrl?: string | null;
  metadata?: Record<string, string> | null;
  profileScope?: string;
  minimumUserAge?: number | null;
}

export function checkCustomer(issues: Issues, name: string, raw: unknown): Record<string, string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) {
    issues.add(name, "Customer must be an object.");
    return undefined;
  }
  const variants = (["phoneNumber", "personalQr", "customerToken"] as const).filter(
    (key) => raw[key] !== undefined && raw[key] !== null,
  );
  if (variants.length !== 1) {
    issues.add(
      name,
      variants.length === 0
        ? "Customer must have exactly one of phoneNumber, personalQr or customerToken."
        : `Specify only one customer identifier; got ${variants.join(" and ")}.`,
    );
    return undefined;
  }
  const key = variants[0]!;
  const value = raw[key];
  const ok =
    key === "phoneNumber"
      ? checkString(issues, `${name}.phoneNumber`, value, { pattern: PHONE_PATTERN, min: 10, max: 15 })
      : key === "personalQr"
        ? checkString(issues, `${name}.personalQr`, value, { min: 5, max: 255 })
        : checkString(issues, `${name}.customerToken`, value, { min: 1 });
  return ok ? { [key]: value as string } : undefined;
}

function checkMetadata(issues: Issues, raw: unknown): Record<string, string> | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === null) return null;
  if (!isPlainObject(raw)) {
    issues.add("metadata", "Metadata must be an object with string values.");
    return undefined;
  }
  const entries = Object.entries(raw);
  let ok = true;
  if (entries.length > 5) {
    issues.add("metadata", "Metadata can have at most 5 key-value pairs.");
    ok = false;
  }
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > 100) {
      issues.add(`metadata.${key}`, "Metadata keys must be 1 to 100 characters long.");
      ok = false;
    }
    if (!isString(value)) {
      issues.add(`metadata.${key}`, "Metadata values must be strings.");
      ok = false;
    } else if (value.length > 500) {
      issues.add(`metadata.${key}`, "Metadata values can be at most 500 characters long.");
      ok = false;
    }
  }
  return ok ? (raw as Record<string, string>) : undefined;
}

export function validateCreatePayment(raw: unknown, nowMs: number): ValidationResult<CreatePaymentInput> {
  const issues = new Issues();
  if (!isPlainObject(raw)) {
    issues.add("body", "The request body must be a CreatePaymentRequest object.");
    return { ok: false, issues: issues.list };
  }

  const amount = checkAmount(issues, "amount", raw.amount, "payment");
  const userFlowOk = checkEnum(issues, "userFlow", raw.userFlow, USER_FLOWS, true);
  const userFlow = userFlowOk ? (raw.userFlow as UserFlow) : undefined;
  checkString(issues, "reference", raw.reference, { required: true, pattern: REFERENCE_PATTERN });

  let paymentMethodType: "WALLET" | "CARD" | undefined;
  if (raw.paymentMethod === undefined || raw.paymentMethod === null) {
    issues.add("paymentMethod", "The paymentMethod field is required.");
  } else if (!isPlainObject(raw.paymentMethod)) {
    issues.add("paymentMethod", "paymentMethod must be an object with a type.");
  } else if (checkEnum(issues, "paymentMethod.type", raw.paymentMethod.type, PAYMENT_METHOD_TYPES, true)) {
    paymentMethodType = raw.paymentMethod.type as "WALLET" | "CARD";
  }
  if (paymentMethodType === "CARD" && userFlow && userFlow !== "WEB_REDIRECT") {
    issues.add("paymentMethod.type", "CARD can only be used with userFlow WEB_REDIRECT.");
  }

  const customer = checkCustomer(issues, "customer", raw.customer);
  if (userFlow === "PUSH_MESSAGE" && (raw.customer === undefined || raw.customer === null)) {
    issues.add("customer", "customer is required when userFlow is PUSH_MESSAGE.");
  }
  if (raw.customerInteraction !== undefined && raw.customerInteraction !== null) {
    checkEnum(issues, "customerInteraction", raw.customerInteraction, CUSTOMER_INTERACTIONS, false);
  }

  if (raw.returnUrl === undefined || raw.returnUrl === null) {
    if (userFlow === "WEB_REDIRECT") issues.add("returnUrl", "returnUrl is required when userFlow is WEB_REDIRECT.");
  } else if (!isString(raw.returnUrl) || !isAllowedMerchantUrl(raw.returnUrl)) {
    issues.add("returnUrl", "Invalid URL: returnUrl must use https:// or a custom app scheme.");
  }
  if (
    raw.receiptUrl !== undefined &&
    raw.receiptUrl !== null &&
    (!isString(raw.receiptUrl) || !isAllowedMerchantUrl(raw.receiptUrl))
  ) {
    issues.add("receiptUrl", "Invalid URL: receiptUrl must use https:// or a custom app scheme.");
  }

  checkString(issues, "paymentDescription", raw.paymentDescription, { min: 3, max: 100 });

  let qrFormat: CreatePaymentInput["qrFormat"] = { format: "IMAGE/SVG+XML", size: 1024 };
  if (raw.qrFormat !== undefined && raw.qrFormat !== null) {
    if (!isPlainObject(raw.qrFormat)) {
      issues.add("qrFormat", "qrFormat must be an object with a format.");
    } else {
      const formatOk = checkEnum(issues, "qrFormat.format", raw.qrFormat.format, QR_FORMATS, true);
      const sizeOk = checkInteger(issues, "qrFormat.size", raw.qrFormat.size, { min: 100, max: 2000, nullable: true });
      if (formatOk && sizeOk) {
        qrFormat = {
          format: raw.qrFormat.format as QrFormat,
          size: isInteger(raw.qrFormat.size) ? raw.qrFormat.size : 1024,
        };
      }
    }
  }

  let receipt: Receipt | undefined;
  if (raw.receipt !== undefined && raw.receipt !== null) receipt = checkReceipt(issues, raw.receipt);

  let expiresAtMs = nowMs + DEFAULT_PAYMENT_TTL_MS;
  if (raw.expiresAt !== undefined && raw.expiresAt !== null) {
    if (!isString(raw.expiresAt) || !RFC3339_PATTERN.test(raw.expiresAt) || Number.isNaN(Date.parse(raw.expiresAt))) {
      issues.add("expiresAt", "expiresAt must be an RFC 3339 date-time, e.g. 2023-02-26T17:32:28Z.");
    } else {
      const at = Date.parse(raw.expiresAt);
      if (userFlow && userFlow !== "PUSH_MESSAGE" && userFlow !== "QR") {
        issues.add("expiresAt", "expiresAt is only allowed with userFlow PUSH_MESSAGE or QR.");
      }
      if (raw.receipt === undefined || raw.receipt === null)
        issues.add("receipt", "receipt is required when expiresAt is set.");
      if (at <= nowMs + EXPIRES_AT_MIN_MS)
        issues.add("expiresAt", "expiresAt must be more than 10 minutes in the future.");
      else if (at >= nowMs + EXPIRES_AT_MAX_MS)
        issues.add("expiresAt", "expiresAt must be less than 60 days in the future.");
      expiresAtMs = at;
    }
  }

  const metadata = checkMetadata(issues, raw.metadata);

  let profileScope: string | undefined;
  if (raw.profile !== undefined && raw.profile !== null) {
    if (!isPlainObject(raw.profile)) issues.add("profile", "profile must be an object.");
    else if (raw.profile.scope !== undefined && raw.profile.scope !== null) {
      if (!isString(raw.profile.scope)) issues.add("profile.scope", "profile.scope must be a space-separated string.");
      else {
        const unknown = raw.profile.scope.split(" ").filter((scope) => scope !== "" && !PROFILE_SCOPES.includes(scope));
        if (unknown.length > 0)
          issues.add("profile.scope", `Unknown scope: ${unknown.join(", ")}. Allowed: ${PROFILE_SCOPES.join(", ")}.`);
        else if (raw.profile.scope.trim() !== "") profileScope = raw.profile.scope.trim();
      }
    }
  }
  checkInteger(issues, "minimumUserAge", raw.minimumUserAge, { min: 0, max: 150, nullable: true });
  if (raw.industryData !== undefined && raw.industryData !== null) {
    if (!isPlainObject(raw.industryData)) issues.add("industryData", "industryData must be an object.");
    else if (raw.industryData.airlineData !== undefined && raw.industryData.airlineData !== null) {
      const airline = raw.industryData.airlineData;
      if (!isPlainObject(airline)) issues.add("industryData.airlineData", "airlineData must be an object.");
      else {
        checkString(issues, "industryData.airlineData.agencyInvoiceNumber", airline.agencyInvoiceNumber, {
          required: true,
          min: 1,
          max: 6,
        });
        checkString(issues, "industryData.airlineData.airlineCode", airline.airlineCode, {
          required: true,
          min: 3,
          max: 3,
        });
        checkString(issues, "industryData.airlineData.airlineDesignatorCode", airline.airlineDesignatorCode, {
          required: true,
          min: 2,
          max: 2,
        });
        checkString(issues, "industryData.airlineData.passengerName", airline.passengerName, {
          required: true,
          min: 1,
          max: 49,
        });
        checkString(issues, "industryData.airlineData.ticketNumber", airline.ticketNumber, { min: 1, max: 150 });
      }
    }
  }

  if (issues.list.length > 0 || !amount || !userFlow || !paymentMethodType) return { ok: false, issues: issues.list };
  return {
    ok: true,
    value: {
      amount,
      paymentMethod: { type: paymentMethodType },
      reference: raw.reference as string,
      userFlow,
      customer,
      customerInteraction: (raw.customerInteraction as string | undefined) ?? "CUSTOMER_NOT_PRESENT",
      returnUrl: raw.returnUrl as string | undefined,
      paymentDescription: raw.paymentDescription as string | undefined,
      expiresAtMs,
      qrFormat,
      receipt,
      receiptUrl: raw.receiptUrl as string | null | undefined,
      metadata,
      profileScope,
      minimumUserAge: raw.minimumUserAge as number | null | undefined,
    },
  };
}

/** Capture and refund bodies: `{ modificationAmount: Amount }`. */
export function validateModification(raw: unknown, present: boolean): ValidationResult<Amount> {
  const issues = new Issues();
  if (!present) {
    issues.add("modificationAmount", "The modificationAmount field is required.");
    return { ok: false, issues: issues.list };
  }
  if (!isPlainObject(raw)) {
    issues.add("body", "The request body must be an object with modificationAmount.");
    return { ok: false, issues: issues.list };
  }
  const amount = checkAmount(issues, "modificationAmount", raw.modificationAmount, "modification");
  return amount && issues.list.length === 0 ? { ok: true, value: amount } : { ok: false, issues: issues.list };
}

/** The optional cancel body of newer API versions: `{ cancelTransactionOnly?: boolean }`. */
export function validateCancel(raw: unknown, present: boolean): ValidationResult<{ cancelTransactionOnly: boolean }> {
  if (!present) return { ok: true, value: { cancelTransactionOnly: false } };
  const issues = new Issues();
  if (!isPlainObject(raw)) {
    issues.add("body", "The request body must be an object.");
    return { ok: false, issues: issues.list };
  }
  if (
    raw.cancelTransactionOnly !== undefined &&
    raw.cancelTransactionOnly !== null &&
    typeof raw.cancelTransactionOnly !== "boolean"
  ) {
    issues.add("cancelTransactionOnly", "cancelTransactionOnly must be a boolean.");
    return { ok: false, issues: issues.list };
  }
  return { ok: true, value: { cancelTransactionOnly: raw.cancelTransactionOnly === true } };
}

/** The optional force-approve body: `{ customer?: Customer, token?: string }`. */
export function validateForceApprove(raw: unknown, present: boolean): ValidationResult<{ token?: string }> {
  if (!present) return { ok: true, value: {} };
  const issues = new Issues();
  if (!isPlainObject(raw)) {
    issues.add("body", "The request body must be a ForceApprove object.");
    return { ok: false, issues: issues.list };
  }
  checkCustomer(issues, "customer", raw.customer);
  if (raw.token !== undefined && raw.token !== null && !isString(raw.token))
    issues.add("token", "token must be a string.");
  return issues.list.length > 0
    ? { ok: false, issues: issues.list }
    : { ok: true, value: { token: raw.token as string | undefined } };
}
