/**
 * Validation of ePayment request bodies, following the ePayment 1.4.1 spec plus the newer rules in
 * ../shared/vipps/EPAYMENT-API.md (per-currency minimums, 60-day expiresAt, cancelTransactionOnly,
 * taxRate, extraDetails). Every problem found is reported at once as `extraDetails: [{ name, reason }]`,
 * with `name` the JSON path of the offending field.
 */
import { isPlainObject } from "./http";
import {
  type Amount,
  CURRENCIES,
  type Currency,
  Issues,
  REFERENCE_PATTERN,
  type ValidationResult,
  checkAmount,
  checkBoolean,
  checkEnum,
  checkInteger,
  checkString,
  isAllowedMerchantUrl,
  isInteger,
  isString,
} from "./validation-fields";

export const USER_FLOWS = ["PUSH_MESSAGE", "NATIVE_REDIRECT", "WEB_REDIRECT", "QR"] as const;
export type UserFlow = (typeof USER_FLOWS)[number];
export const QR_FORMATS = ["TEXT/TARGETURL", "IMAGE/SVG+XML", "IMAGE/PNG"] as const;
export type QrFormat = (typeof QR_FORMATS)[number];
const PAYMENT_METHOD_TYPES = ["WALLET", "CARD"] as const;
const CUSTOMER_INTERACTIONS = ["CUSTOMER_PRESENT", "CUSTOMER_NOT_PRESENT"] as const;
const PROFILE_SCOPES = ["name", "address", "email", "phoneNumber", "birthDate", "nin"];
const QUANTITY_UNITS = ["PCS", "KG", "KM", "MINUTE", "LITRE", "KWH"];
const BARCODE_FORMATS = ["EAN-13", "CODE 39", "CODE 128"];

const PHONE_PATTERN = /^\d{10,15}$/;
const QUANTITY_PATTERN = /^\d+([.]\d{1,8})?$/;
// The RFC 3339 pattern from the spec's CreatePaymentRequest.expiresAt.
const RFC3339_PATTERN =
  /^((?:(\d{4}-\d{2}-\d{2})(T|t)(\d{2}:\d{2}:\d{2}(?:\.\d+)?))(Z|z|([+-](?:2[0-3]|[01][0-9]):[0-5][0-9])))$/;

export const DEFAULT_PAYMENT_TTL_MS = 10 * 60 * 1000;
const EXPIRES_AT_MIN_MS = 10 * 60 * 1000;
const EXPIRES_AT_MAX_MS = 60 * 24 * 60 * 60 * 1000;

export interface OrderLine {
  name: string;
  id: string;
  totalAmount: number;
  totalAmountExcludingTax: number;
  totalTaxAmount: number;
  taxPercentage?: number;
  taxRate?: number;
  unitInfo?: { unitPrice: number | null; quantity: string; quantityUnit?: string | null };
  discount?: number | null;
  productUrl?: string | null;
  isReturn?: boolean | null;
  isShipping?: boolean | null;
}

export interface PaymentSources {
  giftCard?: number | null;
  card?: number | null;
  voucher?: number | null;
  cash?: number | null;
}

export interface Receipt {
  orderLines: OrderLine[];
  bottomLine: {
    currency: Currency;
    tipAmount?: number | null;
    posId?: string | null;
    receiptNumber?: string | null;
    paymentSources?: PaymentSources | null;
  } & Record<string, unknown>;
}

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

function checkReceipt(issues: Issues, raw: unknown): Receipt | undefined {
  if (!isPlainObject(raw)) {
    issues.add("receipt", "Receipt must be an object with orderLines and bottomLine.");
    return undefined;
  }
  const before = issues.list.length;
  if (!Array.isArray(raw.orderLines)) {
    issues.add("receipt.orderLines", "The receipt.orderLines field is required.");
  } else if (raw.orderLines.length < 1) {
    issues.add("receipt.orderLines", "The receipt must have at least one order line.");
  } else {
    raw.orderLines.forEach((line, index) => {
      const name = `receipt.orderLines[${index}]`;
      if (!isPlainObject(line)) {
        issues.add(name, "Order line must be an object.");
        return;
      }
      checkString(issues, `${name}.name`, line.name, { required: true, min: 1 });
      checkString(issues, `${name}.id`, line.id, { required: true, min: 1 });
      const totalOk = checkInteger(issues, `${name}.totalAmount`, line.totalAmount, { required: true });
      const excludingOk = checkInteger(issues, `${name}.totalAmountExcludingTax`, line.totalAmountExcludingTax, {
        required: true,
      });
      const taxOk = checkInteger(issues, `${name}.totalTaxAmount`, line.totalTaxAmount, { required: true });
      // The three are "including tax", "excluding tax" and "the tax" (their descriptions in the receipt
      // schema), and the app shows totals computed from them, so a line that does not add up is refused.
      // That Vipps refuses it at create time is our reading, not a documented rule (EPAYMENT-API.md §2.2.2).
      if (
        totalOk &&
        excludingOk &&
        taxOk &&
        line.totalAmount !== (line.totalAmountExcludingTax as number) + (line.totalTaxAmount as number)
      ) {
        issues.add(
          `${name}.totalAmount`,
          `totalAmount (${line.totalAmount}) must equal totalAmountExcludingTax (${line.totalAmountExcludingTax}) + totalTaxAmount (${line.totalTaxAmount}).`,
        );
      }
      // taxRate (basis points, 0–10000) is today's field and taxPercentage (0–100) the deprecated one;
      // either must be set (the live spec in vippsas/deno-sdk src/generated_types/epayment/types.gen.ts).
      // Nothing says which wins when both are sent, so both are only range-checked.
      const hasTaxRate = line.taxRate !== undefined && line.taxRate !== null;
      const hasTaxPercentage = line.taxPercentage !== undefined && line.taxPercentage !== null;
      if (!hasTaxRate && !hasTaxPercentage)
        issues.add(`${name}.taxRate`, "Either taxRate or taxPercentage is required.");
      if (hasTaxRate) checkInteger(issues, `${name}.taxRate`, line.taxRate, { min: 0, max: 10_000 });
      if (hasTaxPercentage) checkInteger(issues, `${name}.taxPercentage`, line.taxPercentage, { min: 0, max: 100 });
      if (line.unitInfo !== undefined && line.unitInfo !== null) {
        if (!isPlainObject(line.unitInfo)) {
          issues.add(`${name}.unitInfo`, "unitInfo must be an object.");
        } else {
          checkInteger(issues, `${name}.unitInfo.unitPrice`, line.unitInfo.unitPrice, {
            required: true,
            min: 0,
            nullable: false,
          });
          checkString(issues, `${name}.unitInfo.quantity`, line.unitInfo.quantity, {
            required: true,
            max: 10,
            pattern: QUANTITY_PATTERN,
          });
          if (line.unitInfo.quantityUnit !== undefined && line.unitInfo.quantityUnit !== null) {
            checkEnum(issues, `${name}.unitInfo.quantityUnit`, line.unitInfo.quantityUnit, QUANTITY_UNITS, false);
          }
        }
      }
      checkInteger(issues, `${name}.discount`, line.discount, { min: 0, nullable: true });
      checkString(issues, `${name}.productUrl`, line.productUrl, { nullable: true });
      checkBoolean(issues, `${name}.isReturn`, line.isReturn);
      checkBoolean(issues, `${name}.isShipping`, line.isShipping);
    });
  }
  const bottomLine = raw.bottomLine;
  if (!isPlainObject(bottomLine)) {
    issues.add("receipt.bottomLine", "The receipt.bottomLine field is required.");
  } else {
    checkEnum(issues, "receipt.bottomLine.currency", bottomLine.currency, CURRENCIES, true);
    for (const field of ["tipAmount", "giftCardAmount", "totalTax", "totalDiscount", "shippingAmount"]) {
      checkInteger(issues, `receipt.bottomLine.${field}`, bottomLine[field], { min: 0, nullable: true });
    }
    checkInteger(issues, "receipt.bottomLine.totalAmount", bottomLine.totalAmount, { nullable: true });
    for (const field of ["posId", "receiptNumber", "terminalId"]) {
      checkString(issues, `receipt.bottomLine.${field}`, bottomLine[field], { nullable: true });
    }
    if (bottomLine.paymentSources !== undefined && bottomLine.paymentSources !== null) {
      if (!isPlainObject(bottomLine.paymentSources))
        issues.add("receipt.bottomLine.paymentSources", "paymentSources must be an object.");
      else
        for (const field of ["giftCard", "card", "voucher", "cash"]) {
          checkInteger(issues, `receipt.bottomLine.paymentSources.${field}`, bottomLine.paymentSources[field], {
            nullable: true,
          });
        }
    }
    if (bottomLine.barcode !== undefined && bottomLine.barcode !== null) {
      if (!isPlainObject(bottomLine.barcode)) issues.add("receipt.bottomLine.barcode", "barcode must be an object.");
      else {
        checkEnum(issues, "receipt.bottomLine.barcode.format", bottomLine.barcode.format, BARCODE_FORMATS, true);
        checkString(issues, "receipt.bottomLine.barcode.data", bottomLine.barcode.data, { required: true, min: 1 });
      }
    }
  }
  return issues.list.length === before ? (raw as unknown as Receipt) : undefined;
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
