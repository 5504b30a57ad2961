/** Amounts and the currencies they are in, as the till, its store and its views share them. */

import { MAX_PAYMENT_AMOUNT, VIPPS_CURRENCIES } from "@/lib/vipps/facts";

export const CURRENCIES = VIPPS_CURRENCIES;
export type Currency = (typeof CURRENCIES)[number];

/** Vipps' maximum amount for one payment, in minor units. */
export const MAXIMUM_PAYMENT = MAX_PAYMENT_AMOUNT;

export interface Money {
  value: number;
  currency: Currency;
}
