/**
 * Validation of the receipt (order lines and bottom line) a create-payment request may carry: the
 * largest part of that body, kept apart from the rest of validation.ts.
 */
import { isPlainObject } from "./http";
import {
  CURRENCIES,
  type Currency,
  checkBoolean,
  checkEnum,
  checkInteger,
  checkString,
  type Issues,
} from "./validation-fields";

const QUANTITY_UNITS = ["PCS", "KG", "KM", "MINUTE", "LITRE", "KWH"];
const BARCODE_FORMATS = ["EAN-13", "CODE 39", "CODE 128"];

const QUANTITY_PATTERN = /^\d+([.]\d{1,8})?$/;

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

export function checkReceipt(issues: Issues, raw: unknown): Receipt | undefined {
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
