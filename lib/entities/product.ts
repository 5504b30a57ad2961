/** An item of the shop's catalogue, as the till rings it up. */

import type { Currency } from "./money";

export interface Product {
  id: string;
  name: string;
  unitPrice: number;
  currency: Currency;
  taxRate: number;
  createdAt: string;
  updatedAt: string;
}
