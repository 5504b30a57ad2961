/** Amounts and the currencies they are in, as the till, its store and its views share them. */

import { VIPPS_CURRENCIES } from "@/lib/vipps/facts";

export const CURRENCIES = VIPPS_CURRENCIES;
export type Currency = (typeof CURRENCIES)[number];

export interface Money {
  value: number;
  currency: Currency;
}
