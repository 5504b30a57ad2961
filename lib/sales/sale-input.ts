import type { CreateSaleRequest } from "@/lib/contracts/sales";
import { internationalPhoneNumber } from "./phone-number";
import type { Currency, PushCustomer } from "./types";

/** A create-sale request (lib/contracts/sales.ts) as the sale commands take it: always order lines. */
export interface CreateSaleInput {
  terminalId: string;
  currency: Currency;
  lines: { name: string; quantity: number; unitPrice: number; taxRate: number; productId?: string }[];
  description?: string;
  /** Push the payment request to this phone (MSISDN with country code) instead of showing a QR. */
  customerPhone?: string;
  /** Push the payment request to the customer whose personal QR the cashier scanned. */
  pushCustomer?: PushCustomer;
  /** The POS's own reference (its receipt number), sent to Vipps as the receipt's receiptNumber. */
  posReference?: string;
}

export function toCreateSaleInput(request: CreateSaleRequest): CreateSaleInput {
  const typedPhone = request.customer?.phoneNumber;
  const customerPhone = typedPhone ? internationalPhoneNumber(typedPhone, request.currency) : undefined;
  const scanned = request.customer?.personalQr;
  const customer = {
    ...(customerPhone ? { customerPhone } : {}),
    ...(scanned ? { pushCustomer: { personalQr: scanned } } : {}),
  };
  if ("lines" in request) {
    const { customer: _customer, ...rest } = request;
    return { ...rest, ...customer };
  }
  return {
    terminalId: request.terminalId,
    currency: request.currency,
    description: request.description,
    lines: [{ name: request.description, quantity: 1, unitPrice: request.amount, taxRate: request.taxRate }],
    ...customer,
    ...(request.posReference ? { posReference: request.posReference } : {}),
  };
}
