/**
 * Domain types of the till. The entities (terminals, catalogue, sales and their payment attempts)
 * live in lib/entities, which the store shares without depending on the domain; they are exported
 * here too, under the names the domain and the pages have always used.
 */

export { CURRENCIES, type Currency, type Money } from "@/lib/entities/money";
export type { Product } from "@/lib/entities/product";
export {
  ACTIVE_SALE_STATES,
  type AttemptState,
  type EventSource,
  type PaymentAttempt,
  type PushCustomer,
  type Refund,
  type Sale,
  type SaleEvent,
  type SaleLine,
  SALE_STATES,
  type SaleState,
} from "@/lib/entities/sale";
export { LANGUAGES, type Language, type Terminal } from "@/lib/entities/terminal";

/** A sale as the POS API and the admin page see it: its schema in lib/contracts/sales.ts is the source. */
export type { SaleView } from "@/lib/contracts/sales";
